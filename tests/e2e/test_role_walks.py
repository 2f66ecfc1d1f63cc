"""Each role's main job from the index, in a real browser at 1366 px (issue 17).

The demo's logins and names (window, windowhead, deputy, leader, office, inspector, sectionhead,
admin) on a small world built through the services. Every walk starts on the index, follows its links
and asserts the Chinese messages. With SAVE_SCREENSHOTS=1 each step is saved under var/screenshots/.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from casework import services as casework_services
from registry import services as registry_services
from registry.models import HandlingMode, ItemType, Material, ServiceItem
from staffing import roles
from staffing.models import Department, DepartmentKind, Window
from staffing.services import leave as leave_services

from .conftest import admin_login

PASSWORD = "测试密码-2026"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PERSON = {"applicant_name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13907970001"}

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name):
    if os.environ.get("SAVE_SCREENSHOTS", "").strip() in {"1", "true", "yes"}:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def go(page, locator):
    with page.expect_navigation():
        locator.click()


def message(page, kind="success") -> str:
    found = page.locator(f"ul.messagelist li.{kind}")
    if found.count():
        return found.first.inner_text()
    return " ".join(page.locator(".errorlist, .errornote, ul.messagelist li").all_inner_texts()) or page.url


def index_line(page, text):
    """A 待我办理 line of the index, by its label."""
    return page.locator("#inbox a", has_text=text)


@pytest.fixture
def world(make_staff):
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    police = Department.objects.create(name="县公安局", kind=DepartmentKind.STATIONED)
    office_dept = Department.objects.create(name="综合股", kind=DepartmentKind.SECTION)
    window = Window.objects.create(number="01", name="市场主体登记", department=market)
    Window.objects.create(number="02", name="户籍办理", department=police)
    item = ServiceItem.objects.create(
        code="E2E-200", name="食品经营许可", item_type=ItemType.LICENSING, department=market, window=window,
        handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20, committed_limit_days=10,
        legal_basis="《中华人民共和国食品安全法》第三十五条", procedure="受理→审查→决定", contact="李春梅",
        phone="0797-8721111", complaint_phone="0797-8722345", result_name="食品经营许可证", is_major=True,
    )
    Material.objects.create(item=item, order=1, name="食品经营许可申请书", required=True)
    Material.objects.create(item=item, order=2, name="营业执照复印件", form="copy", required=True)
    item = registry_services.item_set_status(item=item, status="active")
    people = {
        "window": make_staff(market, role=roles.WINDOW_STAFF, name="李春梅", window=window),
        "windowhead": make_staff(market, role=roles.WINDOW_HEAD, name="郭海波", window=window),
        "deputy": make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge"),
        "leader": make_staff(office_dept, role=roles.MAIN_LEADER, name="刘建华", leader_role="main"),
        "office": make_staff(office_dept, role=roles.OFFICE_STAFF, name="赖美玲"),
        "inspector": make_staff(office_dept, role=roles.INSPECTOR, name="黄志强"),
        "sectionhead": make_staff(office_dept, role=roles.SECTION_HEAD, name="罗国平"),
        "admin": make_staff(office_dept, role=roles.CENTER_ADMIN, name="王秀英"),
    }
    market.leader_in_charge = people["deputy"]
    market.save()
    office_dept.leader_in_charge = people["deputy"]
    office_dept.save()
    return {"market": market, "counter": window, "item": item, **people}


def accepted_case(world):
    clerk = world["window"].user
    case = casework_services.case_receive(item=world["item"], window=world["counter"], user=clerk, **PERSON)
    for material in case.materials.all():
        casework_services.case_check_material(material=material, user=clerk, state="received")
    casework_services.case_accept(case=case, user=clerk)
    return case


def log_in(page, live_server, staff):
    admin_login(page, live_server, staff.user.username, PASSWORD)
    assert page.url.endswith("/admin/"), page.url


# --- window clerk: 收件, tick the checklist, 受理 in one press ---------------------------------------


def test_the_clerk_receives_a_case_ticks_the_materials_and_accepts_in_one_press(live_server, page, world):
    log_in(page, live_server, world["window"])
    first_group = page.locator(".app-group-0, #content-main .module").first
    assert "办件与首问" in first_group.inner_text(), first_group.inner_text()
    shot(page, "window-1-index")
    go(page, first_group.get_by_role("link", name="办件", exact=True))
    go(page, page.get_by_role("link", name="收件"))
    page.locator(".field-item .select2-selection").click()
    page.keyboard.type("食品经营")
    page.get_by_role("option", name=str(world["item"])).click()
    assert page.locator("select[name=window] option:checked").inner_text().startswith("01号窗口")
    page.fill("#id_applicant_name", "张三")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", PERSON["id_number"])
    page.fill("#id_phone", PERSON["phone"])
    shot(page, "window-2-intake")
    go(page, page.locator("input[name=_save]"))
    assert message(page).startswith("已收件,办件编号"), message(page)
    for name in ("食品经营许可申请书", "营业执照复印件"):
        page.locator("#materials-group tr.form-row", has_text=name).get_by_label("已收取", exact=True).check()
    go(page, page.get_by_role("button", name="受理", exact=True))  # without 保存材料核验结果 first
    done = message(page)
    assert done.startswith("已保存2项材料的核验结果。已受理,承诺办结日"), done
    assert re.search(r"状态\s*受理", page.locator(".case-panel .case-status").inner_text())
    shot(page, "window-3-accepted")


# --- window head: the overtime request waiting in 待我办理 -----------------------------------------


def test_the_window_head_approves_an_overtime_request_from_the_inbox(live_server, page, world):
    leave_services.overtime_submit(
        user=world["window"].user, date=timezone.localdate(), starts_at=datetime.time(18, 0),
        ends_at=datetime.time(20, 0), reason="集中办理年检",
    )
    log_in(page, live_server, world["windowhead"])
    shot(page, "windowhead-1-index")
    go(page, index_line(page, "加班申请待审批"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1, page.locator("#content").inner_text()
    go(page, rows.first.locator("th a, td a").first)
    block = page.locator("section.approval-block")
    assert block.get_by_role("button", name="同意", exact=True).is_visible()
    block.locator("textarea").fill("同意,注意安全")
    go(page, block.get_by_role("button", name="同意", exact=True))
    assert "已同意李春梅的加班申请。下一步待刘建华(中心主任)审批。" in message(page), message(page)
    shot(page, "windowhead-2-approved")


# --- leader in charge: a major refusal; 不同意 needs an opinion ------------------------------------


def test_the_deputy_decides_a_major_refusal_and_is_asked_for_an_opinion_to_refuse_it(live_server, page, world):
    case = casework_services.case_receive(item=world["item"], window=world["counter"], user=world["window"].user, **PERSON)
    casework_services.case_refuse(
        case=case, user=world["window"].user, stage="not_accepted", category="other", reason="选址不符合规划"
    )
    log_in(page, live_server, world["deputy"])
    assert [a.inner_text() for a in page.locator("#content-main .module caption, #content-main .module h2").all()][0]
    go(page, index_line(page, "重大事项否定报备待审批"))
    go(page, page.locator("#result_list tbody tr").first.locator("th a, td a").first)
    block = page.locator("section.approval-block")
    page.evaluate("document.querySelector('#decision-form textarea').removeAttribute('required')")
    page.evaluate("document.querySelector('#decision-form').noValidate = true")
    go(page, block.get_by_role("button", name="不同意", exact=True))
    assert "不同意否定时须写明意见" in message(page, "error"), message(page, "error")
    shot(page, "deputy-1-opinion-required")
    page.locator("section.approval-block textarea").fill("选址问题可补正,请指导申请人调整")
    go(page, page.locator("section.approval-block").get_by_role("button", name="不同意", exact=True))
    assert "不同意" in message(page), message(page)
    shot(page, "deputy-2-decided")


# --- main leader: an extension in 待我办理 -----------------------------------------------------------


def test_the_leader_approves_an_extension_from_the_inbox(live_server, page, world):
    case = accepted_case(world)
    casework_services.case_request_extension(case=case, user=world["window"].user, days=3, reason="需专家评审")
    log_in(page, live_server, world["leader"])
    groups = page.locator("#content-main .module caption, #content-main .module h2, #content-main .module .section")
    assert "待我审批" in page.locator("#content-main").inner_text()
    shot(page, "leader-1-index")
    go(page, index_line(page, "办件延期待审批"))
    go(page, page.locator("#result_list tbody tr").first.locator("th a, td a").first)
    go(page, page.locator("section.approval-block").get_by_role("button", name="同意", exact=True))
    assert f"已批准办件{case.number}延期3个工作日" in message(page), message(page)
    shot(page, "leader-2-approved")


# --- office: a complaint to answer -------------------------------------------------------------------


def test_the_office_answers_a_complaint_from_the_inbox(live_server, page, world):
    casework_services.complaint_register(
        user=world["office"].user, channel="phone", content="窗口午休提前关门", window=world["counter"]
    )
    log_in(page, live_server, world["office"])
    go(page, index_line(page, "投诉举报待办理答复"))
    go(page, page.locator("#result_list tbody tr").first.locator("th a, td a").first)
    form = page.locator("#action-form")
    form.locator("textarea[name=findings]").fill("经查看监控,属实")
    form.get_by_label("属实", exact=True).check()
    form.locator("textarea[name=reply]").fill("已批评教育当事人,并致歉")
    go(page, form.get_by_role("button", name="确认办理答复"))
    assert "投诉已答复办结" in message(page), message(page)
    shot(page, "office-1-complaint-answered")


# --- inspector: the change log first, read only ------------------------------------------------------


def test_the_inspector_opens_the_change_log_from_the_first_group(live_server, page, world):
    accepted_case(world)
    log_in(page, live_server, world["inspector"])
    first_group = page.locator("#content-main .module").first
    assert "变更记录" in first_group.inner_text(), first_group.inner_text()
    go(page, first_group.get_by_role("link", name="变更记录(全部)"))
    assert "李春梅" in page.locator("#content").inner_text()
    shot(page, "inspector-1-timeline")


# --- section head: asks for leave from the index -------------------------------------------------------


def test_the_section_head_asks_for_half_a_day_off_from_the_index(live_server, page, world):
    from staffing.working_days import WorkCalendar

    calendar, today = WorkCalendar(), timezone.localdate()
    day = today if calendar.is_working_day(today) else calendar.add_working_days(today, 1)
    log_in(page, live_server, world["sectionhead"])
    row = page.locator("#content-main tr", has_text="请假申请").first
    go(page, row.locator("a.addlink"))
    assert page.url.endswith("/admin/staffing/leaverequest/add/"), page.url
    page.select_option("#id_leave_type", "personal")
    page.fill("#id_start_date", day.isoformat())
    page.fill("#id_end_date", day.isoformat())
    page.check("#id_start_half_0")
    page.check("#id_end_half_0")
    page.fill("#id_reason", "办理户籍事务")
    option = page.locator("#id_handover_to option", has_text="赖美玲").first.get_attribute("value")
    page.select_option("#id_handover_to", option)
    page.fill("#id_handover_note", "上午无在办文件,来电请赖美玲代接")
    go(page, page.locator("input[name=_save]"))
    assert "已提交,待钟晓明(分管领导)审批" in message(page), message(page)
    shot(page, "sectionhead-1-leave-submitted")


# --- administrator: reorders a role's index ------------------------------------------------------------


def test_the_administrator_changes_the_clerks_first_group_and_the_clerk_sees_it(live_server, page, world):
    log_in(page, live_server, world["admin"])
    go(page, page.locator("#content-main").get_by_role("link", name="首页分组(按角色)"))
    row = page.locator("#result_list tbody tr", has_text="窗口工作人员").filter(has_text="办件与首问")
    go(page, row.locator("th a, td a").first)
    page.fill("#id_name", "今日办件")
    go(page, page.locator("input[name=_save]"))
    assert "「窗口工作人员」的首页将按新分组显示" in page.locator("ul.messagelist").inner_text()
    shot(page, "admin-1-index-section")
    page.context.clear_cookies()
    log_in(page, live_server, world["window"])
    assert "今日办件" in page.locator("#content-main .module").first.inner_text()
