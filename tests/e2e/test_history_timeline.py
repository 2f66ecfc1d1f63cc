"""An inspector follows one case through the history timeline in a real browser (issue 10, S2.5).

The clerk receives two cases and accepts one. The inspector opens 变更记录, looks the case up by its
number (业务编号, issue 16: no internal id), and sees who changed its status from 收件 to 受理 and when; the search
by the case's number finds the same case. From the timeline the inspector opens the case: it is read
only (no 保存, no step buttons), and a POST to it or to a step is refused, the case unchanged.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import Case, CaseStatus
from registry.models import HandlingMode, ItemStatus, ItemType, Material, ServiceItem
from staffing import services as staffing_services
from staffing.models import Department, DepartmentKind, Window
from staffing.roles import INSPECTOR, WINDOW_STAFF

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
APPLICANT = {"applicant_name": "王小明", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13907970001"}
OTHER = {"applicant_name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13907970002"}


@pytest.fixture
def story(make_staff):
    staffing_services.calendar_seed_from_package(years=[2025, 2026])
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    inspection = Department.objects.create(name="督查股", kind=DepartmentKind.SECTION)
    window = Window.objects.create(number="01", name="市场主体登记", department=market)
    item = ServiceItem.objects.create(
        code="000001", name="食品经营许可", item_type=ItemType.LICENSING, department=market, window=window,
        handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20, committed_limit_days=10,
        legal_basis="《中华人民共和国食品安全法》第三十五条", procedure="受理→审查→决定", contact="李春梅",
        phone="0797-8721111", complaint_phone="0797-8722345", status=ItemStatus.ACTIVE, disclosure_complete=True,
    )  # fmt: skip
    Material.objects.create(item=item, order=1, name="食品经营许可申请书")
    clerk = make_staff(market, role=WINDOW_STAFF, name="李春梅", window=window)
    inspector = make_staff(inspection, role=INSPECTOR, name="蓝晓燕")

    case = casework_services.case_receive(item=item, window=window, user=clerk.user, **APPLICANT)
    for material in case.materials.all():
        casework_services.case_check_material(material=material, user=clerk.user, state="received")
    casework_services.case_accept(case=case, user=clerk.user)
    other = casework_services.case_receive(item=item, window=window, user=clerk.user, **OTHER)
    accepted = case.history.filter(status=CaseStatus.ACCEPTED).order_by("history_id").first()
    return {"case": case, "other": other, "clerk": clerk, "inspector": inspector, "accepted_at": accepted.history_date}


def timeline_rows(page):
    return page.locator("#timeline tbody tr.entry")


def status_change_row(page):
    """The entry where 状态 went from one value to another (a creation lists it with its new value only)."""
    return timeline_rows(page).filter(has=page.locator("ul.changes li", has_text="状态", has=page.locator(".old")))


def test_an_inspector_follows_one_case_and_sees_who_changed_its_status_and_when_but_cannot_edit(
    live_server, page, story
):
    case, other = story["case"], story["other"]
    admin_login(page, live_server, story["inspector"].user.username, PASSWORD)

    # 变更记录, filtered to the record type 办件 and this case's number.
    page.goto(f"{live_server.url}{reverse('history_timeline')}")
    assert page.locator("#content h1").inner_text().startswith("变更记录")
    page.select_option("#f-model", "casework.Case")
    page.fill("#f-key", case.number)
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    assert "model=casework.Case" in page.url and "key=" in page.url

    rows = timeline_rows(page)
    texts = rows.all_inner_texts()
    assert texts and all(case.number in text for text in texts), texts
    assert not any(other.number in text for text in texts)
    assert "新增" in texts[-1]  # oldest last: the receipt

    # Who changed the status, from what to what, and when.
    change = status_change_row(page)
    assert change.count() == 1, texts
    cells = change.locator("td")
    moment = timezone.localtime(story["accepted_at"])
    when = f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    assert cells.nth(0).inner_text().strip() == when
    assert "李春梅" in cells.nth(1).inner_text() and "县市场监督管理局" in cells.nth(1).inner_text()
    assert cells.nth(2).inner_text().strip() == "修改"
    status = change.locator("ul.changes li", has_text="状态", has=page.locator(".old"))
    assert status.locator(".old").inner_text() == "收件"
    assert status.locator(".new").inner_text() == "受理"
    assert re.search(r"状态\s*[:：]\s*收件\s*→\s*受理", status.inner_text()), status.inner_text()

    # The search by the case's number finds the same case (and only records that quote it).
    page.goto(f"{live_server.url}{reverse('history_timeline')}")
    page.fill("#f-q", case.number)
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    found = timeline_rows(page).all_inner_texts()
    assert found and all(case.number in text for text in found)
    assert status_change_row(page).filter(has_text="李春梅").count() == 1

    # From the timeline to the case: read only.
    page.goto(f"{live_server.url}{reverse('history_timeline')}?model=casework.Case&object={case.pk}")
    status_change_row(page).get_by_role("link", name=re.compile(re.escape(case.number))).click()
    page.wait_for_url(f"**/admin/casework/case/{case.pk}/change/")
    content = page.locator("#content-main")
    assert case.number in content.inner_text()
    assert page.locator("input[type=submit], button[type=submit]").filter(has_text="保存").count() == 0
    assert page.locator("input[type=submit][value*='保存']").count() == 0
    assert page.get_by_role("button", name="受理").count() == 0 and page.get_by_role("button", name="送达").count() == 0

    # A POST is refused all the same: to the case page and to a step.
    versions = Case.history.filter(id=case.pk).count()
    csrf = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    headers = {"X-CSRFToken": csrf, "Referer": page.url}
    change_url = f"{live_server.url}{reverse('admin:casework_case_change', args=[case.pk])}"
    refused = page.request.post(change_url, form={"csrfmiddlewaretoken": csrf, "_save": "保存"}, headers=headers)
    assert refused.status == 403, refused.status
    step_url = f"{live_server.url}{reverse('admin:casework_case_start', args=[case.pk])}"
    refused = page.request.post(step_url, form={"csrfmiddlewaretoken": csrf, "note": ""}, headers=headers)
    assert refused.status == 403, refused.status
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert Case.history.filter(id=case.pk).count() == versions  # nothing was written
