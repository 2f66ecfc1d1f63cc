"""The 服务场所 page on the index of the center-wide roles (project.IndexSection, issue 17)."""

from django.db import migrations

ENTRY = "halls.hall"
ROLES = ["主要领导", "分管领导", "办公室人员", "督查人员"]


def add_entries(apps, schema_editor):
    IndexSection = apps.get_model("project", "IndexSection")
    organisation = IndexSection.objects.filter(role="中心管理员", name="组织机构").first()
    if organisation is not None and ENTRY not in organisation.entries.split(","):
        organisation.entries = ",".join([*organisation.entries.split(","), ENTRY])
        organisation.save()
    for role in ROLES:
        IndexSection.objects.get_or_create(role=role, name="服务场所", defaults={"order": 90, "entries": ENTRY})


class Migration(migrations.Migration):
    dependencies = [("halls", "0001_halls"), ("project", "0007_bidding_index_sections")]

    operations = [migrations.RunPython(add_entries, migrations.RunPython.noop)]
