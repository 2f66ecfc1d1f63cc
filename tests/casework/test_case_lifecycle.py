"""Cases from receipt to delivery: transitions, deadlines on the official calendar, the clock."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import services
from casework.models import Case, CaseStatus, ExtensionStatus, NoticeKind
from registry.models import ItemStatus
from staffing import roles
from staffing.models import CalendarDay, DayKind
from tests.casework.conftest import PERSON, at

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def receive(item, window, clerk, day=D(2026, 9, 29), **extra):
    return services.case_receive(
        item=item, window=window, user=clerk.user, received_at=at(day), **{**PERSON, **extra}
    )


def tick_all(case, clerk, state="received"):
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state=state)


def accept(case, clerk, day):
    tick_all(case, clerk)
    return services.case_accept(case=case, user=clerk.user, accepted_on=day)


def test_receiving_copies_the_items_terms_and_checklist(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    assert case.status == CaseStatus.RECEIVED
    assert case.number == "01-20260929-0001"
    assert (case.statutory_limit_days, case.committed_limit_days) == (20, 10)
    assert [m.name for m in case.materials.all()] == ["食品经营许可申请书", "营业执照复印件", "其他说明材料"]
    assert case.first_inquiry_staff == clerk and case.handler == clerk
    assert case.history.get().history_user == clerk.user


def test_case_numbers_follow_window_date_and_sequence(committed_item, market_window, clerk):
    first = receive(committed_item, market_window, clerk)
    second = receive(committed_item, market_window, clerk)
    next_day = receive(committed_item, market_window, clerk, day=D(2026, 9, 30))
    assert [first.number, second.number, next_day.number] == [
        "01-20260929-0001",
        "01-20260929-0002",
        "01-20260930-0001",
    ]


def test_a_later_edit_of_the_item_does_not_change_an_open_case(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    committed_item.committed_limit_days = 5
    committed_item.save()
    case.refresh_from_db()
    assert case.committed_limit_days == 10
    version = committed_item.history.get(history_id=case.item_version)
    assert (version.committed_limit_days, version.status) == (10, ItemStatus.ACTIVE)
    assert committed_item.history.latest().committed_limit_days == 5


def test_only_a_published_item_can_be_received(committed_item, market_window, clerk):
    committed_item.status = ItemStatus.SUSPENDED
    committed_item.save()
    with pytest.raises(ValidationError, match="只有在用事项才能收件"):
        receive(committed_item, market_window, clerk)


def test_acceptance_counts_from_the_next_working_day_across_national_day(
    official_calendar, committed_item, market_window, clerk
):
    case = accept(receive(committed_item, market_window, clerk), clerk, D(2026, 9, 29))
    # 9/30 is day 1; 10/1–10/7 off; 10/8, 10/9, 10/10 (make-up Saturday), 10/12–10/16, 10/19 = day 10.
    assert case.committed_due_date == D(2026, 10, 19)
    assert case.statutory_due_date == D(2026, 11, 2)
    assert case.status == CaseStatus.ACCEPTED
    assert case.notices.get().kind == NoticeKind.ACCEPTANCE


def test_the_make_up_saturday_counts_as_a_working_day(official_calendar, committed_item, market_window, clerk):
    committed_item.committed_limit_days = 3
    committed_item.save()
    for step in committed_item.steps.all():
        step.limit_days = 1
        step.save()
    case = accept(receive(committed_item, market_window, clerk, day=D(2026, 10, 8)), clerk, D(2026, 10, 8))
    assert case.committed_due_date == D(2026, 10, 12)  # 10/9, 10/10 (Saturday make-up), 10/12


def test_acceptance_needs_every_required_material(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    with pytest.raises(ValidationError, match="以下必需材料尚未收齐,不能受理:食品经营许可申请书、营业执照复印件"):
        services.case_accept(case=case, user=clerk.user)


def test_correction_lists_every_missing_material_at_once(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    first, second = case.materials.filter(required=True)
    services.case_check_material(material=first, user=clerk.user, state="missing")
    services.case_check_material(material=second, user=clerk.user, state="unqualified", problem="复印件须加盖公章")
    services.case_request_correction(case=case, user=clerk.user)

    notice = case.notices.get(kind=NoticeKind.CORRECTION)
    assert "1. 缺少：食品经营许可申请书（原件，1份）" in notice.body
    assert "2. 需修改：营业执照复印件——复印件须加盖公章" in notice.body
    assert case.status == CaseStatus.CORRECTION


def test_an_unqualified_material_needs_what_to_change(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    with pytest.raises(ValidationError, match="不合格时须写明需要如何修改"):
        services.case_check_material(material=case.materials.first(), user=clerk.user, state="unqualified")


def test_a_second_correction_notice_needs_a_reason_and_is_a_defect(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    tick_all(case, clerk, "missing")
    services.case_request_correction(case=case, user=clerk.user)
    tick_all(case, clerk, "received")
    services.case_accept(case=case, user=clerk.user)
    tick_all(case, clerk, "missing")
    with pytest.raises(ValidationError, match="再次要求补正须说明理由"):
        services.case_request_correction(case=case, user=clerk.user)
    services.case_request_correction(case=case, user=clerk.user, repeat_reason="审查中发现新情况")
    assert case.notices.filter(kind=NoticeKind.CORRECTION, is_service_defect=True).count() == 1


def test_correction_after_acceptance_stops_the_clock(official_calendar, committed_item, market_window, clerk, monkeypatch):
    case = accept(receive(committed_item, market_window, clerk, day=D(2026, 11, 2)), clerk, D(2026, 11, 2))
    assert case.committed_due_date == D(2026, 11, 16)

    monkeypatch.setattr("casework.services.cases._today", lambda: D(2026, 11, 4))
    tick_all(case, clerk, "missing")
    services.case_request_correction(case=case, user=clerk.user)
    monkeypatch.setattr("casework.services.cases._today", lambda: D(2026, 11, 9))
    tick_all(case, clerk, "received")
    services.case_accept(case=case, user=clerk.user, accepted_on=D(2026, 11, 9))

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.paused_working_days == 3  # 11/5, 11/6, 11/9
    assert case.committed_due_date == D(2026, 11, 19)
    reasons = list(case.history.values_list("history_change_reason", flat=True))
    assert "补正完成,恢复计时" in reasons


def test_an_uncounted_step_stops_the_clock_while_it_is_current(official_calendar, committed_item, market_window, clerk):
    step = committed_item.steps.get(name="现场核查")
    step.counts_towards_limit = False
    step.save()
    case = accept(receive(committed_item, market_window, clerk, day=D(2026, 11, 2)), clerk, D(2026, 11, 2))
    services.case_start(case=case, user=clerk.user)
    services.case_finish_step(case=case, user=clerk.user, day=D(2026, 11, 3))  # 受理 done, 现场核查 starts
    services.case_finish_step(case=case, user=clerk.user, day=D(2026, 11, 6))  # 现场核查 took 3 working days
    case.refresh_from_db()
    assert case.paused_working_days == 3
    assert case.committed_due_date == D(2026, 11, 19)


def test_each_step_has_its_own_due_date_while_current(official_calendar, committed_item, market_window, clerk):
    case = accept(receive(committed_item, market_window, clerk, day=D(2026, 9, 29)), clerk, D(2026, 9, 29))
    first = services.current_step(case)
    assert (first.name, first.due_date) == ("受理", D(2026, 9, 30))
    following = services.case_finish_step(case=case, user=clerk.user, day=D(2026, 9, 30))
    assert (following.name, following.due_date) == ("现场核查", D(2026, 10, 13))


def test_an_extension_needs_a_reason_a_leader_and_stays_within_the_statutory_limit(
    official_calendar, committed_item, market_window, clerk, deputy
):
    case = accept(receive(committed_item, market_window, clerk, day=D(2026, 11, 2)), clerk, D(2026, 11, 2))
    with pytest.raises(ValidationError, match="申请延期须写明理由"):
        services.case_request_extension(case=case, user=clerk.user, days=3, reason=" ")
    with pytest.raises(ValidationError, match="最多还可延期10个工作日"):
        services.case_request_extension(case=case, user=clerk.user, days=11, reason="需专家评审")
    extension = services.case_request_extension(case=case, user=clerk.user, days=5, reason="需专家评审")
    with pytest.raises(PermissionDenied, match="分管领导或主要领导审批"):
        services.extension_decide(extension=extension, user=clerk.user, approve=True)

    services.extension_decide(extension=extension, user=deputy.user, approve=True, note="同意")
    case.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert case.committed_due_date == D(2026, 11, 23)
    assert case.committed_due_date <= case.statutory_due_date
    assert case.history.latest().history_change_reason == "批准延期5个工作日:需专家评审"


def test_an_immediate_item_completed_the_same_day_is_not_flagged(immediate_item, market_window, clerk, monkeypatch):
    monkeypatch.setattr("casework.services.cases._today", lambda: D(2026, 11, 26))
    case = services.case_receive(item=immediate_item, window=market_window, user=clerk.user, received_at=at(D(2026, 11, 26)), **PERSON)
    accept(case, clerk, D(2026, 11, 26))
    services.case_approve(case=case, user=clerk.user)
    case.refresh_from_db()
    assert (case.status, case.same_day_missed) == (CaseStatus.APPROVED, False)


def test_an_immediate_item_completed_a_day_late_is_flagged(immediate_item, market_window, clerk, monkeypatch):
    case = services.case_receive(item=immediate_item, window=market_window, user=clerk.user, received_at=at(D(2026, 11, 25)), **PERSON)
    monkeypatch.setattr("casework.services.cases._today", lambda: D(2026, 11, 26))
    accept(case, clerk, D(2026, 11, 26))
    services.case_approve(case=case, user=clerk.user)
    assert Case.objects.get(pk=case.pk).same_day_missed


def test_every_forbidden_transition_is_refused_in_chinese(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    with pytest.raises(ValidationError, match="当前为「收件」,只有已受理的办件可以开始办理"):
        services.case_start(case=case, user=clerk.user)
    with pytest.raises(ValidationError, match="当前为「收件」,不能变更为「已送达」"):
        services.case_deliver(case=case, user=clerk.user)
    with pytest.raises(ValidationError, match="当前为「收件」,不能变更为「办结\\(准予\\)」"):
        services.case_approve(case=case, user=clerk.user)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_the_whole_happy_path_records_every_transition(official_calendar, committed_item, market_window, clerk):
    case = accept(receive(committed_item, market_window, clerk), clerk, D(2026, 9, 29))
    services.case_start(case=case, user=clerk.user)
    services.case_approve(case=case, user=clerk.user)
    services.case_deliver(case=case, user=clerk.user)
    steps = [(t.from_status, t.to_status) for t in case.transitions.all()]
    assert steps == [
        ("received", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "approved"),
        ("approved", "delivered"),
    ]
    assert all(t.by == clerk.user for t in case.transitions.all())
    assert set(case.notices.values_list("kind", flat=True)) == {"acceptance", "completion"}


def test_a_receipt_neither_accepted_nor_corrected_in_five_working_days_is_deemed_accepted(
    official_calendar, committed_item, market_window, clerk
):
    case = receive(committed_item, market_window, clerk, day=D(2026, 11, 2))
    assert case.acceptance_deadline == D(2026, 11, 9)
    assert services.deem_overdue_receipts(today=D(2026, 11, 9)) == 0
    assert services.deem_overdue_receipts(today=D(2026, 11, 10)) == 1
    case.refresh_from_db()
    assert (case.status, case.deemed_accepted, case.accepted_on) == (CaseStatus.ACCEPTED, True, D(2026, 11, 2))
    assert case.committed_due_date == D(2026, 11, 16)
    assert case.transitions.last().note == "逾期未作出受理决定,依法视为受理"


def test_a_correction_notice_within_five_days_prevents_deemed_acceptance(
    official_calendar, committed_item, market_window, clerk
):
    case = receive(committed_item, market_window, clerk, day=D(2026, 11, 2))
    tick_all(case, clerk, "missing")
    services.case_request_correction(case=case, user=clerk.user)
    assert services.deem_overdue_receipts(today=D(2026, 11, 20)) == 0


def test_entering_next_years_holidays_moves_open_cases_due_dates_visibly(
    official_calendar, committed_item, market_window, clerk
):
    from staffing import services as staffing_services

    case = accept(receive(committed_item, market_window, clerk, day=D(2026, 12, 28)), clerk, D(2026, 12, 28))
    assert case.committed_due_date == D(2027, 1, 11)  # no 2027 calendar yet: Monday–Friday
    staffing_services.calendar_day_save(day=CalendarDay(date=D(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦"))
    case.refresh_from_db()
    assert case.committed_due_date == D(2027, 1, 12)
    assert case.history.latest().history_change_reason == "工作日历调整,期限重新计算"


def test_staff_of_another_department_cannot_act_on_the_case(
    committed_item, market_window, clerk, two_departments, make_staff
):
    case = receive(committed_item, market_window, clerk)
    outsider = make_staff(two_departments[1], role=roles.WINDOW_STAFF)
    with pytest.raises(PermissionDenied, match="无权办理其他部门的办件"):
        services.case_check_material(material=case.materials.first(), user=outsider.user, state="received")


def test_an_inspector_cannot_act_on_a_case(committed_item, market_window, clerk, two_departments, make_staff):
    case = receive(committed_item, market_window, clerk)
    inspector = make_staff(two_departments[0], role=roles.INSPECTOR)
    with pytest.raises(PermissionDenied, match="没有办理该业务的权限"):
        services.case_start(case=case, user=inspector.user)


def test_only_an_accepted_case_can_start(committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    tick_all(case, clerk, "missing")
    services.case_request_correction(case=case, user=clerk.user)
    with pytest.raises(ValidationError, match="只有已受理的办件可以开始办理"):
        services.case_start(case=case, user=clerk.user)
