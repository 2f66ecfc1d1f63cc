"""Office supplies in a real browser (S3.7-a…c): a department head asks for paper on a fund-use form, the
main leader approves it, the office records the purchase and stocks it in, a clerk of the department
draws four packs and the office issues them: the stock drops from 10 to 6."""

import re
from decimal import Decimal

import pytest

from documents import services
from documents.models import FundRequest, Purchase, Requisition, Supply
from staffing import roles
from staffing.models import Department, DepartmentKind, RequestStatus

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account


@pytest.fixture
def people(make_staff):
    office_department = Department.objects.create(name="中心办公室", kind=DepartmentKind.SECTION)
    section = Department.objects.create(name="审批协调股", kind=DepartmentKind.SECTION)
    return {
        "head": make_staff(section, role=roles.SECTION_HEAD, name="罗国平"),
        "clerk": make_staff(section, role=roles.WINDOW_STAFF, name="李春梅"),
        "director": make_staff(office_department, role=roles.MAIN_LEADER, name="刘建华", leader_role="main"),
        "office": make_staff(office_department, role=roles.OFFICE_STAFF, name="赖美玲"),
        "paper": Supply.objects.create(name="A4复印纸", specification="70g", unit="包", reorder_level=Decimal("5")),
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


@pytest.mark.django_db(transaction=True)
def test_a_fund_request_is_approved_purchased_stocked_in_and_a_requisition_issued(live_server, page, people, screenshot):
    paper = people["paper"]

    # 资金使用审批表 by the department head: 10 packs at ¥25.
    log_in_as(page, live_server, people["head"])
    page.goto(f"{live_server.url}/admin/documents/fundrequest/")
    submit(page, page.get_by_role("link", name="填写资金使用审批表"))
    page.fill("#id_purpose", "购买办公用纸")
    page.select_option("#id_lines-0-supply", value=str(paper.pk))
    page.fill("#id_lines-0-quantity", "10")
    page.fill("#id_lines-0-unit_price", "25")
    submit(page, page.get_by_role("button", name="提交审批"))
    assert "预计金额¥250.00。待刘建华(主要领导)审批。" in success(page)
    request_url = page.url
    assert re.search(r"/admin/documents/fundrequest/\d+/change/$", request_url)

    # The main leader approves it with the button on the form's page, found under 待我审批.
    log_in_as(page, live_server, people["director"])
    page.goto(f"{live_server.url}/admin/documents/fundrequest/")
    submit(page, page.get_by_role("link", name=re.compile(r"待我审批\(1\)")))
    submit(page, page.locator("#result_list tbody tr").first.get_by_role("link").first)
    assert page.url.startswith(request_url)
    submit(page, page.locator("#decision-form").get_by_role("button", name="同意", exact=True))
    assert "审批表现为「已批准」" in success(page)
    assert FundRequest.objects.get().status == RequestStatus.APPROVED

    # The office records the purchase against it and stocks it in.
    log_in_as(page, live_server, people["office"])
    page.goto(request_url)
    submit(page, page.get_by_role("link", name="登记采购…"))
    assert page.locator("#id_fund_request").input_value() == str(FundRequest.objects.get().pk)
    page.fill("#id_invoice_number", "No.36010001")
    page.fill("#id_invoice_amount", "250")
    page.select_option("#id_lines-0-supply", value=str(paper.pk))
    page.fill("#id_lines-0-quantity", "10")
    page.fill("#id_lines-0-amount", "250")
    submit(page, page.get_by_role("button", name="登记采购"))
    assert "已登记采购(发票No.36010001,¥250.00)" in success(page)
    submit(page, page.get_by_role("button", name="入库", exact=True))
    assert "已入库" in success(page)
    assert Purchase.objects.get().stocked_in_at is not None
    assert services.stock_on_hand(paper) == (Decimal("10"), Decimal("250"))

    # A clerk of the department asks for four packs.
    log_in_as(page, live_server, people["clerk"])
    page.goto(f"{live_server.url}/admin/documents/requisition/add/")
    assert "现有10包" in page.locator("#id_lines-0-supply").inner_text()
    page.select_option("#id_lines-0-supply", value=str(paper.pk))
    page.fill("#id_lines-0-quantity", "4")
    submit(page, page.get_by_role("button", name="提交领用单"))
    assert "待办公室发放" in success(page)
    requisition_url = page.url
    assert page.locator(".dc-panel").get_by_role("button", name="发放").count() == 0  # the office issues

    # The office issues it: the stock drops to 6.
    log_in_as(page, live_server, people["office"])
    page.goto(requisition_url)
    submit(page, page.locator(".dc-panel").get_by_role("button", name="发放", exact=True))
    assert "已发放,库存已减少。" == success(page)
    assert Requisition.objects.get().issued_at is not None
    assert services.stock_on_hand(paper) == (Decimal("6"), Decimal("150"))
    page.goto(f"{live_server.url}/admin/documents/supply/")
    row = page.locator("#result_list tbody tr", has_text="A4复印纸").inner_text()
    assert re.search(r"\b6\b", row) and "150.00" in row, row
    screenshot("supplies-flow-stock")
