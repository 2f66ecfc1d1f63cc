"""S3.7-a: fund-use forms approved by the main leader; large amounts (above ¥5,000) also by the chairman."""

from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    ApprovalRule = apps.get_model("staffing", "ApprovalRule")
    if ApprovalRule.objects.filter(kind="fund").exists():
        return
    ApprovalRule.objects.create(kind="fund", above=Decimal("0"), up_to=Decimal("5000"), approvers="main_leader", note="主要领导(总经理)审批")
    ApprovalRule.objects.create(kind="fund", above=Decimal("5000"), up_to=None, approvers="main_leader,chairman", note="大额:主要领导审批后报董事长审批")


class Migration(migrations.Migration):
    dependencies = [("staffing", "0006_chairman")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
