"""The approval thresholds of the regulations as editable rules (S1.10-d, S3.8).

请假:半天之内由分管领导准假;超过一天的,分管领导批准后须向主要领导准假 (the text is silent between
half a day and one day: the leader in charge approves there too). 加班:部门负责人, then the main leader.
"""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("leave", Decimal("0"), Decimal("0.5"), "leader_in_charge", "半天之内由分管领导准假"),
    ("leave", Decimal("0.5"), Decimal("1"), "leader_in_charge", "半天以上、一天以内由分管领导准假"),
    ("leave", Decimal("1"), None, "leader_in_charge,main_leader", "超过一天,分管领导批准后报主要领导准假"),
    ("overtime", Decimal("0"), None, "department_head,main_leader", "加班须经部门负责人和主要领导批准"),
]


def load_rules(apps, schema_editor):
    ApprovalRule = apps.get_model("staffing", "ApprovalRule")
    if ApprovalRule.objects.filter(kind__in=["leave", "overtime"]).exists():
        return
    for kind, above, up_to, approvers, note in RULES:
        ApprovalRule.objects.create(kind=kind, above=above, up_to=up_to, approvers=approvers, note=note)


class Migration(migrations.Migration):
    dependencies = [("staffing", "0004_operations")]

    operations = [migrations.RunPython(load_rules, migrations.RunPython.noop)]
