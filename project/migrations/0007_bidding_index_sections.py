"""招投标监督 (S1.1-g) on the index: a section for the office and the center administrator, for the
inspectors; 招投标监督统计 in the leaders' and inspectors' 统计."""

from django.db import migrations

SECTION = "招投标监督"
SECTIONS = {
    "办公室人员": ["bidding.biddingevent", "view:bidding_openings", "view:bidding_statistics"],
    "中心管理员": ["bidding.biddingevent", "view:bidding_openings", "view:bidding_statistics", "bidding.biddingsettings"],
    "督查人员": ["bidding.biddingevent", "view:bidding_openings"],
}
STATISTICS_ROLES = ("主要领导", "分管领导", "督查人员")


def add_sections(apps, schema_editor):
    IndexSection = apps.get_model("project", "IndexSection")
    for role, entries in SECTIONS.items():
        last = IndexSection.objects.filter(role=role).order_by("-order").values_list("order", flat=True).first() or 0
        IndexSection.objects.get_or_create(role=role, name=SECTION, defaults={"order": last + 10, "entries": ",".join(entries)})
    for section in IndexSection.objects.filter(role__in=STATISTICS_ROLES, name="统计"):
        entries = [key for key in section.entries.split(",") if key]
        if "view:bidding_statistics" not in entries:
            section.entries = ",".join([*entries, "view:bidding_statistics"])
            section.save(update_fields=["entries"])


class Migration(migrations.Migration):
    dependencies = [("project", "0006_index_sections")]

    operations = [migrations.RunPython(add_sections, migrations.RunPython.noop)]
