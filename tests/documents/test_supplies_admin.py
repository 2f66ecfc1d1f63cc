"""The supplies admin as a department head, the main leader, the office and any staff member use it:
the catalog import (all or nothing, Chinese errors naming row, column and value), the fund-use form
with its approval buttons, purchase and stock-in, requisitions issued or refused for lack of stock,
the report pages with their figures and Excel, and a supply list without per-row queries."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from import_export.formats.base_formats import XLSX

from documents import services
from documents.models import FundRequest, MovementKind, Purchase, Requisition, StockMovement, Supply
from staffing import roles
from staffing.models import RequestStatus

pytestmark = pytest.mark.django_db
HEADER = ["名称", "规格", "单位", "最低库存", "期初数量", "期初金额"]
CATALOG = [
    HEADER,
    ["A4复印纸", "70g", "包", 5, 20, 500],
    ["签字笔", "0.5mm黑", "支", 10, 100, "150.00"],
    ["订书钉", "", "盒", 2, None, None],
]


@pytest.fixture
def office_people(two_departments, make_staff):
    market, police = two_departments
    return {
        "director": make_staff(market, role=roles.MAIN_LEADER, name="刘建华", leader_role="main"),
        "head": make_staff(market, role=roles.SECTION_HEAD, name="罗国平"),
        "office": make_staff(market, role=roles.OFFICE_STAFF, name="赖美玲"),
        "clerk": make_staff(police, role=roles.WINDOW_STAFF, name="张磊"),
    }


@pytest.fixture
def paper(db):
    return Supply.objects.create(name="A4复印纸", specification="70g", unit="包", reorder_level=Decimal("5"))


@pytest.fixture
def import_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the upload waits there between preview and confirmation
    settings.IMPORT_FORMATS = [XLSX]


def login(client, staff):
    client.force_login(staff.user)
    return client


def text_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_import(client, rows):
    upload = io.BytesIO(xlsx_bytes(rows))
    upload.name = "办公用品目录.xlsx"
    return client.post(reverse("admin:documents_supply_import"), {"resource": "0", "format": "0", "import_file": upload})


def lines(prefix_rows, total=4):
    data = {"lines-TOTAL_FORMS": str(total), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "50"}
    for index, row in enumerate(prefix_rows):
        data.update({f"lines-{index}-{key}": value for key, value in row.items()})
    return data


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]


# --- The catalog import -------------------------------------------------------------------------


def test_the_catalog_imports_with_opening_stock_and_a_second_import_changes_nothing(client, office_people, import_settings):
    login(client, office_people["office"])
    preview = post_import(client, CATALOG)
    assert not Supply.objects.exists()

    response = client.post(reverse("admin:documents_supply_process_import"), preview.context["confirm_form"].initial)

    assert response.status_code == 302
    assert list(Supply.objects.values_list("name", "unit", "reorder_level")) == [
        ("A4复印纸", "包", Decimal("5.00")), ("签字笔", "支", Decimal("10.00")), ("订书钉", "盒", Decimal("2.00")),
    ]
    paper = Supply.objects.get(name="A4复印纸")
    assert services.stock_on_hand(paper) == (Decimal("20"), Decimal("500"))
    assert StockMovement.objects.filter(kind=MovementKind.OPENING).count() == 2
    assert {h.history_user_id for h in Supply.history.all()} == {office_people["office"].user_id}

    again = post_import(client, CATALOG)
    result = again.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 3
    client.post(reverse("admin:documents_supply_process_import"), again.context["confirm_form"].initial)
    assert StockMovement.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "excel_row", "column", "message"),
    [
        (["签字笔", "0.5mm黑", "支", "二十", 1, 2], 3, "最低库存", "「二十」不是有效的数字,请填写阿拉伯数字(如 12 或 3.5)。"),
        (["签字笔", "0.5mm黑", "", 10, 1, 2], 3, "单位", "不能为空。"),
        (["A4复印纸", "70g", "包", 5, 1, 2], 3, "名称", "「A4复印纸(70g)」与第2行重复(名称和规格相同)。"),
        (["签字笔", "0.5mm黑", "支", 10, 100, None], 3, "期初金额", "填写了期初数量时须填写期初金额。"),
        (["签字笔", "0.5mm黑", "支", 10, "-5", 1], 3, "期初数量", "「-5」不能为负数。"),
    ],
)
def test_a_bad_row_shows_its_chinese_error_and_nothing_is_imported(client, office_people, import_settings, row, excel_row, column, message):
    login(client, office_people["office"])

    response = post_import(client, [HEADER, CATALOG[1], row, CATALOG[3]])

    assert response.status_code == 200
    result = response.context["result"]
    (invalid,) = result.invalid_rows
    assert invalid.number == excel_row
    assert invalid.field_specific_errors == {column: [message]}
    assert message in text_of(response)
    assert response.context.get("confirm_form") is None
    assert not Supply.objects.exists() and not StockMovement.objects.exists()


def test_an_opening_stock_is_not_imported_again_over_movements(client, office_people, import_settings, paper):
    services.supply_opening_stock(supply=paper, quantity=Decimal("3"), amount=Decimal("60"))
    login(client, office_people["office"])

    response = post_import(client, [HEADER, ["A4复印纸", "70g", "包", 5, 20, 500]])

    (invalid,) = response.context["result"].invalid_rows
    assert invalid.field_specific_errors == {"期初数量": ["「A4复印纸(70g)」已登记期初库存(数量3,金额60),不能再次导入期初数。"]}
    assert StockMovement.objects.count() == 1


def test_only_the_office_imports_the_catalog(client, office_people, import_settings):
    assert login(client, office_people["clerk"]).get(reverse("admin:documents_supply_import")).status_code == 403


# --- Fund-use form, purchase, stock-in, requisition ---------------------------------------------


def submit_fund_request(client, head, paper, quantity="10", price="25"):
    login(client, head)
    return client.post(
        reverse("admin:documents_fundrequest_add"),
        {"purpose": "购买办公用纸", **lines([{"supply": paper.pk, "quantity": quantity, "unit_price": price}])},
        follow=True,
    )


def test_a_head_asks_for_funds_and_the_main_leader_decides_with_the_buttons(client, office_people, paper):
    response = submit_fund_request(client, office_people["head"], paper)
    fund = FundRequest.objects.get()
    assert "资金使用审批表已提交,预计金额¥250.00。待刘建华(主要领导)审批。" in messages_of(response)
    assert (fund.estimated_amount, fund.lines.get().description) == (Decimal("250.00"), "A4复印纸(70g)")
    assert "decision_url" not in response.context  # the requester does not decide
    assert login(client, office_people["clerk"]).get(reverse("admin:documents_fundrequest_add")).status_code == 403

    login(client, office_people["director"])
    page = client.get(reverse("admin:documents_fundrequest_change", args=[fund.pk]))
    decide = page.context["decision_url"]
    assert "同意" in text_of(page) and "待审批" in text_of(page)
    refused = client.post(decide, {"reject": "1", "comment": ""}, follow=True)
    assert "未能提交审批:不同意时须写明理由。" in messages_of(refused)
    approved = client.post(decide, {"approve": "1", "comment": ""}, follow=True)
    fund.refresh_from_db()
    assert fund.status == RequestStatus.APPROVED
    assert "已同意县市场监督管理局「购买办公用纸」的资金使用审批表。审批表现为「已批准」。" in messages_of(approved)
    assert "purchase_url" in login(client, office_people["office"]).get(reverse("admin:documents_fundrequest_change", args=[fund.pk])).context


def test_a_rejection_with_its_reason_closes_the_form(client, office_people, paper):
    submit_fund_request(client, office_people["head"], paper)
    fund = FundRequest.objects.get()
    login(client, office_people["director"]).post(
        reverse("admin:documents_fundrequest_decide", args=[fund.pk]), {"reject": "1", "comment": "库存充足"}
    )
    fund.refresh_from_db()
    assert fund.status == RequestStatus.REJECTED


def approved_request(people, paper, amount=Decimal("250")):
    from staffing import services as staffing_services

    fund = services.fund_request_submit(
        user=people["head"].user, purpose="购买办公用纸",
        lines=[{"supply": paper, "description": "A4复印纸", "quantity": Decimal("10"), "unit_price": amount / 10}],
    )
    step = staffing_services.chain_of(fund).get()
    staffing_services.approval_decide(approval=step, user=people["director"].user, approve=True)
    fund.refresh_from_db()
    return fund


def test_the_office_records_the_purchase_stocks_it_in_and_issues_a_requisition_or_refuses_it(client, office_people, paper):
    fund = approved_request(office_people, paper)
    login(client, office_people["office"])
    recorded = client.post(
        reverse("admin:documents_purchase_add"),
        {"fund_request": fund.pk, "invoice_number": "No.0001", "invoice_amount": "250", "purchased_on": "2026-01-05",
         **lines([{"supply": paper.pk, "quantity": "10", "amount": "250"}])},
        follow=True,
    )
    purchase = Purchase.objects.get()
    assert "已登记采购(发票No.0001,¥250.00)。货物到达后请点击「入库」。" in messages_of(recorded)
    stock_in_url = recorded.context["stock_in_url"]
    client.post(stock_in_url)
    purchase.refresh_from_db()
    assert purchase.stocked_in_at is not None and services.stock_on_hand(paper) == (Decimal("10"), Decimal("250"))
    assert "该采购已入库" in " ".join(messages_of(client.post(stock_in_url, follow=True)))

    login(client, office_people["clerk"])
    client.post(reverse("admin:documents_requisition_add"), lines([{"supply": paper.pk, "quantity": "15"}]))
    too_many = Requisition.objects.get()
    assert too_many.department.name == "县公安局"
    assert "issue_url" not in client.get(reverse("admin:documents_requisition_change", args=[too_many.pk])).context

    login(client, office_people["office"])
    refused = client.post(reverse("admin:documents_requisition_issue", args=[too_many.pk]), follow=True)
    assert "未能发放:「A4复印纸(70g)」库存不足:现有10包,申领15包。" in messages_of(refused)
    assert services.stock_on_hand(paper) == (Decimal("10"), Decimal("250"))

    fitting = services.requisition_submit(user=office_people["clerk"].user, lines=[{"supply": paper, "quantity": Decimal("4")}])
    issued = client.post(reverse("admin:documents_requisition_issue", args=[fitting.pk]), follow=True)
    assert "已发放,库存已减少。" in messages_of(issued)
    assert services.stock_on_hand(paper) == (Decimal("6"), Decimal("150"))
    movements = text_of(client.get(reverse("admin:documents_stockmovement_changelist")))
    assert "-4包" in movements and "发票No.0001" in movements


def test_a_requisition_without_lines_is_refused_on_the_form(client, office_people, paper):
    response = login(client, office_people["clerk"]).post(reverse("admin:documents_requisition_add"), lines([]))
    assert response.status_code == 200
    assert "请至少填写一项领用明细。" in text_of(response)
    assert not Requisition.objects.exists()


# --- Reports ------------------------------------------------------------------------------------


def test_the_report_pages_show_the_figures_and_export_them(client, office_people, paper):
    fund = approved_request(office_people, paper)
    office = office_people["office"].user
    stocked = services.purchase_record(
        fund_request=fund, user=office, invoice_number="No.1", invoice_amount=Decimal("250"),
        lines=[{"supply": paper, "quantity": Decimal("10"), "amount": Decimal("250")}],
    )
    services.purchase_stock_in(purchase=stocked, user=office)
    services.purchase_record(
        fund_request=fund, user=office, invoice_number="No.2", invoice_amount=Decimal("40"),
        lines=[{"supply": paper, "quantity": Decimal("1"), "amount": Decimal("40")}],
    )
    requisition = services.requisition_submit(user=office_people["clerk"].user, lines=[{"supply": paper, "quantity": Decimal("4")}])
    services.requisition_issue(requisition=requisition, user=office)
    services.fund_request_submit(
        user=office_people["head"].user, purpose="购买硒鼓", lines=[{"description": "硒鼓", "quantity": Decimal("2"), "unit_price": Decimal("300")}]
    )
    login(client, office_people["office"])

    valuation = client.get(reverse("admin:documents_supply_valuation"))
    assert "库存金额合计150.00元" in text_of(valuation) and "需补货" not in text_of(valuation)  # 6 on hand, reorder at 5
    assert sheet_rows(client.get(reverse("admin:documents_supply_valuation") + "?format=xlsx"))[0][:6] == [
        "A4复印纸", "70g", "包", 6, 150, 25,
    ]

    consumption = client.get(reverse("admin:documents_supply_consumption"))
    page = text_of(consumption)
    assert "县公安局" in page and "100.00" in page
    exported = openpyxl.load_workbook(io.BytesIO(client.get(reverse("admin:documents_supply_consumption") + "?format=xlsx").content))
    detail = [list(row) for row in exported["明细"].iter_rows(min_row=2, values_only=True)]
    assert detail == [["县公安局", f"{timezone.localdate().month}月", "A4复印纸", "包", 4, 100]]

    reimbursement = text_of(client.get(reverse("admin:documents_purchase_reimbursement")))
    assert "可报销250.00元;挂起40.00元" in reimbursement and "未入库、超出审批金额" in reimbursement
    rows = sheet_rows(client.get(reverse("admin:documents_purchase_reimbursement") + "?format=xlsx"))
    assert [(row[1], row[5], row[6]) for row in rows[:2]] == [("No.1", "可报销", None), ("No.2", "挂起", "未入库、超出审批金额")]

    open_page = text_of(client.get(reverse("admin:documents_fundrequest_open")))
    assert "待刘建华(主要领导)审批:1份,合计600.00元" in open_page and "购买硒鼓" in open_page

    assert login(client, office_people["clerk"]).get(reverse("admin:documents_supply_valuation")).status_code == 403


def test_the_supply_list_shows_stock_without_per_row_queries(client, office_people, monkeypatch):
    monkeypatch.setattr(admin.site._registry[Supply], "list_per_page", 1000)
    login(client, office_people["office"])
    url = reverse("admin:documents_supply_changelist")

    def add(start, count):
        for n in range(start, start + count):
            supply = Supply.objects.create(name=f"用品{n}", unit="个", reorder_level=Decimal("3"))
            services.supply_opening_stock(supply=supply, quantity=Decimal(n % 5), amount=Decimal(n))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response

    add(0, 5)
    queries()
    small, _ = queries()
    add(5, 20)
    large, response = queries()
    assert large == small
    reorder = client.get(url + "?stock=reorder").context["cl"].result_list
    assert {s.name for s in reorder} == {f"用品{n}" for n in range(25) if n % 5 <= 3}
    assert "需补货" in text_of(response)


def test_another_departments_fund_request_and_requisition_are_not_found_nor_their_history(client, office_people, paper, make_staff, two_departments):
    fund = approved_request(office_people, paper)  # the market department's
    requisition = services.requisition_submit(user=office_people["head"].user, lines=[{"supply": paper, "quantity": Decimal("1")}])
    police_head = make_staff(two_departments[1], role=roles.SECTION_HEAD, name="公安股长")

    login(client, police_head)
    for name, obj in (("fundrequest", fund), ("requisition", requisition)):
        assert client.get(reverse(f"admin:documents_{name}_change", args=[obj.pk])).status_code == 404
        assert client.get(reverse(f"admin:documents_{name}_history", args=[obj.pk])).status_code == 404
    assert "购买办公用纸" not in text_of(client.get(reverse("admin:documents_fundrequest_changelist")))

    login(client, office_people["head"])
    assert client.get(reverse("admin:documents_fundrequest_history", args=[fund.pk])).status_code == 200
