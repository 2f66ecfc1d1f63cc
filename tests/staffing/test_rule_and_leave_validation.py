"""Approval rules cannot overlap or go below zero, and nobody asks leave twice for the same days
(issue 21, point 12): through the services and through the admin forms."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from staffing import roles
from staffing.models import ApprovalRule, HalfDay, LeaveRequest, RequestStatus
from staffing.services.approvals import approval_rule_conflicts, rule_for
from staffing.services.leave import leave_submit

pytestmark = pytest.mark.django_db

D = datetime.date
LEAVE_ABOVE_ONE_DAY = "请假(工作日):超过1天,不限"


# --- approval rules ------------------------------------------------------------------------------


def test_a_negative_lower_bound_is_refused_on_the_field():
    rule = ApprovalRule(kind="leave", above=Decimal("-10"), up_to=None, approvers="main_leader")

    with pytest.raises(ValidationError) as raised:
        rule.full_clean()

    assert raised.value.message_dict == {"above": ["下限「-10」不能为负数。"]}


def test_an_overlapping_rule_is_named_by_the_check():
    rule = ApprovalRule(kind="leave", above=Decimal("2"), up_to=Decimal("5"), approvers="main_leader")

    assert approval_rule_conflicts(rule) == [
        f"适用范围「请假(工作日):超过2天,5天及以下」与已有规则「{LEAVE_ABOVE_ONE_DAY}」(审批人:分管领导 → 中心主任)重叠:"
        "同一审批类型的各条规则范围不能重叠,请先调整那条规则。"
    ]
    other_kind = ApprovalRule(kind="fund", above=Decimal("0"), up_to=Decimal("1"), approvers="main_leader")
    assert approval_rule_conflicts(ApprovalRule(kind="overtime", above=Decimal("0"), approvers="main_leader"), others=[other_kind]) == []


def add_rule(client, **values):
    data = {"kind": "leave", "above": "-10", "up_to": "", "approvers": "main_leader", "note": ""}
    data.update(values)
    data["approvers"] = data["approvers"].split(",")  # ticked boxes, one value each
    return client.post(reverse("admin:staffing_approvalrule_add"), data)


@pytest.fixture
def center_admin(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    return client


def test_the_admin_refuses_a_rule_below_zero_without_an_upper_bound(center_admin):
    before = ApprovalRule.objects.count()

    response = add_rule(center_admin)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["above"] == ["下限「-10」不能为负数。"]
    assert ApprovalRule.objects.count() == before
    assert rule_for("leave", Decimal("3")).approvers == "leader_in_charge,main_leader"


def test_the_admin_refuses_a_rule_overlapping_another_of_its_kind_naming_it(center_admin):
    before = ApprovalRule.objects.count()

    response = add_rule(center_admin, above="3", up_to="10")

    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [
        f"适用范围「请假(工作日):超过3天,10天及以下」与已有规则「{LEAVE_ABOVE_ONE_DAY}」(审批人:分管领导 → 中心主任)重叠:"
        "同一审批类型的各条规则范围不能重叠,请先调整那条规则。"
    ]
    assert ApprovalRule.objects.count() == before


def test_the_admin_accepts_a_rule_in_a_free_range(center_admin):
    ApprovalRule.objects.filter(kind="leave", above=Decimal("1")).update(up_to=Decimal("10"))

    response = add_rule(center_admin, above="10", up_to="", approvers="leader_in_charge,main_leader")

    assert response.status_code == 302
    assert rule_for("leave", Decimal("11")).above == Decimal("10")


def list_edit(client, changes):
    """Post the rule list's inline edit with every leave rule, `changes` by pk."""
    rules = list(ApprovalRule.objects.filter(kind="leave").order_by("above"))
    data = {"form-TOTAL_FORMS": str(len(rules)), "form-INITIAL_FORMS": str(len(rules)), "_save": "保存"}
    for index, rule in enumerate(rules):
        values = {"id": rule.pk, "above": rule.above, "up_to": "" if rule.up_to is None else rule.up_to, "approvers": rule.approver_roles(), "note": rule.note}
        values.update(changes.get(rule.pk, {}))
        data.update({f"form-{index}-{key}": value for key, value in values.items()})
    return client.post(reverse("admin:staffing_approvalrule_changelist") + "?kind__exact=leave", data)


def test_the_rule_list_refuses_an_edit_that_makes_two_rules_overlap(center_admin):
    first = ApprovalRule.objects.get(kind="leave", above=Decimal("0"))

    response = list_edit(center_admin, {first.pk: {"up_to": "3"}})

    assert response.status_code == 200
    assert "与已有规则「请假(工作日):超过0.5天,1天及以下」" in response.content.decode()
    first.refresh_from_db()
    assert first.up_to == Decimal("0.5")


def test_the_rule_list_accepts_moving_two_bounds_together(center_admin):
    middle = ApprovalRule.objects.get(kind="leave", above=Decimal("0.5"))
    last = ApprovalRule.objects.get(kind="leave", above=Decimal("1"))

    response = list_edit(center_admin, {middle.pk: {"up_to": "3"}, last.pk: {"above": "3"}})

    assert response.status_code == 302
    assert rule_for("leave", Decimal("2")).pk == middle.pk


# --- leave ------------------------------------------------------------------------------------------


@pytest.fixture
def office(two_departments, make_staff):
    market, _ = two_departments
    deputy = make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    make_staff(market, role=roles.MAIN_LEADER, name="刘建华", leader_role="main")
    market.leader_in_charge = deputy
    market.save()
    return {"a": make_staff(market, role=roles.WINDOW_STAFF, name="张三"), "b": make_staff(market, role=roles.WINDOW_STAFF, name="李四")}


def ask(office, start, end, start_half=HalfDay.MORNING, end_half=HalfDay.AFTERNOON, who="a"):
    return leave_submit(
        user=office[who].user, leave_type="personal", start_date=start, end_date=end, start_half=start_half,
        end_half=end_half, reason="家中有事", handover_note="在办件3件,已交代", handover_to=office["b" if who == "a" else "a"],
    )  # fmt: skip


def test_a_second_leave_for_the_same_days_is_refused_naming_the_first(official_calendar, office):
    ask(office, D(2026, 12, 3), D(2026, 12, 4))

    with pytest.raises(ValidationError) as raised:
        ask(office, D(2026, 12, 4), D(2026, 12, 7))

    assert raised.value.message_dict == {
        "start_date": ["与已提交的请假(2026年12月03日上午至2026年12月04日下午,审批中)时间重叠,不能重复请假。"]
    }
    assert LeaveRequest.objects.count() == 1


def test_the_other_half_of_a_day_and_another_person_are_free(official_calendar, office):
    ask(office, D(2026, 12, 3), D(2026, 12, 3), end_half=HalfDay.MORNING)

    assert ask(office, D(2026, 12, 3), D(2026, 12, 3), start_half=HalfDay.AFTERNOON)
    assert ask(office, D(2026, 12, 3), D(2026, 12, 3), who="b")


def test_a_rejected_or_cancelled_leave_does_not_block(official_calendar, office):
    first = ask(office, D(2026, 12, 3), D(2026, 12, 4))
    LeaveRequest.objects.filter(pk=first.pk).update(status=RequestStatus.REJECTED)
    second = ask(office, D(2026, 12, 3), D(2026, 12, 4))
    LeaveRequest.objects.filter(pk=second.pk).update(status=RequestStatus.CANCELLED)

    assert ask(office, D(2026, 12, 3), D(2026, 12, 4))


def test_the_leave_form_shows_the_overlap_on_the_start_date(client, official_calendar, office):
    ask(office, D(2026, 12, 3), D(2026, 12, 4))
    client.force_login(office["a"].user)
    data = {
        "leave_type": "personal", "start_date": "2026-12-04", "start_half": "pm", "end_date": "2026-12-08",
        "end_half": "pm", "reason": "家中有事", "destination": "", "contact": "", "handover_to": office["b"].pk,
        "handover_note": "在办件3件,已交代",
    }  # fmt: skip

    response = client.post(reverse("admin:staffing_leaverequest_add"), data)

    assert response.context["adminform"].form.errors["start_date"] == [
        "与已提交的请假(2026年12月03日上午至2026年12月04日下午,审批中)时间重叠,不能重复请假。"
    ]
    assert LeaveRequest.objects.count() == 1


def test_the_approvers_are_ticked_by_their_labels_and_saved_in_order_of_rank(center_admin):
    page = center_admin.get(reverse("admin:staffing_approvalrule_add")).content.decode()
    assert 'type="checkbox" name="approvers" value="main_leader"' in page
    assert "中心主任" in page and "上级分管领导" in page and "董事长" not in page
    ApprovalRule.objects.filter(kind="leave", above=Decimal("1")).update(up_to=Decimal("10"))
    response = add_rule(center_admin, above="10", up_to="", approvers="main_leader,leader_in_charge")
    assert response.status_code == 302
    assert ApprovalRule.objects.get(kind="leave", above=Decimal("10")).approvers == "leader_in_charge,main_leader"
    listed = center_admin.get(reverse("admin:staffing_approvalrule_changelist")).content.decode()
    assert "main_leader,chairman" not in listed and "上级分管领导" in listed


def test_the_titles_are_the_centers_settings(center_admin):
    from staffing.models import CenterSettings

    settings = CenterSettings.load()
    settings.main_leader_title, settings.chairman_title = "局长", "县政府分管领导"
    settings.save()
    listed = center_admin.get(reverse("admin:staffing_approvalrule_changelist")).content.decode()
    assert "局长 → 县政府分管领导" in listed
