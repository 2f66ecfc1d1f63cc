"""S2: the supervision lifecycle and reminder log; report obligations on the work calendar."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from documents import selectors, services
from documents.models import ReportObligation, SupervisionAttachment, SupervisionStatus
from staffing.models import Department, DepartmentKind

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def register(people, department, **extra):
    values = {
        "title": "年底前完成企业开办一窗通办", "source": "instruction", "content": "压缩企业开办时间至1个工作日",
        "instruction": "请审批协调股牵头落实。——刘建华", "department": department, "deadline": D(2026, 12, 31),
    }
    values.update(extra)
    return services.supervision_register(user=people["office"].user, **values)


def test_a_leader_instruction_needs_its_original_text(people, two_departments):
    with pytest.raises(ValidationError, match="领导批示事项须录入批示原文"):
        register(people, two_departments[0], instruction="")


def test_window_staff_cannot_register_supervision_items(people, two_departments):
    with pytest.raises(PermissionDenied, match="督办事项由办公室"):
        services.supervision_register(
            user=people["drafter"].user, title="x", source="key_task", content="x", department=two_departments[0], deadline=D(2026, 12, 31)
        )


def test_the_project_lifecycle_from_registration_to_archive(people, two_departments):
    market = two_departments[0]
    item = register(people, market, is_project=True, urgent=True)
    services.supervision_assign(item=item, user=people["office"].user, responsible=people["drafter"])
    services.supervision_start(item=item, user=people["office"].user)
    services.reminder_log(item=item, user=people["office"].user, method="phone", answer="正在梳理流程,月底前完成")
    services.reminder_log(item=item, user=people["office"].user, method="letter")
    services.supervision_feedback(item=item, user=people["drafter"].user, feedback="已实现一窗通办,平均0.8个工作日")
    services.supervision_submit_to_leader(item=item, user=people["office"].user)
    with pytest.raises(PermissionDenied, match="领导审阅须由领导完成"):
        services.supervision_leader_review(item=item, user=people["office"].user, comment="好")
    services.supervision_leader_review(item=item, user=people["director"].user, comment="同意归档")
    with pytest.raises(ValidationError, match="立项督办事项归档前须上传:立项登记表、反馈材料、领导批示原件"):
        services.supervision_archive(item=item, user=people["office"].user)
    for kind in ("registration", "feedback", "instruction"):
        SupervisionAttachment.objects.create(item=item, kind=kind, file=ContentFile(b"x", name=f"{kind}.pdf"))
    services.supervision_archive(item=item, user=people["office"].user)

    assert item.status == SupervisionStatus.ARCHIVED
    assert [(r.get_method_display(), r.answer) for r in item.reminders.all()] == [
        ("电话催办", "正在梳理流程,月底前完成"), ("督办函", ""),
    ]
    assert [r.by for r in item.reminders.all()] == [people["office"], people["office"]]


def test_a_step_out_of_order_is_refused(people, two_departments):
    item = register(people, two_departments[0])
    with pytest.raises(ValidationError, match="督办事项当前为「立项」,不能开始督办"):
        services.supervision_start(item=item, user=people["office"].user)


def test_urgent_items_come_first_and_overdue_ones_are_listed(people, two_departments):
    calm = register(people, two_departments[0], title="普通事项", deadline=D(2026, 11, 1))
    urgent = register(people, two_departments[0], title="紧急事项", urgent=True, deadline=D(2026, 12, 20))
    from documents.models import SupervisionItem

    assert list(SupervisionItem.objects.all()) == [urgent, calm]
    assert list(selectors.supervision_overdue(today=D(2026, 11, 26))) == [calm]


def test_report_obligations_fall_on_the_work_calendar(official_calendar, two_departments):
    section = Department.objects.create(name="督查股", kind=DepartmentKind.SECTION)
    created = services.report_obligations_generate(year=2026)
    assert created == 12 * 3 + 4 + 12  # two stationed departments: 12 each; the section: 12 + 4 + 12
    quarter = ReportObligation.objects.get(department=section, title="2026年第3季度年度目标自查报告")
    assert quarter.due_date == D(2026, 9, 22)  # five working days before 9/30: 9/29, 28, (25–27 中秋) 24, 23, 22
    q4 = ReportObligation.objects.get(department=section, title="2026年第4季度年度目标自查报告")
    assert q4.due_date == D(2026, 12, 24)
    september = ReportObligation.objects.get(department=section, title="2026年9月重点工作情况报告")
    assert september.due_date == D(2026, 9, 30)
    january = ReportObligation.objects.get(department=two_departments[0], title="2026年1月工作总结及下月计划")
    assert january.due_date == D(2026, 1, 30)
    assert services.report_obligations_generate(year=2026) == 0


def test_late_reports_are_listed_until_submitted(official_calendar, two_departments):
    services.report_obligations_generate(year=2026)
    late = selectors.late_reports(today=D(2026, 2, 2))
    assert [o.title for o in late] == ["2026年1月工作总结及下月计划"] * 2
    services.report_obligation_submit(obligation=late[0], submitted_on=D(2026, 2, 2), file=ContentFile(b"x", name="r.docx"))
    assert len(selectors.late_reports(today=D(2026, 2, 2))) == 1
