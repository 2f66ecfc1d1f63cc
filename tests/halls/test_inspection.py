"""S1.1-f inspections: issuing the notice computes due dates on the official calendar; the hall's head rectifies,
an inspector verifies; overdue rectifications open one accountability record through the sweep."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from halls.models import FindingStatus, HallSettings, InspectionStatus
from halls.services.inspections import finding_rectify, finding_verify, inspection_issue, sweep_inspections
from staffing.models import AccountabilityRecord, Violation

pytestmark = pytest.mark.django_db
D = datetime.date


def test_issuing_the_notice_counts_the_rectification_limit_in_working_days_across_the_national_day(
    official_calendar, travel, branch, make_inspection, inspector
):
    travel(D(2026, 9, 29))
    inspection = make_inspection(branch, ["窗口无办事指南", "工作人员未挂牌上岗"])

    inspection_issue(inspection=inspection, user=inspector.user)

    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.ISSUED
    assert inspection.issued_on == D(2026, 9, 29)
    # 9/30 is day 1; 10/1–10/7 are holidays; 10/8, 10/9, 10/10 (a make-up Saturday) and 10/12 follow.
    assert {f.due_date for f in inspection.findings.all()} == {D(2026, 10, 12)}
    assert {f.limit_days for f in inspection.findings.all()} == {5}


def test_the_rectification_limit_is_a_setting(official_calendar, travel, branch, make_inspection, inspector):
    travel(D(2026, 11, 2))
    settings = HallSettings.load()
    settings.rectify_days = 3
    settings.save()
    inspection = make_inspection(branch)
    inspection_issue(inspection=inspection, user=inspector.user)
    assert inspection.findings.get().due_date == D(2026, 11, 5)


def test_an_inspection_is_issued_once(official_calendar, travel, branch, make_inspection, inspector):
    travel(D(2026, 11, 2))
    inspection = make_inspection(branch)
    inspection_issue(inspection=inspection, user=inspector.user)
    with pytest.raises(ValidationError, match="已是「已下达」"):
        inspection_issue(inspection=inspection, user=inspector.user)


def test_the_halls_head_rectifies_an_inspector_verifies_and_the_inspection_is_done(
    official_calendar, travel, branch, branch_head, make_inspection, inspector
):
    travel(D(2026, 11, 2))
    inspection = make_inspection(branch, ["窗口无办事指南", "未公开投诉电话"])
    inspection_issue(inspection=inspection, user=inspector.user)
    first, second = inspection.findings.order_by("pk")

    travel(D(2026, 11, 4))
    finding_rectify(finding=first, user=branch_head.user, rectification="已印制办事指南并摆放于窗口。")
    finding_rectify(finding=second, user=branch_head.user, rectification="已在大厅公示投诉电话。")
    finding_verify(finding=first, user=inspector.user, passed=True)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.ISSUED  # one finding still waits for verification

    finding_verify(finding=second, user=inspector.user, passed=True)
    inspection.refresh_from_db()
    first.refresh_from_db()
    assert inspection.status == InspectionStatus.DONE
    assert (first.status, first.rectified_on, first.verification, first.verified_by) == (
        FindingStatus.CLOSED, D(2026, 11, 4), "passed", inspector.user
    )
    assert first.history.first().history_user == inspector.user


def test_a_failed_verification_sends_the_finding_back_to_the_hall(
    official_calendar, travel, branch, branch_head, make_inspection, inspector
):
    travel(D(2026, 11, 2))
    inspection = make_inspection(branch)
    inspection_issue(inspection=inspection, user=inspector.user)
    finding = inspection.findings.get()
    finding_rectify(finding=finding, user=branch_head.user, rectification="已整改。")
    with pytest.raises(ValidationError) as refused:
        finding_verify(finding=finding, user=inspector.user, passed=False)
    assert "复查不合格时请写明复查意见" in str(refused.value)

    finding_verify(finding=finding, user=inspector.user, passed=False, note="指南内容仍为旧版。")
    finding.refresh_from_db()
    assert (finding.status, finding.verification) == (FindingStatus.OPEN, "failed")


def test_only_the_halls_head_or_its_departments_head_may_rectify(
    official_calendar, travel, branch, branch_head, market_head, make_inspection, inspector
):
    travel(D(2026, 11, 2))
    inspection = make_inspection(branch)
    inspection_issue(inspection=inspection, user=inspector.user)
    finding = inspection.findings.get()

    for outsider in (market_head.user, inspector.user):
        with pytest.raises(PermissionDenied, match="只有「国家税务总局大余县税务局办税服务分中心」的负责人"):
            finding_rectify(finding=finding, user=outsider, rectification="代为整改")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN and finding.rectification == ""


def test_a_draft_cannot_be_rectified_and_an_empty_rectification_is_refused(
    official_calendar, travel, branch, branch_head, make_inspection, inspector
):
    travel(D(2026, 11, 2))
    inspection = make_inspection(branch)
    finding = inspection.findings.get()
    with pytest.raises(ValidationError, match="整改通知书尚未下达"):
        finding_rectify(finding=finding, user=branch_head.user, rectification="已整改")
    inspection_issue(inspection=inspection, user=inspector.user)
    with pytest.raises(ValidationError, match="请填写整改情况"):
        finding_rectify(finding=finding, user=branch_head.user, rectification="  ")


@pytest.mark.date_sensitive
def test_an_inspection_finding_overdue_across_a_holiday_opens_one_accountability_record(
    official_calendar, travel, branch, branch_head, make_inspection, inspector
):
    travel(D(2026, 9, 29))
    inspection = make_inspection(branch)
    inspection_issue(inspection=inspection, user=inspector.user)
    finding = inspection.findings.get()
    assert finding.due_date == D(2026, 10, 12)

    assert sweep_inspections(today=D(2026, 10, 8)) == 0  # the holiday does not count
    assert sweep_inspections(today=D(2026, 10, 12)) == 0  # the due date itself is in time
    travel(D(2026, 10, 13))
    call_command("sweep_deadlines", stdout=open("/dev/null", "w"))
    call_command("sweep_deadlines", stdout=open("/dev/null", "w"))

    records = AccountabilityRecord.objects.filter(violation=Violation.OVERDUE_HALL_RECTIFY)
    assert records.count() == 1
    record = records.get()
    assert (record.source, record.department, record.responsible) == (finding, branch.department, branch_head)
    assert "逾期未整改(整改期限2026-10-12)" in record.description


def test_a_rectification_recorded_after_its_due_date_still_opens_one_record(
    official_calendar, travel, branch, branch_head, make_inspection, inspector
):
    travel(D(2026, 11, 2))
    inspection = make_inspection(branch, limit_days=1)
    inspection_issue(inspection=inspection, user=inspector.user)
    finding = inspection.findings.get()
    travel(D(2026, 11, 6))
    finding_rectify(finding=finding, user=branch_head.user, rectification="已整改。")
    assert sweep_inspections() == 1
    assert sweep_inspections() == 0


def test_a_finding_rectified_in_time_opens_no_record(
    official_calendar, travel, branch, branch_head, make_inspection, inspector
):
    travel(D(2026, 11, 2))
    inspection = make_inspection(branch)
    inspection_issue(inspection=inspection, user=inspector.user)
    finding_rectify(finding=inspection.findings.get(), user=branch_head.user, rectification="已整改。")
    assert sweep_inspections(today=D(2026, 12, 31)) == 0
