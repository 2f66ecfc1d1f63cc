"""Leave chains (S1.10-d), handover (S1.9-c), whereabouts (S1.10-b) and A/B acting (S1.9-b)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from staffing import roles, services
from staffing.models import (
    ApprovalDecision,
    ApprovalRule,
    HalfDay,
    Post,
    PostSubstitute,
    RequestStatus,
    Whereabouts,
    WhereaboutsStatus,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def office(two_departments, make_staff):
    """A window with A holder 张三, B holders 李四 then 王五, the leader in charge and the main leader."""
    market, _ = two_departments
    deputy = make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    director = make_staff(market, role=roles.MAIN_LEADER, name="刘建华", leader_role="main")
    market.leader_in_charge = deputy
    market.save()
    a, b1, b2 = (make_staff(market, role=roles.WINDOW_STAFF, name=n) for n in ("张三", "李四", "王五"))
    post = Post.objects.create(name="企业登记岗", department=market, a_holder=a)
    PostSubstitute.objects.create(post=post, staff=b1, order=1)
    PostSubstitute.objects.create(post=post, staff=b2, order=2)
    return {"deputy": deputy, "director": director, "a": a, "b1": b1, "b2": b2, "post": post}


def ask_leave(staff, start, end, start_half=HalfDay.MORNING, end_half=HalfDay.AFTERNOON, **extra):
    values = {"leave_type": "personal", "reason": "家中有事", "handover_note": "在办件3件,已交代"}
    values.update(extra)
    return services.leave_submit(
        user=staff.user, start_date=start, end_date=end, start_half=start_half, end_half=end_half, **values
    )


def chain(leave):
    return [(a.role, a.approver.name, a.decision) for a in services.chain_of(leave)]


def test_leave_duration_counts_working_half_days_on_the_calendar(official_calendar):
    assert services.leave_working_days(D(2026, 9, 30), "am", D(2026, 10, 9), "pm") == Decimal("3")
    assert services.leave_working_days(D(2026, 11, 26), "pm", D(2026, 11, 27), "am") == Decimal("1")
    assert services.leave_working_days(D(2026, 10, 10), "am", D(2026, 10, 10), "am") == Decimal("0.5")


def test_half_a_day_is_approved_by_the_leader_in_charge_alone(official_calendar, office):
    leave = ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 26), end_half=HalfDay.MORNING)
    assert leave.working_days == Decimal("0.5")
    assert chain(leave) == [("leader_in_charge", "钟晓明", ApprovalDecision.PENDING)]


def test_one_day_is_still_the_leader_in_charge_alone(official_calendar, office):
    leave = ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 26))
    assert chain(leave) == [("leader_in_charge", "钟晓明", ApprovalDecision.PENDING)]


def test_more_than_a_day_needs_the_leader_in_charge_then_the_main_leader(official_calendar, office):
    leave = ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 27))
    assert chain(leave) == [
        ("leader_in_charge", "钟晓明", ApprovalDecision.PENDING),
        ("main_leader", "刘建华", ApprovalDecision.WAITING),
    ]
    first, second = services.chain_of(leave)
    with pytest.raises(PermissionDenied, match="该步骤应由刘建华"):
        services.approval_decide(approval=second, user=office["deputy"].user, approve=True)
    services.approval_decide(approval=first, user=office["deputy"].user, approve=True, comment="同意")
    leave.refresh_from_db()
    assert leave.status == RequestStatus.PENDING
    second.refresh_from_db()
    assert second.decision == ApprovalDecision.PENDING
    services.approval_decide(approval=second, user=office["director"].user, approve=True)
    leave.refresh_from_db()
    assert leave.status == RequestStatus.APPROVED


def test_an_administrator_can_change_the_thresholds(official_calendar, office):
    ApprovalRule.objects.filter(kind="leave", above=Decimal("0.5")).update(approvers="leader_in_charge,main_leader")
    leave = ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 26))
    assert [role for role, _, _ in chain(leave)] == ["leader_in_charge", "main_leader"]


def test_a_rejection_needs_a_reason_and_ends_the_chain(official_calendar, office):
    leave = ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 27))
    first = services.chain_of(leave).first()
    with pytest.raises(ValidationError, match="不同意时须写明理由"):
        services.approval_decide(approval=first, user=office["deputy"].user, approve=False)
    services.approval_decide(approval=first, user=office["deputy"].user, approve=False, comment="年底窗口繁忙")
    leave.refresh_from_db()
    assert leave.status == RequestStatus.REJECTED
    assert [d for _, _, d in chain(leave)] == [ApprovalDecision.REJECTED, ApprovalDecision.SKIPPED]
    assert not Whereabouts.objects.exists()


def test_leave_without_a_handover_is_refused(official_calendar, office):
    with pytest.raises(ValidationError, match="请写明交接事项"):
        ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 26), handover_note=" ")


def test_the_handover_defaults_to_the_first_b_holder(official_calendar, office):
    leave = ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 26))
    assert leave.handover_to == office["b1"]


def test_someone_without_a_b_holder_must_name_who_takes_over(official_calendar, office, make_staff, two_departments):
    loner = make_staff(two_departments[0], role=roles.WINDOW_STAFF)
    with pytest.raises(ValidationError, match="请选择工作交接人"):
        ask_leave(loner, D(2026, 11, 26), D(2026, 11, 26))


def test_a_period_without_working_days_needs_no_leave(official_calendar, office):
    with pytest.raises(ValidationError, match="所选时间内没有工作日"):
        ask_leave(office["a"], D(2026, 10, 3), D(2026, 10, 5))


def approve_all(leave, office):
    for step in services.chain_of(leave):
        services.approval_decide(approval=step, user=step.approver.user, approve=True)
    leave.refresh_from_db()
    return leave


def test_approved_leave_sets_the_whereabouts_for_its_period(official_calendar, office):
    leave = approve_all(ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 27), end_half=HalfDay.MORNING), office)
    entry = Whereabouts.objects.get(leave=leave)
    assert entry.status == WhereaboutsStatus.LEAVE
    assert timezone.localtime(entry.starts_at).replace(tzinfo=None) == datetime.datetime(2026, 11, 26, 8, 0)
    assert timezone.localtime(entry.returns_at).replace(tzinfo=None) == datetime.datetime(2026, 11, 27, 12, 0)


def on(day, hour):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def away(staff, status, start, end):
    return Whereabouts.objects.create(staff=staff, status=status, reason="测试", starts_at=start, returns_at=end)


def test_the_first_b_acts_while_a_is_on_leave(official_calendar, office):
    approve_all(ask_leave(office["a"], D(2026, 11, 26), D(2026, 11, 26)), office)
    assert services.acting_holder(office["post"], at=on(D(2026, 11, 26), 10)) == office["b1"]
    assert services.acting_holder(office["post"], at=on(D(2026, 11, 27), 10)) == office["a"]


def test_the_first_b_acts_while_a_is_away_at_a_meeting(office):
    now = timezone.now()
    away(office["a"], WhereaboutsStatus.MEETING, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=2))
    assert services.acting_holder(office["post"]) == office["b1"]
    assert services.acting_for(office["b1"]) == [office["a"]]
    assert services.acting_for(office["b2"]) == []


def test_the_second_b_acts_when_the_first_is_also_away(office):
    now = timezone.now()
    away(office["a"], WhereaboutsStatus.TRIP, now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2))
    away(office["b1"], WhereaboutsStatus.OUT, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=3))
    assert services.acting_holder(office["post"]) == office["b2"]
    assert services.acting_for(office["b2"]) == [office["a"]]


def test_the_work_returns_to_a_when_a_is_back(office):
    now = timezone.now()
    entry = away(office["a"], WhereaboutsStatus.OUT, now - datetime.timedelta(hours=2), now + datetime.timedelta(hours=2))
    assert services.acting_holder(office["post"]) == office["b1"]
    entry.ended_at = now - datetime.timedelta(minutes=1)
    entry.save()
    assert services.acting_holder(office["post"]) == office["a"]
    assert services.acting_for(office["b1"]) == []


def test_overtime_goes_to_the_department_head_then_the_main_leader(office, make_staff, two_departments):
    head = make_staff(two_departments[0], role=roles.WINDOW_HEAD, name="陈志强")
    overtime = services.overtime_submit(
        user=office["a"].user, date=D(2026, 10, 3), starts_at=datetime.time(9), ends_at=datetime.time(12, 30),
        reason="国庆期间集中办理企业开办",
    )
    assert overtime.hours == Decimal("3.5")
    assert [(a.role, a.approver) for a in services.chain_of(overtime)] == [
        ("department_head", head), ("main_leader", office["director"]),
    ]
    for step in services.chain_of(overtime):
        services.approval_decide(approval=step, user=step.approver.user, approve=True)
    overtime.refresh_from_db()
    assert overtime.status == RequestStatus.APPROVED
