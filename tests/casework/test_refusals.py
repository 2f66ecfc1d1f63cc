"""否定报备 (S1.5): every refusal filed; major items wait for the leader in charge; appeals reopen."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import services
from casework.models import CaseStatus, NoticeKind, Refusal, RefusalStatus
from staffing import roles
from tests.casework.conftest import PERSON, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(committed_item, market_window, clerk):
    return services.case_receive(
        item=committed_item, window=market_window, user=clerk.user, received_at=at(datetime.date(2026, 11, 2)), **PERSON
    )


@pytest.fixture
def office(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="赖美玲")


def refuse(case, clerk, **overrides):
    values = {
        "stage": "not_accepted",
        "category": "not_allowed",
        "reason": "申请人不具备食品经营场所条件",
        "legal_basis": "《食品经营许可和备案管理办法》第十一条",
    }
    values.update(overrides)
    return services.case_refuse(case=case, user=clerk.user, **values)


def test_a_refusal_is_filed_and_the_non_acceptance_notice_tells_the_applicants_rights(case, clerk):
    refusal = refuse(case, clerk)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_ACCEPTED
    assert (refusal.status, refusal.department, refusal.window, refusal.refused_by) == (
        RefusalStatus.EFFECTIVE, case.department, case.window, clerk,
    )
    body = case.notices.get(kind=NoticeKind.NON_ACCEPTANCE).body
    assert "理由：申请人不具备食品经营场所条件" in body
    assert "依据：《食品经营许可和备案管理办法》第十一条" in body
    assert "管理办公室提出申诉" in body
    assert "60日内依法向大余县人民政府申请行政复议" in body
    assert "6个月内依法向人民法院提起行政诉讼" in body
    assert "三个月" not in body


def test_no_case_ends_refused_without_a_refusal_record(case, clerk):
    from casework.services.transitions import allowed_next

    assert CaseStatus.NOT_ACCEPTED in allowed_next(case)
    refuse(case, clerk)
    assert Refusal.objects.filter(case=case).count() == 1
    assert case.transitions.get(to_status=CaseStatus.NOT_ACCEPTED).note == "申请人不具备食品经营场所条件"


def test_a_refusal_needs_a_reason(case, clerk):
    with pytest.raises(ValidationError, match="否定报备须写明理由"):
        refuse(case, clerk, reason=" ")
    assert not Refusal.objects.exists()


def test_missing_materials_as_a_reason_must_be_marked_on_the_checklist(case, clerk):
    with pytest.raises(ValidationError, match="须先在材料清单中标明相应材料"):
        refuse(case, clerk, category="missing_materials")


def test_out_of_scope_names_the_authority_to_apply_to(case, clerk):
    with pytest.raises(ValidationError, match="须告知申请人应向哪个机关申请"):
        refuse(case, clerk, category="out_of_scope")
    refuse(case, clerk, category="out_of_scope", referred_authority="赣州市市场监督管理局")
    assert "该申请事项请向赣州市市场监督管理局提出" in case.notices.get(kind=NoticeKind.NON_ACCEPTANCE).body


def test_a_major_item_refusal_waits_for_the_leader_in_charge(committed_item, case, clerk, deputy, make_staff, two_departments):
    committed_item.is_major = True
    committed_item.save()
    refusal = refuse(case, clerk)
    case.refresh_from_db()
    assert (refusal.status, case.status) == (RefusalStatus.PENDING_APPROVAL, CaseStatus.RECEIVED)
    assert not case.notices.exists()

    other_leader = make_staff(two_departments[0], role=roles.LEADER_IN_CHARGE, leader_role="in_charge")
    with pytest.raises(PermissionDenied, match="须由「县市场监督管理局」的分管领导审批"):
        services.refusal_approve(refusal=refusal, user=other_leader.user)

    services.refusal_approve(refusal=refusal, user=deputy.user, note="同意")
    case.refresh_from_db()
    assert (refusal.status, refusal.approver, case.status) == (RefusalStatus.EFFECTIVE, deputy, CaseStatus.NOT_ACCEPTED)


def test_a_leader_who_disagrees_keeps_the_case_going(committed_item, case, clerk, deputy):
    committed_item.is_major = True
    committed_item.save()
    refusal = refuse(case, clerk)
    with pytest.raises(ValidationError, match="不同意否定时须写明意见"):
        services.refusal_reject(refusal=refusal, user=deputy.user, note="")
    services.refusal_reject(refusal=refusal, user=deputy.user, note="材料可补正,请一次性告知")
    case.refresh_from_db()
    assert (refusal.status, case.status) == (RefusalStatus.REJECTED, CaseStatus.RECEIVED)


def test_an_appeal_that_overturns_a_refusal_reopens_the_case(case, clerk, office):
    refusal = refuse(case, clerk)
    appeal = services.appeal_file(refusal=refusal, user=office.user, appellant="张三", grounds="经营场所已整改")
    with pytest.raises(PermissionDenied, match="申诉由中心管理办公室受理和处理"):
        services.appeal_decide(appeal=appeal, user=clerk.user, overturn=True, note="x")
    services.appeal_decide(appeal=appeal, user=office.user, overturn=True, note="场所符合条件,撤销不予受理")

    case.refresh_from_db()
    refusal.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert refusal.status == RefusalStatus.OVERTURNED
    overturned = Refusal.objects.filter(window=case.window, status=RefusalStatus.OVERTURNED).count()
    assert overturned == 1


def test_an_upheld_appeal_leaves_the_refusal_standing(case, clerk, office):
    refusal = refuse(case, clerk)
    appeal = services.appeal_file(refusal=refusal, user=office.user, appellant="张三", grounds="不服")
    services.appeal_decide(appeal=appeal, user=office.user, overturn=False, note="维持")
    case.refresh_from_db()
    assert (case.status, Refusal.objects.get().status) == (CaseStatus.NOT_ACCEPTED, RefusalStatus.EFFECTIVE)


def test_a_disapproval_after_acceptance_is_filed_and_completes_the_case(case, clerk):
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user)
    services.case_start(case=case, user=clerk.user)
    refuse(case, clerk, stage="disapproved", reason="现场核查不符合要求")
    case.refresh_from_db()
    assert case.status == CaseStatus.DISAPPROVED
    body = case.notices.get(kind=NoticeKind.DISAPPROVAL).body
    assert "经审查，决定不予许可。\n　　理由：现场核查不符合要求" in body
