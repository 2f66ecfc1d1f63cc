"""S3.7: fund-use chains by amount, purchase only when approved, stock-in before reimbursement,
average cost, no negative stock, and the reports against hand-computed figures."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from documents import selectors, services
from documents.models import Requisition, RequisitionLine, StockMovement, Supply
from staffing import roles
from staffing.models import CenterSettings, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_people(two_departments, make_staff):
    market, police = two_departments
    director = make_staff(market, role=roles.MAIN_LEADER, name="刘建华", leader_role="main")
    chairman = make_staff(market, name="董事长")
    settings = CenterSettings.load()
    settings.chairman = chairman
    settings.save()
    return {
        "director": director,
        "chairman": chairman,
        "head": make_staff(market, role=roles.SECTION_HEAD, name="罗国平"),
        "office": make_staff(market, role=roles.OFFICE_STAFF, name="赖美玲"),
        "clerk": make_staff(police, role=roles.WINDOW_STAFF, name="张磊"),
    }


@pytest.fixture
def paper(db):
    return Supply.objects.create(name="A4复印纸", specification="70g", unit="包", reorder_level=Decimal("5"))


def ask(people, amount, who="head"):
    return services.fund_request_submit(
        user=people[who].user, purpose="购买办公用纸",
        lines=[{"description": "A4复印纸", "quantity": Decimal("1"), "unit_price": amount}],
    )


def approve_all(request):
    from staffing import services as staffing_services

    for step in staffing_services.chain_of(request):
        if step.decision == "pending" or step.decision == "waiting":
            step.refresh_from_db()
            staffing_services.approval_decide(approval=step, user=step.approver.user, approve=True)
    request.refresh_from_db()
    return request


def approvers(request):
    from staffing import services as staffing_services

    return [step.role for step in staffing_services.chain_of(request)]


def test_up_to_five_thousand_yuan_the_main_leader_approves(office_people):
    assert approvers(ask(office_people, Decimal("5000.00"))) == ["main_leader"]


def test_above_five_thousand_yuan_the_chairman_also_approves(office_people):
    request = ask(office_people, Decimal("5000.01"))
    assert approvers(request) == ["main_leader", "chairman"]
    assert approve_all(request).status == RequestStatus.APPROVED


def test_a_rejection_needs_a_reason(office_people):
    from staffing import services as staffing_services

    request = ask(office_people, Decimal("300"))
    step = staffing_services.chain_of(request).first()
    with pytest.raises(ValidationError, match="不同意时须写明理由"):
        staffing_services.approval_decide(approval=step, user=office_people["director"].user, approve=False)
    staffing_services.approval_decide(approval=step, user=office_people["director"].user, approve=False, comment="库存充足")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED


def test_only_heads_and_the_office_ask_for_funds(office_people):
    with pytest.raises(PermissionDenied, match="由部门\\(股室\\)负责人或办公室提出"):
        ask(office_people, Decimal("100"), who="clerk")


def test_a_purchase_without_an_approved_form_is_refused(office_people, paper):
    request = ask(office_people, Decimal("300"))
    with pytest.raises(ValidationError, match="尚未批准\\(当前:审批中\\),不能采购"):
        services.purchase_record(
            fund_request=request, user=office_people["office"].user, invoice_number="No.001", invoice_amount=Decimal("300"),
            lines=[{"supply": paper, "quantity": Decimal("10"), "amount": Decimal("300")}],
        )


def buy(people, paper, quantity, amount, approved_amount=None):
    request = approve_all(ask(people, approved_amount or amount))
    purchase = services.purchase_record(
        fund_request=request, user=people["office"].user, invoice_number=f"No.{quantity}", invoice_amount=amount,
        lines=[{"supply": paper, "quantity": quantity, "amount": amount}],
    )
    return purchase


def test_a_purchase_is_reimbursable_only_after_stock_in(office_people, paper):
    purchase = buy(office_people, paper, Decimal("10"), Decimal("250"))
    assert selectors.reimbursement_report()[0]["reasons"] == "未入库"
    services.purchase_stock_in(purchase=purchase, user=office_people["office"].user)
    (row,) = selectors.reimbursement_report()
    assert (row["reimbursable"], row["reasons"]) == (True, "")
    assert services.stock_on_hand(paper) == (Decimal("10"), Decimal("250"))


def test_a_purchase_above_the_approved_amount_is_flagged(office_people, paper):
    purchase = buy(office_people, paper, Decimal("10"), Decimal("320"), approved_amount=Decimal("300"))
    assert purchase.over_approved
    services.purchase_stock_in(purchase=purchase, user=office_people["office"].user)
    assert selectors.reimbursement_report()[0]["reasons"] == "超出审批金额"


def requisition(people, paper, quantity, who="clerk"):
    return services.requisition_submit(user=people[who].user, lines=[{"supply": paper, "quantity": quantity}])


def test_issues_are_costed_at_the_moving_average(office_people, paper):
    services.purchase_stock_in(purchase=buy(office_people, paper, Decimal("10"), Decimal("250")), user=office_people["office"].user)
    services.purchase_stock_in(purchase=buy(office_people, paper, Decimal("10"), Decimal("300")), user=office_people["office"].user)
    services.requisition_issue(requisition=requisition(office_people, paper, Decimal("4")), user=office_people["office"].user)
    out = StockMovement.objects.get(kind="out")
    assert (out.quantity, out.amount) == (Decimal("-4"), Decimal("-110.00"))  # 550 / 20 × 4
    assert services.stock_on_hand(paper) == (Decimal("16"), Decimal("440.00"))


def test_stock_never_goes_negative(office_people, paper):
    services.supply_opening_stock(supply=paper, quantity=Decimal("3"), amount=Decimal("75"))
    with pytest.raises(ValidationError, match="「A4复印纸\\(70g\\)」库存不足:现有3包,申领4包"):
        services.requisition_issue(requisition=requisition(office_people, paper, Decimal("4")), user=office_people["office"].user)
    assert services.stock_on_hand(paper) == (Decimal("3"), Decimal("75"))


def test_the_reports_match_a_hand_computed_fixture(office_people, paper, two_departments):
    market, police = two_departments
    pens = Supply.objects.create(name="签字笔", unit="支", reorder_level=Decimal("20"))
    services.supply_opening_stock(supply=paper, quantity=Decimal("20"), amount=Decimal("500"))
    services.supply_opening_stock(supply=pens, quantity=Decimal("30"), amount=Decimal("45"))
    services.requisition_issue(requisition=requisition(office_people, paper, Decimal("6")), user=office_people["office"].user)
    services.requisition_issue(
        requisition=services.requisition_submit(user=office_people["head"].user, lines=[
            {"supply": paper, "quantity": Decimal("2")}, {"supply": pens, "quantity": Decimal("12")},
        ]),
        user=office_people["office"].user,
    )
    month = timezone.localdate().month
    rows = {(r["department__name"], r["supply__name"]): (r["quantity"], r["amount"], r["month"]) for r in selectors.consumption_by_department_and_month(timezone.localdate().year)}
    assert rows == {
        (police.name, "A4复印纸"): (Decimal("6"), Decimal("150.00"), month),
        (market.name, "A4复印纸"): (Decimal("2"), Decimal("50.00"), month),
        (market.name, "签字笔"): (Decimal("12"), Decimal("18.00"), month),
    }
    valuation = {s.name: (s.on_hand, s.value) for s in selectors.stock_valuation()}
    assert valuation == {"A4复印纸": (Decimal("12"), Decimal("300.00")), "签字笔": (Decimal("18"), Decimal("27.00"))}
    assert [s.name for s in selectors.supplies_to_reorder()] == ["签字笔"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issues_of_the_last_item_cannot_both_succeed(two_departments, make_staff):
    office = make_staff(two_departments[0], role=roles.OFFICE_STAFF)
    clerk = make_staff(two_departments[1], role=roles.WINDOW_STAFF)
    toner = Supply.objects.create(name="硒鼓", unit="个")
    services.supply_opening_stock(supply=toner, quantity=Decimal("1"), amount=Decimal("380"))
    first = services.requisition_submit(user=clerk.user, lines=[{"supply": toner, "quantity": Decimal("1")}])
    second = services.requisition_submit(user=clerk.user, lines=[{"supply": toner, "quantity": Decimal("1")}])
    outcomes, barrier = [], threading.Barrier(2)

    def issue(requisition):
        try:
            barrier.wait()
            services.requisition_issue(requisition=requisition, user=office.user)
            outcomes.append("issued")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(r,)) for r in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued", "refused"]
    assert services.stock_on_hand(toner) == (Decimal("0"), Decimal("0"))


def test_a_fund_request_waits_in_the_inbox_of_its_pending_approver_only(office_people):
    from project import inbox

    ask(office_people, Decimal("300"))
    waiting = {person: {line.key: line.count for line in inbox.waiting_counts(staff.user)} for person, staff in office_people.items()}
    holders = [person for person, lines in waiting.items() if lines.get("documents.fund_approval")]
    assert holders == ["director"] and waiting["director"]["documents.fund_approval"] == 1
