"""A case from the first inquiry to the 受理通知书, driven by window staff in a real browser.

首问登记 → 转为办件 → the checklist with one material missing → 一次性补正告知书 → the applicant brings
the material → 受理 → 受理通知书 with the committed completion date on the official calendar.
"""

import re

import pytest
from django.utils import timezone

from casework.models import Case, CaseStatus, NoticeKind, NoticeTemplate
from registry import services as registry_services
from registry.models import HandlingMode, ItemType, Material, ProcedureStep, ServiceItem
from staffing import services as staffing_services
from staffing.models import Department, DepartmentKind, Window
from staffing.roles import WINDOW_STAFF
from staffing.working_days import add_working_days

from .conftest import RESULTS_DIR, admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
APPLICANT = "张三"
ID_NUMBER = "11010519491231002X"  # a valid 居民身份证号 (check digit X)
FORM, LICENCE = "食品经营许可申请书", "营业执照复印件"


def published_committed_item(department, window):
    """A 承诺件: statutory 20, committed 10 working days, three counted steps, two required materials."""
    item = ServiceItem.objects.create(
        code="E2E-100",
        name="食品经营许可",
        item_type=ItemType.LICENSING,
        department=department,
        window=window,
        handling_mode=HandlingMode.COMMITTED,
        statutory_limit_days=20,
        committed_limit_days=10,
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        procedure="受理→现场核查→决定",
        contact="李春梅",
        phone="0797-8721111",
        complaint_phone="0797-8722345",
        result_name="食品经营许可证",
    )
    Material.objects.create(item=item, order=1, name=FORM, copies=1, required=True)
    Material.objects.create(item=item, order=2, name=LICENCE, form="copy", copies=1, required=True)
    ProcedureStep.objects.create(item=item, order=1, name="受理", limit_days=1)
    ProcedureStep.objects.create(item=item, order=2, name="现场核查", limit_days=5)
    ProcedureStep.objects.create(item=item, order=3, name="决定", limit_days=4)
    return registry_services.item_set_status(item=item, status="active")


def field_label(text):
    """A form field's label as the admin writes it: the name, then the suffix 「:」 (or 「：」)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*[:：]?\s*$")


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def material_row(page, name):
    """The checklist row of one material on the case page."""
    return page.locator("#materials-group tr.form-row", has_text=name)


def tick(page, name, state):
    material_row(page, name).get_by_label(state, exact=True).check()


def submit(page, button):
    """Press a button that posts the page, and wait for the page the server answers with.

    Most of them redirect back to the very URL they were pressed on, so waiting for that URL would
    return at once, before the answer; waiting for the navigation does not.
    """
    with page.expect_navigation():
        button.click()


def case_status(page):
    return page.locator(".case-panel .case-status").inner_text()


def save_screenshot(tab, name):
    """Like the `screenshot` fixture, for a tab other than the test's page (the print pages open in new tabs)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    tab.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)


def open_print_page(page, notice_title):
    """Click 打印 on the notice's row (it opens a new tab) and return that tab, loaded."""
    row = page.locator("tr", has_text=notice_title).filter(has=page.get_by_role("link", name="打印"))
    assert row.count() == 1, page.locator("#content").inner_text()
    with page.context.expect_page() as new_tab:
        row.get_by_role("link", name="打印").click()
    printed = new_tab.value
    printed.wait_for_load_state()
    return printed


@pytest.mark.django_db(transaction=True)
def test_window_staff_logs_a_consultation_opens_a_case_asks_for_a_material_then_accepts_it(
    live_server, page, make_staff
):
    staffing_services.calendar_seed_from_package(years=[2025, 2026])
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    window = Window.objects.create(number="01", name="市场主体登记", department=market)
    item = published_committed_item(market, window)
    clerk = make_staff(market, role=WINDOW_STAFF, name="李春梅", window=window)

    admin_login(page, live_server, clerk.user.username, PASSWORD)

    # 首问登记: who asked, about which item (the autocomplete over the catalog), what they were given.
    page.goto(f"{live_server.url}/admin/casework/consultation/add/")
    assert "首问责任人:李春梅" in page.locator("#content-main").inner_text()
    page.get_by_label(field_label("咨询人")).fill("王五")
    page.get_by_label(field_label("联系电话")).fill("13907970002")
    page.locator(".field-item .select2-selection").click()  # the admin's autocomplete box (select2)
    page.keyboard.type("食品经营")  # the opened box has the focus in its search field
    page.get_by_role("option", name=str(item)).click()
    assert item.name in page.locator(".field-item").inner_text()
    page.get_by_label(field_label("咨询内容")).fill("开小吃店要办什么证?")
    page.get_by_label("发放一次性告知单").check()
    submit(page, page.get_by_role("button", name="保存", exact=True))
    assert page.url.endswith("/admin/casework/consultation/"), page.url
    assert page.locator(".messagelist .success").count() == 1, page.locator("#content").inner_text()

    # 转为办件: the applicant's name and ID; the window is the clerk's own.
    row = page.locator("#result_list tbody tr", has_text="王五")
    assert row.count() == 1, page.locator("#result_list").inner_text()
    row.get_by_role("link", name="转为办件").click()
    page.wait_for_url("**/open-case/")
    page.get_by_label(field_label("申请人")).fill(APPLICANT)
    page.get_by_label(field_label("证件号码")).fill(ID_NUMBER)
    submit(page, page.get_by_role("button", name="收件并转为办件"))
    assert re.search(r"/admin/casework/case/\d+/change/$", page.url), page.locator("#content").inner_text()
    assert "已转为办件" in page.locator(".messagelist").inner_text()
    case_url = page.url

    # The checklist: the application form is there, the licence copy is missing.
    tick(page, FORM, "已收取")
    tick(page, LICENCE, "缺少")
    submit(page, page.get_by_role("button", name="保存材料核验结果"))
    assert page.url == case_url, page.url
    assert "已保存2项材料的核验结果" in page.locator(".messagelist").inner_text()

    submit(page, page.get_by_role("button", name="一次性补正告知"))
    assert page.url == case_url, page.url
    assert "办件转为补正" in page.locator(".messagelist").inner_text(), page.locator(".messagelist").inner_text()
    assert re.match(r"状态\s*补正", case_status(page)), case_status(page)

    correction = open_print_page(page, "一次性补正告知书")
    sheet = correction.locator(".notice")
    assert sheet.get_by_role("heading", name="一次性补正告知书").is_visible()
    text = sheet.inner_text()
    assert LICENCE in text, text
    assert FORM not in text, text  # only what is missing, and all of it at once
    assert APPLICANT in text
    save_screenshot(correction, "case-flow-correction-notice")
    correction.close()

    # The applicant comes back with the licence copy: tick it, save, accept.
    tick(page, LICENCE, "已收取")
    submit(page, page.get_by_role("button", name="保存材料核验结果"))
    assert page.url == case_url, page.url
    assert "已保存1项材料的核验结果" in page.locator(".messagelist").inner_text()

    today = timezone.localdate()
    due = add_working_days(today, item.committed_limit_days)
    submit(page, page.get_by_role("button", name="受理", exact=True))
    assert page.url == case_url, page.url
    message = page.locator(".messagelist").inner_text()
    assert "已受理" in message and chinese_date(due) in message, message
    assert re.match(r"状态\s*受理", case_status(page)), case_status(page)

    acceptance = open_print_page(page, "受理通知书")
    sheet = acceptance.locator(".notice")
    assert sheet.get_by_role("heading", name="受理通知书").is_visible()
    text = sheet.inner_text()
    assert f"我们将于{chinese_date(due)}前办结" in text, text
    assert APPLICANT in text and item.name in text
    save_screenshot(acceptance, "case-flow-acceptance-notice")
    acceptance.close()

    case = Case.objects.get()
    assert (case.status, case.accepted_on, case.committed_due_date) == (CaseStatus.ACCEPTED, today, due)
    assert list(case.notices.order_by("pk").values_list("kind", flat=True)) == [NoticeKind.CORRECTION, NoticeKind.ACCEPTANCE]
