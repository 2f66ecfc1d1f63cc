"""首页分组 for inspections (S1.1-f): inspectors find their inspections and the findings to verify first; window
heads find the findings of their hall to rectify. Administrators can change these rows afterwards."""

from django.db import migrations

SECTIONS = [
    ("督查人员", 40, "服务场所监督检查", ["halls.hallinspection", "halls.inspectionfinding", "halls.guidancevisit", "halls.hallmonthfigures"]),
    ("窗口负责人", 40, "监督检查整改", ["halls.inspectionfinding", "halls.hallinspection"]),
]


def create(apps, schema_editor):
    IndexSection = apps.get_model("project", "IndexSection")
    for role, order, name, entries in SECTIONS:
        IndexSection.objects.get_or_create(role=role, name=name, defaults={"order": order, "entries": ",".join(entries)})


class Migration(migrations.Migration):
    dependencies = [("halls", "0004_default_checklist"), ("project", "0007_bidding_index_sections")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
