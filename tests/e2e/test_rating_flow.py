"""好差评 end to end (R1.1, R1.3, R1.5): a case completed at 01号窗口 is rated 不满意 on the window's pad
with a tag; the 差评工单 waits in the department head's inbox; the head visits back, sets 限期整改,
records the rectification and the reply; the figures and the public notice show the result."""

import re

import pytest

from casework import services as casework_services
from ratings.models import BadRatingTicket, RatingChannel, TicketStatus
from ratings.services.ratings import pad_create
from registry import services as registry_services
from registry.models import HandlingMode, ItemType, Material, ServiceItem
from staffing.models import Department, DepartmentKind, Window
from staffing.roles import OFFICE_STAFF, WINDOW_HEAD, WINDOW_STAFF

from .conftest import RESULTS_DIR, admin_login

PASSWORD = "测试密码-2026"
PAD_PASSWORD = "评价器密码-2026"


def immediate_item(department, window):
    item = ServiceItem.objects.create(
        code="E2E-RATE", name="个体工商户名称变更登记", item_type=ItemType.CONFIRMATION, department=department, window=window,
        handling_mode=HandlingMode.IMMEDIATE, committed_limit_days=0, legal_basis="《促进个体工商户发展条例》",
        procedure="当场办结", contact="李春梅", phone="0797-8721111", complaint_phone="0797-8722345",
    )
    Material.objects.create(item=item, order=1, name="变更登记申请书")
    return registry_services.item_set_status(item=item, status="active")


def submit(page, button):
    with page.expect_navigation():
        button.click()


@pytest.mark.django_db(transaction=True)
def test_a_bad_rating_on_the_pad_is_followed_to_the_end_and_published(live_server, browser, make_staff):
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    police = Department.objects.create(name="县公安局", kind=DepartmentKind.STATIONED)
    window = Window.objects.create(number="01", name="市场主体登记", department=market)
    Window.objects.create(number="02", name="户籍办理", department=police)
    clerk = make_staff(market, role=WINDOW_STAFF, name="李春梅", window=window)
    head = make_staff(market, role=WINDOW_HEAD, name="王建国", window=window)
    police_head = make_staff(police, role=WINDOW_HEAD, name="赵警官")
    make_staff(market, role=OFFICE_STAFF, name="刘办公")
    pad_create(window=window, username="pad01", password=PAD_PASSWORD)
    item = immediate_item(market, window)

    # The case is completed at 01号窗口.
    case = casework_services.case_receive(
        item=item, window=window, user=clerk.user, applicant_name="张三", id_type="resident_id",
        id_number="11010519491231002X", phone="13907970001",
    )
    for material in case.materials.all():
        casework_services.case_check_material(material=material, user=clerk.user, state="received")
    casework_services.case_accept(case=case, user=clerk.user)
    casework_services.case_approve(case=case, user=clerk.user)

    # The pad (a tablet, 1024×768, touch) shows the case's number and item, nothing personal.
    tablet = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 768}, has_touch=True)
    pad = tablet.new_page()
    admin_login(pad, live_server, "pad01", PAD_PASSWORD)
    assert pad.url.endswith("/admin/ratings/ratingpad/screen/")
    assert case.number in pad.inner_text(".case") and "个体工商户名称变更登记" in pad.inner_text(".case")
    assert "张三" not in pad.content() and "13907970001" not in pad.content()
    bad = pad.get_by_role("button", name=re.compile("^☆*★*☆*\\s*不满意$"))
    box = bad.bounding_box()
    assert box["width"] >= 120 and box["height"] >= 120  # a finger's target
    with pad.expect_navigation():
        bad.tap()
    assert "请选择不满意的方面" in pad.inner_text("main")
    pad.get_by_text("态度", exact=True).tap()
    with pad.expect_navigation():
        pad.get_by_role("button", name="提交").tap()
    assert "感谢您的评价" in pad.inner_text("main")
    pad.screenshot(path=str(RESULTS_DIR / "rating-pad-thanks.png")) if RESULTS_DIR.exists() else None
    # The device account opens nothing else.
    assert pad.goto(f"{live_server.url}/admin/casework/case/").status == 403
    tablet.close()

    ticket = BadRatingTicket.objects.get(case=case)
    assert ticket.rating.channel == RatingChannel.PAD and ticket.rating.tag_labels() == "态度"

    # The ticket waits in the department head's inbox; not in the other department's.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    admin_login(page, live_server, police_head.user.username, PASSWORD)
    assert "差评工单待回访核实" not in page.inner_text("#dashboard")
    context.clear_cookies()
    admin_login(page, live_server, head.user.username, PASSWORD)
    inbox = page.locator("#dashboard .db-pending li", has_text="差评工单待回访核实、整改或答复")
    assert inbox.locator(".db-count").inner_text() == "1"
    submit(page, inbox.locator("a"))
    submit(page, page.locator("#result_list tbody a", has_text=case.number))

    # Visit back → 限期整改.
    form = page.locator("#step-visit")
    form.get_by_label("回访方式").select_option(label="电话")
    form.get_by_label("核实情况").fill("窗口人员解释不耐心,情况属实。")
    form.get_by_label("限期整改").check()
    submit(page, form.get_by_role("button", name="确认回访核实"))
    assert "限期整改,请于" in page.inner_text(".messagelist")
    assert "限期整改中" in page.inner_text(".ticket-status")

    form = page.locator("#step-rectify")
    form.get_by_label("整改措施和结果").fill("组织窗口人员服务礼仪培训,调整叫号提示。")
    submit(page, form.get_by_role("button", name="确认整改完成"))
    assert "下一步请答复评价人" in page.inner_text(".messagelist")

    form = page.locator("#step-reply")
    form.get_by_label("答复方式").select_option(label="电话")
    form.get_by_label("答复内容").fill("已整改,感谢您的监督。")
    submit(page, form.get_by_role("button", name="确认答复评价人"))
    assert "已提交中心审核" in page.inner_text(".messagelist")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REVIEW and ticket.outcome == "fix_by_deadline" and ticket.rectified_on

    # The figures and the public notice show it.
    page.goto(f"{live_server.url}/admin/ratings/rating/figures/?by=window")
    row = page.locator("table.rating-figures tbody tr", has_text="01号窗口")
    cells = row.locator("td").all_inner_texts()
    assert cells[2] == "1" and cells[6] == "1" and cells[7] == "100.0%"  # one rating, one bad
    assert cells[8] == "100.0%" and cells[9] == "100.0%"  # visited back, rectified
    page.goto(f"{live_server.url}/admin/ratings/rating/notice/")
    notice = page.inner_text("body")
    assert "政务服务\"好差评\"情况公示" in notice and case.number in notice and "限期整改" in notice
    assert "张三" not in notice
    context.close()
