"""Default document categories (S3.6-a): who signs each, and its numbering pattern."""

from django.db import migrations

CATEGORIES = [
    ("董事会文件", "designated", "大余行服董〔{year}〕{seq}号", False),
    ("中心文件", "main_leader", "大余行服〔{year}〕{seq}号", True),
    ("业务文件", "leader_in_charge", "大余行服业〔{year}〕{seq}号", True),
]


def load(apps, schema_editor):
    DocumentCategory = apps.get_model("documents", "DocumentCategory")
    for name, signer, pattern, handling in CATEGORIES:
        DocumentCategory.objects.get_or_create(
            name=name, defaults={"signer_role": signer, "number_pattern": pattern, "needs_handling": handling}
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_documentssettings_historicalreportobligation_file_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
