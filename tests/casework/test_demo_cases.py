"""The demo cases: forty-odd cases in every status, played through the casework services by the demo staff."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from casework import demo, selectors
from halls import demo as halls_demo
from casework.models import (
    OPEN_STATUSES,
    Appeal,
    AppealDecision,
    Case,
    CaseExtension,
    CaseStatus,
    CaseTransition,
    Consultation,
    ConsultationOutcome,
    ExtensionStatus,
    NoticeKind,
    Refusal,
    RefusalStage,
    RefusalStatus,
)
from casework.services import current_step
from casework.validators import credit_code_error, resident_id_error
from registry.models import HandlingMode, ServiceItem
from staffing import roles

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py load_demo` once for the module (rolled back after it); its output."""
    out = StringIO()
    media = tmp_path_factory.mktemp("media")  # the office demo stores the signed original of a document
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("load_demo", "--force", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def today(first_run):
    return timezone.localdate()


def test_the_command_reports_what_it_loaded_and_the_logins(first_run):
    assert f"新增 {len(demo.STORIES) + 1} 件" in first_run
    assert "演示事项目录:新增" in first_run
    assert "admin" in first_run and "http://127.0.0.1:8000/admin/" in first_run


def test_the_demo_has_cases_in_every_status_over_the_last_weeks_at_many_windows(first_run, today):
    cases = Case.objects.all()
    # and the one opened from a consultation, and ratings.demo's case with an overdue 差评工单
    assert cases.count() == len(demo.STORIES) + 2 + len(halls_demo.CASES)
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    assert cases.values("window").distinct().count() >= 12
    assert not cases.filter(received_on__gt=today).exists()
    assert cases.filter(received_on__lte=demo._Clock().day(20)).exists()
    assert set(cases.values_list("handling_mode", flat=True)) == set(HandlingMode.values)
    assert cases.filter(first_inquiry_staff__isnull=False).count() == cases.count()


def test_every_case_was_handled_by_window_staff_of_its_own_department(first_run):
    for case in Case.objects.select_related("handler__user"):
        assert case.handler.department_id == case.department_id, case
        assert set(case.handler.user.groups.values_list("name", flat=True)) & {roles.WINDOW_STAFF, roles.WINDOW_HEAD}


def test_the_applicants_have_valid_id_numbers_and_credit_codes(first_run):
    for case in Case.objects.all():
        if case.applicant_kind == "person":
            assert resident_id_error(case.id_number) is None, case
        else:
            assert credit_code_error(case.credit_code) is None, case


def test_cases_in_correction_carry_the_one_time_correction_notice(first_run):
    in_correction = Case.objects.filter(status=CaseStatus.CORRECTION)
    assert in_correction.count() >= 2
    for case in in_correction:
        assert case.notices.filter(kind=NoticeKind.CORRECTION).exists(), case
        assert case.materials.filter(state__in=["missing", "unqualified"]).exists(), case


def test_refused_cases_have_an_effective_refusal_and_the_notice(first_run):
    for status, stage, kind in (
        (CaseStatus.NOT_ACCEPTED, RefusalStage.NOT_ACCEPTED, NoticeKind.NON_ACCEPTANCE),
        (CaseStatus.DISAPPROVED, RefusalStage.DISAPPROVED, NoticeKind.DISAPPROVAL),
    ):
        cases = Case.objects.filter(status=status)
        assert cases.exists(), status
        for case in cases:
            assert case.refusals.filter(stage=stage, status=RefusalStatus.EFFECTIVE).exists(), case
            assert case.notices.filter(kind=kind).exists(), case
    assert Refusal.objects.filter(category="out_of_scope").exclude(referred_authority="").exists()


def test_a_major_item_refusal_waits_for_the_leader_in_charge_and_another_was_approved(first_run):
    pending = Refusal.objects.get(status=RefusalStatus.PENDING_APPROVAL)
    assert pending.case.item.is_major
    assert pending.case.status == CaseStatus.IN_PROGRESS
    assert pending.department.leader_in_charge.user.username == "deputy"  # the demo login can decide it
    approved = Refusal.objects.filter(case__item__is_major=True, status=RefusalStatus.EFFECTIVE).get()
    assert approved.approver_id == approved.department.leader_in_charge_id
    assert approved.case.status == CaseStatus.DISAPPROVED


def test_an_appeal_overturned_a_refusal_and_reopened_the_case_another_was_upheld(first_run):
    overturned = Appeal.objects.get(decision=AppealDecision.OVERTURNED)
    assert overturned.refusal.status == RefusalStatus.OVERTURNED
    assert overturned.refusal.case.status in OPEN_STATUSES
    assert overturned.decided_by.user.username == "office"
    assert CaseTransition.objects.filter(case=overturned.refusal.case, from_status=CaseStatus.NOT_ACCEPTED).exists()
    assert Appeal.objects.filter(decision=AppealDecision.UPHELD).exists()


def test_one_extension_waits_for_the_leader_and_one_was_approved(first_run):
    pending = CaseExtension.objects.get(status=ExtensionStatus.PENDING)
    approved = CaseExtension.objects.get(status=ExtensionStatus.APPROVED)
    assert pending.case.is_open and approved.case.is_open
    assert approved.case.extended_working_days == approved.days
    assert approved.decided_by_id == approved.case.department.leader_in_charge_id
    notice = approved.case.notices.get(kind=NoticeKind.EXTENSION)  # the 延期告知书, printable from the case
    assert f"办理时限延长{approved.days}个工作日" in notice.body


def test_the_deadline_lists_have_something_to_show(first_run, today):
    cases = Case.objects.all()
    overdue = selectors.cases_overdue(cases, today)
    assert overdue.count() >= 1
    assert all(case.accepted_on < today for case in overdue)
    deemed = selectors.cases_deemed_acceptance_pending(cases, today)
    assert deemed.count() == 1
    assert not deemed.get().notices.exists()
    assert selectors.cases_due_soon(cases, selectors.due_window(today)).exists()
    assert selectors.cases_same_day_missed(cases, today).exists()
    assert cases.filter(status__in=OPEN_STATUSES, pauses__ended_on__isnull=True).exists()  # clock stopped in a step


def test_cases_in_progress_have_a_current_step_and_special_cases_are_marked(first_run):
    in_progress = Case.objects.filter(status=CaseStatus.IN_PROGRESS)
    assert in_progress.count() >= 5
    assert all(current_step(case) is not None for case in in_progress)
    assert Case.objects.filter(priority=True).exists()
    assert Case.objects.filter(assisted=True).exclude(assisted_note="").exists()
    assert Case.objects.filter(status=CaseStatus.DELIVERED).exclude(delivered_on=None).count() >= 5


def test_consultations_cover_every_outcome_and_one_became_a_case(first_run):
    assert set(Consultation.objects.values_list("outcome", flat=True)) == set(ConsultationOutcome.values)
    opened = Case.objects.get(consultation__isnull=False)
    assert opened.first_inquiry_staff_id == opened.consultation.first_inquiry_staff_id
    transferred = Consultation.objects.get(outcome=ConsultationOutcome.TRANSFERRED)
    assert transferred.transferred_to.department != transferred.department


def test_running_the_command_again_adds_nothing(first_run):
    counted = (Case, Consultation, Refusal, CaseTransition, ServiceItem)
    before = [model.objects.count() for model in counted] + [ServiceItem.history.count()]
    out = StringIO()

    call_command("load_demo", "--force", stdout=out)

    assert [model.objects.count() for model in counted] + [ServiceItem.history.count()] == before
    printed = out.getvalue()
    assert "未加载演示办件" in printed
    assert f"未变 {ServiceItem.objects.count()} 个" in printed


def test_the_demo_has_a_tax_branch_center_with_its_head_windows_items_and_cases_and_a_township_center(first_run):
    from halls.models import Hall, HallKind
    from registry import selectors as registry_selectors

    assert "演示服务场所:新增场所 2 个,分中心办件 10 件;分中心账号 branchhead(刘志强,窗口负责人)、branchclerk(陈静,窗口工作人员)" in first_run
    branch = Hall.objects.get(name="国家税务总局大余县税务局办税服务分中心")
    assert (branch.kind, branch.department.name, branch.head.name) == (HallKind.BRANCH, "国家税务总局大余县税务局", "刘志强")
    assert sorted(branch.windows.values_list("number", flat=True)) == ["F01", "F02"]
    assert branch.items.count() >= 3
    for item in branch.items.all():  # still offered at the center's hall too
        assert len(registry_selectors.item_hall_ids(item)) == 2
    cases = Case.objects.filter(hall=branch)
    assert cases.count() == 10 and cases.values("status").distinct().count() >= 5
    assert Hall.objects.get(name="池江镇便民服务中心").uses_system is False
