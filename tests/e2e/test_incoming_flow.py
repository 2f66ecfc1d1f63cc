"""An incoming document in a real browser (S3.6-g): the office registers an urgent (加急) document with a
scan and proposes (拟办); the main leader decides (批办) that one department reads it (阅知) and another
handles it (办理); the reader confirms, the handler feeds back; the register shows it 已办结."""

import pytest

from documents.models import CirculationState, IncomingDocument, IncomingStatus
from staffing import roles
from staffing.models import Department, DepartmentKind

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
TITLE = "关于做好2027年元旦春节期间值班值守工作的通知"


@pytest.fixture
def people(make_staff):
    office_department = Department.objects.create(name="中心办公室", kind=DepartmentKind.SECTION)
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    police = Department.objects.create(name="县公安局", kind=DepartmentKind.STATIONED)
    return {
        "office": make_staff(office_department, role=roles.OFFICE_STAFF, name="赖美玲"),
        "director": make_staff(office_department, role=roles.MAIN_LEADER, name="刘建华", leader_role="main"),
        "market_clerk": make_staff(market, role=roles.WINDOW_STAFF, name="李春梅"),
        "police_clerk": make_staff(police, role=roles.WINDOW_STAFF, name="张磊"),
        "market": market,
        "police": police,
    }


def log_in_as(page, live_server, staff):
    page.context.clear_cookies()
    admin_login(page, live_server, staff.user.username, PASSWORD)


def submit(page, control):
    with page.expect_navigation():
        control.click()


def success(page) -> str:
    messages = page.locator("ul.messagelist li.success")
    assert messages.count(), page.locator("#content").inner_text()
    return messages.first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_an_urgent_incoming_document_is_registered_proposed_decided_read_handled_and_done(live_server, page, people, screenshot):
    # 收文登记 by the office, 加急, with a scan.
    log_in_as(page, live_server, people["office"])
    page.goto(f"{live_server.url}/admin/documents/incomingdocument/")
    submit(page, page.get_by_role("link", name="收文登记"))
    page.fill("#id_sender", "大余县人民政府办公室")
    page.fill("#id_sender_number", "余府办字〔2026〕96号")
    page.fill("#id_title", TITLE)
    page.select_option("#id_urgency", label="加急")
    page.select_option("#id_action", label="办理")
    page.set_input_files("#id_scans", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 scan"}])
    submit(page, page.get_by_role("button", name="登记"))
    incoming = IncomingDocument.objects.get()
    assert success(page) == f"已登记收文{incoming.number}「{TITLE}」,扫描件1份。请拟办。"
    incoming_url = page.url
    assert page.locator(".incoming-status").inner_text() == "待拟办"

    # 拟办, to the main leader.
    submit(page, page.get_by_role("link", name="拟办…"))
    page.fill("#id_proposal", "拟请县市场监督管理局办理,县公安局阅知。")
    page.select_option("#id_leader", label="刘建华(中心办公室)")
    submit(page, page.get_by_role("button", name="拟办"))
    assert success(page) == "已拟办,呈刘建华批办。"

    # 批办 by the leader: one department reads, the other handles.
    log_in_as(page, live_server, people["director"])
    page.goto(incoming_url)
    submit(page, page.get_by_role("link", name="批办…"))
    page.fill("#id_decision", "同意拟办意见。请市场监管局于期限内反馈,公安局阅知。")
    page.locator("#id_handle_departments").get_by_label("县市场监督管理局").check()
    page.locator("#id_read_departments").get_by_label("县公安局").check()
    submit(page, page.get_by_role("button", name="批办"))
    assert success(page).startswith("已批办:县市场监督管理局(办理)、县公安局(阅知)。办理期限")
    assert page.locator(".incoming-status").inner_text() == "传阅办理中"

    # The reader confirms.
    log_in_as(page, live_server, people["police_clerk"])
    page.goto(incoming_url)
    row = page.locator("#circulations-group tr", has_text="县公安局")
    submit(page, row.get_by_role("link", name="确认已阅"))
    submit(page, page.get_by_role("button", name="确认已阅"))
    assert success(page) == f"已确认阅知「{TITLE}」。"
    assert page.url == incoming_url
    assert "已阅" in page.locator("#circulations-group tr", has_text="县公安局").inner_text()

    # The handler feeds back; the document is done.
    log_in_as(page, live_server, people["market_clerk"])
    page.goto(incoming_url)
    row = page.locator("#circulations-group tr", has_text="县市场监督管理局")
    submit(page, row.get_by_role("link", name="反馈办理结果"))
    page.fill("#id_feedback", "已安排节日值班人员,值班表已报县政府办。")
    submit(page, page.get_by_role("button", name="反馈办理结果", exact=True))
    assert success(page) == f"已反馈「{TITLE}」的办理结果,本部门的传阅办理已完成。各承办部门均已答复,该收文已办结。"
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.DONE
    assert set(incoming.circulations.values_list("state", flat=True)) == {CirculationState.DONE}

    # The register shows it 已办结.
    log_in_as(page, live_server, people["office"])
    page.goto(f"{live_server.url}/admin/documents/incomingdocument/")
    row = page.locator("#result_list tr", has_text=incoming.number)
    assert "已办结" in row.inner_text()
    page.goto(f"{live_server.url}/admin/documents/incomingdocument/register/")
    assert "已办结" in page.locator("table.register tr", has_text=incoming.number).inner_text()
    screenshot("incoming-flow-register")
