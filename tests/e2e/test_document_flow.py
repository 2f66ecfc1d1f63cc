"""A center document in a real browser (S3.6-a…d): the section head drafts it, the office reviews it, the
main leader signs, the office registers it (the number appears) and circulates it to two departments as
received three weeks ago; the market department gives its feedback, the police department does not and
shows in the office's 「逾期未办理」 list."""

import datetime
import re

import pytest
from django.utils import timezone

from documents.models import Circulation, CirculationState, Document, DocumentStatus
from staffing import roles
from staffing.models import Department, DepartmentKind

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
TITLE = "关于做好年底窗口服务工作的通知"


@pytest.fixture
def people(make_staff):
    office_department = Department.objects.create(name="中心办公室", kind=DepartmentKind.SECTION)
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    police = Department.objects.create(name="县公安局", kind=DepartmentKind.STATIONED)
    return {
        "drafter": make_staff(office_department, role=roles.SECTION_HEAD, name="罗国平"),
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


def submit(page, button):
    with page.expect_navigation():
        button.click()


def success(page) -> str:
    messages = page.locator("ul.messagelist li.success")
    assert messages.count(), page.locator("#content").inner_text()
    return messages.first.inner_text()


def press(page, label):
    submit(page, page.locator(".document-panel").get_by_role("button", name=label, exact=True))


@pytest.mark.django_db(transaction=True)
def test_a_document_is_drafted_signed_registered_circulated_answered_by_one_department_and_overdue_at_the_other(
    live_server, page, people, screenshot
):
    received = timezone.localdate() - datetime.timedelta(days=21)

    # 拟稿 by the section head, and 提交核稿.
    log_in_as(page, live_server, people["drafter"])
    page.goto(f"{live_server.url}/admin/documents/document/add/")
    page.select_option("#id_category", label="中心文件")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "各窗口年底前完成服务规范自查。")
    submit(page, page.get_by_role("button", name="保存", exact=True))
    assert re.search(r"/admin/documents/document/\d+/change/$", page.url), page.locator("#content").inner_text()
    document_url = page.url
    assert "已拟稿" in success(page)
    # 提交核稿 needs the body (正文): the drafter uploads it first.
    press(page, "提交核稿")
    assert "尚未上传正文" in page.locator("ul.messagelist li.error").inner_text()
    page.fill("#id_attachments-0-title", "通知正文")
    page.set_input_files("#id_attachments-0-file", files=[{"name": "body.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 body"}])
    submit(page, page.get_by_role("button", name="保存", exact=True))
    assert success(page) == "附件已保存。"
    press(page, "提交核稿")
    assert success(page) == "已提交核稿。"

    # 核稿 by the office.
    log_in_as(page, live_server, people["office"])
    page.goto(document_url)
    press(page, "核稿通过")
    assert "待刘建华签发" in success(page)

    # 签发 by the main leader, the signer of 中心文件.
    log_in_as(page, live_server, people["director"])
    page.goto(document_url)
    press(page, "签发")
    assert "已签发" in success(page)

    # 登记编号 by the office: the number appears on the page.
    log_in_as(page, live_server, people["office"])
    page.goto(document_url)
    press(page, "登记编号")
    number = f"大余行服〔{timezone.localdate().year}〕1号"
    assert number in success(page)
    assert page.locator(".document-number").inner_text() == number
    assert Document.objects.get().status == DocumentStatus.REGISTERED

    # 分发办理 to the two departments, as received three weeks ago.
    submit(page, page.get_by_role("link", name="分发办理…"))
    page.get_by_label("县市场监督管理局").check()
    page.get_by_label("县公安局").check()
    page.fill("#id_received_on", received.isoformat())
    submit(page, page.get_by_role("button", name="分发办理", exact=True))
    message = success(page)
    assert message.startswith("已分发给") and "县市场监督管理局" in message and "县公安局" in message, message
    assert page.url == document_url
    assert page.locator("#circulations-group").inner_text().count("逾期未办理") == 2

    # The market department answers from the document's page.
    log_in_as(page, live_server, people["market_clerk"])
    page.goto(document_url)
    row = page.locator("#circulations-group tr", has_text="县市场监督管理局")
    assert page.locator("#circulations-group tr", has_text="县公安局").get_by_role("link", name="反馈办理结果").count() == 0
    submit(page, row.get_by_role("link", name="反馈办理结果"))
    page.fill("#id_feedback", "已组织全体窗口人员学习并完成自查。")
    submit(page, page.get_by_role("button", name="反馈办理结果", exact=True))
    assert success(page).startswith(f"已反馈「{TITLE}」的办理结果,")
    assert page.url == document_url
    assert "已反馈" in page.locator("#circulations-group tr", has_text="县市场监督管理局").inner_text()
    answered = Circulation.objects.get(department=people["market"])
    assert (answered.state, answered.handled_by) == (CirculationState.DONE, people["market_clerk"])

    # The police department did not: it is in the office's overdue list, the market department is not.
    log_in_as(page, live_server, people["office"])
    page.goto(f"{live_server.url}/admin/documents/document/")
    submit(page, page.get_by_role("link", name="逾期未办理"))
    table = page.locator("table.dc-overdue").inner_text()
    assert "县公安局" in table and TITLE in table and number in table
    assert "县市场监督管理局" not in table
    assert "共1件" in page.locator("#content").inner_text()
    screenshot("document-flow-overdue")
