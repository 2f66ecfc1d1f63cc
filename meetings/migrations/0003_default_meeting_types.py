"""The eight meeting types of 第四篇 with their cadence, chairs and quorum (RULES.md S4)."""

from django.db import migrations

TYPES = [
    # name, body, chair roles, period, min count, weekday, half day, needs report, note
    ("党委会", "党委委员", "书记,副书记", "month", 1, None, "", False, "一般每月召开一次,遇紧急、重要情况随时召开"),
    ("党委民主生活会", "党委委员", "书记,副书记", "half_year", 1, None, "", False, "每半年召开一次"),
    ("办公会", "办公会成员", "主任,副主任", "month", 1, None, "", True, "一般每月召开一次"),
    ("科务会", None, "科长,股长", "week", 1, 0, "am", True, "一般每周一上午召开"),
    ("支部大会", "支部党员", "支部书记,支部副书记", "month", 1, None, "", False, "一般每月召开一次"),
    ("支部委员会", "支部委员", "支部书记,支部副书记", "month", 1, None, "", False, "一般每月召开一次"),
    ("党小组会", "党小组成员", "组长", "month", 2, 4, "pm", False, "一般周五下午召开,每月不少于二次"),
    ("安全形势分析会", "安全领导小组", "组长", "week", 1, None, "", False, "一般每周召开一次"),
]


def load_types(apps, schema_editor):
    MemberBody = apps.get_model("meetings", "MemberBody")
    MeetingType = apps.get_model("meetings", "MeetingType")
    QuorumRule = apps.get_model("meetings", "QuorumRule")
    for name, body, chairs, period, count, weekday, half, report, note in TYPES:
        body_row = MemberBody.objects.get_or_create(name=body)[0] if body else None
        meeting_type, created = MeetingType.objects.get_or_create(
            name=name,
            defaults={
                "body": body_row, "chair_roles": chairs, "cadence_period": period, "cadence_min_count": count,
                "usual_weekday": weekday, "usual_half_day": half, "needs_report": report, "note": note,
            },
        )
        if created and name == "党委会":
            # 召开党委会必须有半数以上的委员到会,讨论干部时,要有三分之二以上委员参加表决。
            QuorumRule.objects.create(meeting_type=meeting_type, decision_kind="", numerator=1, denominator=2)
            QuorumRule.objects.create(
                meeting_type=meeting_type, decision_kind="干部任免", numerator=2, denominator=3, counts_voters=True
            )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_booking_no_overlap")]

    operations = [migrations.RunPython(load_types, migrations.RunPython.noop)]
