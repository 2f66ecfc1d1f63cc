"""Joint handling (S5.6-c), report-up (S5.6-d), delegated approval (S1.1-e), complaints (S1.1-b),
the accountability sweep (S1.4, S1.8, S5.5)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from casework import services
from casework.models import CaseStatus, Complaint, JointOpinion, OpinionStatus
from registry.models import HandlingMode, ItemCoDepartment
from staffing import roles
from staffing.models import AccountabilityRecord, Violation
from tests.casework.conftest import PERSON, at

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def accepted(item, window, clerk, day):
    case = services.case_receive(item=item, window=window, user=clerk.user, received_at=at(day), **PERSON)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    return services.case_accept(case=case, user=clerk.user, accepted_on=day)


@pytest.fixture
def joint_item(committed_item, two_departments):
    committed_item.handling_mode = HandlingMode.JOINT
    committed_item.save()
    ItemCoDepartment.objects.create(item=committed_item, department=two_departments[1])
    return committed_item


def test_acceptance_asks_each_co_department_for_its_opinion_with_a_due_date(
    official_calendar, joint_item, market_window, clerk, two_departments
):
    case = accepted(joint_item, market_window, clerk, D(2026, 9, 29))
    (opinion,) = case.opinions.all()
    assert (opinion.department, opinion.due_date, opinion.status) == (two_departments[1], D(2026, 10, 12), OpinionStatus.PENDING)


def test_the_leads_decision_waits_for_every_opinion(
    official_calendar, joint_item, market_window, clerk, two_departments, make_staff
):
    case = accepted(joint_item, market_window, clerk, D(2026, 9, 29))
    services.case_start(case=case, user=clerk.user)
    with pytest.raises(ValidationError, match="尚未提出:县公安局"):
        services.case_approve(case=case, user=clerk.user)
    police_clerk = make_staff(two_departments[1], role=roles.WINDOW_STAFF)
    opinion = case.opinions.get()
    with pytest.raises(ValidationError, match="不同意或需补充材料时须写明理由"):
        services.opinion_give(opinion=opinion, user=police_clerk.user, status=OpinionStatus.DISAGREE)
    services.opinion_give(opinion=opinion, user=police_clerk.user, status=OpinionStatus.AGREE)
    services.case_approve(case=case, user=clerk.user)
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED


def test_only_the_co_department_gives_its_opinion(official_calendar, joint_item, market_window, clerk):
    case = accepted(joint_item, market_window, clerk, D(2026, 9, 29))
    with pytest.raises(PermissionDenied, match="该意见应由「县公安局」提出"):
        services.opinion_give(opinion=case.opinions.get(), user=clerk.user, status=OpinionStatus.AGREE)


def test_an_overdue_opinion_is_escalated_and_recorded_once(official_calendar, joint_item, market_window, clerk, two_departments):
    case = accepted(joint_item, market_window, clerk, D(2026, 9, 29))
    assert services.sweep_casework(today=D(2026, 10, 12))["opinions"] == 0
    assert services.sweep_casework(today=D(2026, 10, 13))["opinions"] == 1
    opinion = JointOpinion.objects.get(case=case)
    assert opinion.escalated_at is not None
    assert services.sweep_casework(today=D(2026, 10, 14))["opinions"] == 0
    record = AccountabilityRecord.objects.get(violation=Violation.OVERDUE_OPINION)
    assert (record.department, record.source) == (two_departments[1], opinion)


def test_report_up_records_the_authority_follow_ups_and_the_result_before_completion(
    official_calendar, committed_item, market_window, clerk
):
    committed_item.handling_mode = HandlingMode.REPORT_UP
    committed_item.report_authority = "赣州市市场监督管理局"
    committed_item.save()
    case = accepted(committed_item, market_window, clerk, D(2026, 11, 2))
    services.case_start(case=case, user=clerk.user)
    services.case_report_up(case=case, user=clerk.user, on=D(2026, 11, 3))
    services.report_up_follow_up(case=case, user=clerk.user, method="电话", answer="市局正在审查", on=D(2026, 11, 10))
    with pytest.raises(ValidationError, match="上报件须登记上级机关的审批结果后才能办结"):
        services.case_approve(case=case, user=clerk.user)
    services.report_up_result(case=case, user=clerk.user, result="准予许可,证书已寄达", on=D(2026, 11, 12))
    services.case_approve(case=case, user=clerk.user)
    case.refresh_from_db()
    assert (case.report_authority, case.status) == ("赣州市市场监督管理局", CaseStatus.APPROVED)
    assert [f.answer for f in case.follow_ups.all()] == ["市局正在审查"]


def test_a_delegated_item_completes_only_after_the_window_heads_approval(
    official_calendar, committed_item, market_window, clerk, two_departments, make_staff
):
    committed_item.needs_head_approval = True
    committed_item.save()
    case = accepted(committed_item, market_window, clerk, D(2026, 11, 2))
    services.case_start(case=case, user=clerk.user)
    with pytest.raises(ValidationError, match="须经窗口负责人审批后方可办结"):
        services.case_approve(case=case, user=clerk.user)
    with pytest.raises(PermissionDenied, match="须由窗口负责人审批"):
        services.case_head_approve(case=case, user=clerk.user)
    head = make_staff(two_departments[0], role=roles.WINDOW_HEAD, name="陈志强")
    services.case_head_approve(case=case, user=head.user)
    services.case_approve(case=case, user=clerk.user)
    case.refresh_from_db()
    assert (case.status, case.head_approved_by) == (CaseStatus.APPROVED, head)


def test_a_complaint_gets_a_due_date_in_working_days_and_is_overdue_until_answered(
    official_calendar, market_window, clerk, two_departments
):
    complaint = services.complaint_register(
        user=None, channel="phone", content="窗口人员态度生硬", window=market_window, staff=clerk, received_on=D(2026, 9, 29)
    )
    assert (complaint.due_date, complaint.department) == (D(2026, 10, 12), two_departments[0])
    assert list(services.overdue_complaints(today=D(2026, 10, 13))) == [complaint]
    services.complaint_resolve(complaint=complaint, user=clerk.user, findings="经查属实", upheld=True, reply="已批评教育并致歉")
    assert list(services.overdue_complaints(today=D(2026, 10, 14))) == []


def test_the_sweep_opens_records_once_for_overdue_cases_and_upheld_complaints(
    official_calendar, committed_item, market_window, clerk, two_departments, make_staff
):
    head = make_staff(two_departments[0], role=roles.WINDOW_HEAD, name="陈志强")
    case = accepted(committed_item, market_window, clerk, D(2026, 11, 2))
    complaint = services.complaint_register(user=None, channel="box", content="多次往返", staff=clerk)
    services.complaint_resolve(complaint=complaint, user=head.user, findings="属实", upheld=True, reply="已整改")

    call_command("sweep_deadlines", "--date", "2026-11-17")
    call_command("sweep_deadlines", "--date", "2026-11-18")

    records = AccountabilityRecord.objects.order_by("violation")
    assert [(r.violation, r.responsible, r.head) for r in records] == [
        (Violation.OVERDUE_CASE, clerk, head), (Violation.UPHELD_COMPLAINT, clerk, head),
    ]
    assert records[0].source == case
    assert Complaint.objects.get().upheld


def test_a_case_in_correction_is_not_overdue_while_its_clock_is_stopped(official_calendar, committed_item, market_window, clerk):
    case = accepted(committed_item, market_window, clerk, D(2026, 11, 2))
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="missing")
    services.case_request_correction(case=case, user=clerk.user)
    assert services.sweep_casework(today=D(2026, 11, 30))["cases"] == 0
