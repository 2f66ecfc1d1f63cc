"""Issue 16 in a real browser: an inspector finds 变更记录 from the index, looks a case up by its
number, reads its due-date change with the reason and the leader's name, opens a notice-template
edit where only the changed words are marked, and exports the page to Excel."""

import io

import openpyxl
import pytest

from casework import services as casework_services
from casework.models import NoticeTemplate
from registry.models import HandlingMode, ItemStatus, ItemType, Material, ServiceItem
from staffing import services as staffing_services
from staffing.models import Department, DepartmentKind, Window
from staffing.roles import CENTER_ADMIN, INSPECTOR, LEADER_IN_CHARGE, WINDOW_STAFF

from .conftest import admin_login

PASSWORD = "测试密码-2026"
APPLICANT = {"applicant_name": "王小明", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13907970001"}
REASON = "需现场核查经营场所"


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
    leader = make_staff(market, role=LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    market.leader_in_charge = leader
    market.save()
    administrator = make_staff(inspection, role=CENTER_ADMIN, name="黄志强")
    inspector = make_staff(inspection, role=INSPECTOR, name="蓝晓燕")

    case = casework_services.case_receive(item=item, window=window, user=clerk.user, **APPLICANT)
    for material in case.materials.all():
        casework_services.case_check_material(material=material, user=clerk.user, state="received")
    casework_services.case_accept(case=case, user=clerk.user)
    extension = casework_services.case_request_extension(case=case, user=clerk.user, days=3, reason=REASON)
    casework_services.extension_decide(extension=extension, user=leader.user, approve=True, note="同意")

    template = NoticeTemplate.objects.order_by("pk").first()
    words = template.body.split("。")
    assert len(template.body) > 80, "the seeded template is long enough for a word-level diff"
    template.body = template.body.replace("。", "。请携带身份证原件。", 1)
    template._history_user = administrator.user
    template._change_reason = "补充携带证件的提示"
    template.save()
    return {"case": case, "inspector": inspector, "template": template, "first_sentence": words[0]}


def test_an_inspector_reviews_a_cases_due_date_change_and_a_template_edit_and_exports(live_server, page, story, screenshot):
    admin_login(page, live_server, story["inspector"].user.username, PASSWORD)

    # Found from the index: the card at the top, with today's changes.
    card = page.locator("#history-card")
    assert "今日变更" in card.inner_text()
    assert int(card.locator(".history-today").inner_text()) > 0
    assert page.locator("#header-history-link").count() == 1
    with page.expect_navigation():
        card.get_by_role("link", name="变更记录").click()
    assert page.locator("#content h1").inner_text().startswith("变更记录")

    # One case by its number: the due-date change, with the reason and the leader's name.
    page.fill("#f-key", story["case"].number)
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    rows = page.locator("#timeline tbody tr.entry")
    due = rows.filter(has=page.locator("ul.changes li", has_text="承诺办结日"))
    due = due.filter(has_text="批准延期")
    assert due.count() == 1, rows.all_inner_texts()
    text = due.inner_text()
    assert "钟晓明" in text and "县市场监督管理局" in text and REASON in text
    assert "年" in due.locator("ul.changes li", has_text="承诺办结日").inner_text()  # a Chinese date
    assert "None" not in page.locator("#timeline").inner_text()
    screenshot("history-review-case")

    # The template edit: only the added words are marked; the whole text stays folded.
    page.goto(f"{live_server.url}/admin/history/?model=casework.NoticeTemplate")
    edit = page.locator("#timeline tbody tr.entry").filter(has_text="补充携带证件的提示")
    assert edit.count() == 1
    body = edit.locator("ul.changes li", has_text="正文模板")
    # 「。请携带身份证原件」 and 「请携带身份证原件。」 mark the same insertion.
    assert [text.strip("。") for text in body.locator(".word-diff ins").all_inner_texts()] == ["请携带身份证原件"]
    assert body.locator(".word-diff del").count() == 0
    assert not body.locator("details.full-text .full-new").is_visible()
    body.locator("details.full-text summary").click()
    assert body.locator("details.full-text .full-new").is_visible()
    screenshot("history-review-template")

    # The page to Excel.
    with page.expect_download() as download_info:
        page.locator("#export-link").click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "变更原因"
    assert any(row[5] == "正文模板" and row[8] == "补充携带证件的提示" for row in rows[1:])
