"""S1.1-f inspection pages: hall scoping with two halls, the inspector's own work, the 待我办理 kinds, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from halls.inspection_selectors import findings_to_rectify, findings_to_verify
from halls.models import FindingStatus, InspectionFinding
from halls.services.inspections import finding_rectify, inspection_issue

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def two_inspections(official_calendar, travel, branch, center_hall, make_inspection, inspector):
    travel(D(2026, 11, 2))
    in_branch = make_inspection(branch, ["分中心无办事指南"])
    in_center = make_inspection(center_hall, ["中心大厅未公开投诉电话"])
    for inspection in (in_branch, in_center):
        inspection_issue(inspection=inspection, user=inspector.user)
    return in_branch, in_center


def test_a_halls_head_sees_only_the_inspections_of_the_halls_of_their_department(client, two_inspections, branch_head):
    client.force_login(branch_head.user)
    inspections = client.get(reverse("admin:halls_hallinspection_changelist")).content.decode()
    findings = client.get(reverse("admin:halls_inspectionfinding_changelist")).content.decode()
    assert "分中心无办事指南" in findings and "中心大厅未公开投诉电话" not in findings
    assert "国家税务总局大余县税务局办税服务分中心" in inspections and "大余县行政服务中心大厅 " not in inspections
    other = two_inspections[1]
    assert client.get(reverse("admin:halls_hallinspection_notice", args=[other.pk])).status_code == 404
    other_finding = other.findings.get()
    assert client.get(reverse("admin:halls_inspectionfinding_rectify", args=[other_finding.pk])).status_code == 404


def test_the_inspector_sees_every_hall_and_records_but_does_not_rectify(client, two_inspections, inspector):
    client.force_login(inspector.user)
    findings = client.get(reverse("admin:halls_inspectionfinding_changelist")).content.decode()
    assert "分中心无办事指南" in findings and "中心大厅未公开投诉电话" in findings
    assert client.get(reverse("admin:halls_hallinspection_add")).status_code == 200
    finding = two_inspections[0].findings.get()
    rectify = reverse("admin:halls_inspectionfinding_rectify", args=[finding.pk])
    # Refused before a form is filled in, and on a post all the same.
    assert client.get(rectify).status_code == 403
    assert client.post(rectify, {"rectification": "代为整改"}).status_code == 403
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_a_halls_head_may_not_open_the_verification_of_their_own_rectification(client, two_inspections, branch_head):
    client.force_login(branch_head.user)
    finding = two_inspections[0].findings.get()
    assert client.get(reverse("admin:halls_inspectionfinding_rectify", args=[finding.pk])).status_code == 200
    assert client.get(reverse("admin:halls_inspectionfinding_verify", args=[finding.pk])).status_code == 403


def test_the_head_rectifies_through_the_page_and_bad_input_is_named(client, two_inspections, branch_head, travel):
    client.force_login(branch_head.user)
    finding = two_inspections[0].findings.get()
    url = reverse("admin:halls_inspectionfinding_rectify", args=[finding.pk])
    page = client.post(url, {"rectification": "已整改", "rectified_on": "2026-10-01"}).content.decode()
    assert "整改日期「2026-10-01」应在通知书下达日(2026-11-02)至今天之间" in page
    assert client.post(url, {"rectification": "已印制办事指南。"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFIED and finding.rectified_by == branch_head.user


def test_the_inbox_shows_rectifications_to_the_head_and_verifications_to_inspectors(
    two_inspections, branch_head, market_head, inspector
):
    assert findings_to_rectify(branch_head.user, branch_head).count() == 1
    # The center's own hall has no department: its head (or a center admin) rectifies, not a window's head.
    assert findings_to_rectify(market_head.user, market_head).count() == 0
    assert findings_to_rectify(inspector.user, inspector) is None
    finding_rectify(finding=two_inspections[0].findings.get(), user=branch_head.user, rectification="已整改。")
    assert findings_to_rectify(branch_head.user, branch_head).count() == 0
    assert findings_to_verify(inspector.user, inspector).count() == 1


def test_the_inspection_and_finding_lists_take_a_fixed_number_of_queries(
    client, two_inspections, inspector, make_inspection, center_hall, django_assert_max_num_queries
):
    client.force_login(inspector.user)
    lists = [reverse("admin:halls_hallinspection_changelist"), reverse("admin:halls_inspectionfinding_changelist")]
    counts = []
    for url in lists:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    for _ in range(10):
        make_inspection(center_hall, ["甲", "乙"])
    assert InspectionFinding.objects.count() == 22
    for url, count in zip(lists, counts):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
    assert max(counts) <= 18
