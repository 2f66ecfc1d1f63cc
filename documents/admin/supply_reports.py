"""The supplies reports (S3.7): stock valuation, consumption per department and month, reimbursement
(reimbursable / blocked with the reason), open fund-use forms by approver — on screen and in Excel.

Each function is a view mounted by the admin it belongs to; the figures come from documents.selectors.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from .. import selectors
from ..forms import YearForm
from .common import export_link, plain, wants_xlsx, xlsx_response

MONTHS = range(1, 13)


def _money(amount) -> str:
    return f"{amount:,.2f}"


def _require_stock_view(request):
    if not request.user.has_perm("documents.view_stockmovement"):
        raise PermissionDenied


def valuation(model_admin, request):
    """库存盘点表: each supply in use, its quantity and value on hand, the average cost, and 需补货."""
    _require_stock_view(request)
    supplies = list(selectors.stock_valuation())
    total = sum((s.value for s in supplies), Decimal(0))
    headers = ["名称", "规格", "单位", "库存数量", "库存金额(元)", "平均单价(元)", "最低库存", "补货"]

    def average(s):
        return (s.value / s.on_hand).quantize(Decimal("0.01")) if s.on_hand else None

    def reorder(s):
        return "需补货" if s.on_hand <= s.reorder_level else ""

    today = timezone.localdate()
    if wants_xlsx(request):
        rows = [[s.name, s.specification, s.unit, s.on_hand, s.value, average(s), s.reorder_level, reorder(s)] for s in supplies]
        rows.append(["合计", "", "", "", total, "", "", ""])
        return xlsx_response(f"库存盘点表-{today:%Y%m%d}.xlsx", [("库存", headers, rows)])
    table = {
        "headers": headers,
        "css": "dc-valuation",
        "rows": [
            {
                "css": "reorder" if reorder(s) else "",
                "cells": [
                    {"text": s.name, "url": reverse("admin:documents_supply_change", args=[s.pk])},
                    {"text": s.specification},
                    {"text": s.unit},
                    {"text": plain(s.on_hand), "num": True},
                    {"text": _money(s.value), "num": True},
                    {"text": _money(average(s)) if average(s) is not None else "—", "num": True},
                    {"text": plain(s.reorder_level), "num": True},
                    {"text": "", "mark": ("reorder", "需补货") if reorder(s) else None},
                ],
            }
            for s in supplies
        ]
        + [{"css": "total", "cells": [{"text": "合计"}, {"text": ""}, {"text": ""}, {"text": ""}, {"text": _money(total), "num": True}, {"text": ""}, {"text": ""}, {"text": ""}]}],
    }
    return model_admin.page(
        request, "admin/documents/report.html", "库存盘点表", tables=[table], export_url=export_link(request),
        intro=f"截至{today:%Y年%m月%d日},在用办公用品{len(supplies)}种,库存金额合计{_money(total)}元(库存为出入库记录之和;出库按移动加权平均成本计价)。",
    )


def consumption(model_admin, request):
    """领用统计: what each department drew, per month, in money and in quantities."""
    _require_stock_view(request)
    today = timezone.localdate()
    form, year = YearForm.for_request(request.GET, today.year)
    rows = list(selectors.consumption_by_department_and_month(year))
    by_department: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        by_department[row["department__name"] or "(未指定部门)"][row["month"]] += row["amount"]
    summary_headers = ["部门"] + [f"{m}月" for m in MONTHS] + ["全年合计"]
    detail_headers = ["部门", "月份", "用品", "单位", "数量", "金额(元)"]
    summary_rows = [[name] + [months.get(m, Decimal(0)) for m in MONTHS] + [sum(months.values(), Decimal(0))] for name, months in by_department.items()]
    column_totals = [sum((r[i] for r in summary_rows), Decimal(0)) for i in range(1, 14)]
    detail_rows = [[r["department__name"] or "", f"{r['month']}月", r["supply__name"], r["supply__unit"], r["quantity"], r["amount"]] for r in rows]
    if wants_xlsx(request):
        return xlsx_response(
            f"办公用品领用统计-{year}年.xlsx",
            [("按部门和月份(金额)", summary_headers, summary_rows + [["合计"] + column_totals]), ("明细", detail_headers, detail_rows)],
        )

    def money_cells(values):
        return [{"text": _money(v) if v else "", "num": True} for v in values]

    tables = [
        {
            "title": f"{year}年各部门领用金额(元)",
            "headers": summary_headers,
            "css": "dc-consumption",
            "empty": f"{year}年没有领用记录。",
            "rows": [{"cells": [{"text": r[0]}] + money_cells(r[1:])} for r in summary_rows]
            + ([{"css": "total", "cells": [{"text": "合计"}] + money_cells(column_totals)}] if summary_rows else []),
        },
        {
            "title": "领用明细",
            "headers": detail_headers,
            "css": "dc-consumption-detail",
            "empty": f"{year}年没有领用记录。",
            "rows": [
                {"cells": [{"text": r[0]}, {"text": r[1]}, {"text": r[2]}, {"text": r[3]}, {"text": plain(r[4]), "num": True}, {"text": _money(r[5]), "num": True}]}
                for r in detail_rows
            ],
        },
    ]
    return model_admin.page(
        request, "admin/documents/report.html", f"{year}年办公用品领用统计", tables=tables, form=form, export_url=export_link(request),
        media=form.media,
    )


def reimbursement(model_admin, request):
    """报销情况 for finance: a purchase is reimbursable once stocked in and within the approved amount."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    rows = selectors.reimbursement_report()
    headers = ["采购日期", "发票号码", "申请部门", "用途", "发票金额(元)", "报销", "挂起原因"]
    ready = sum((r["purchase"].invoice_amount for r in rows if r["reimbursable"]), Decimal(0))
    blocked = sum((r["purchase"].invoice_amount for r in rows if not r["reimbursable"]), Decimal(0))

    def values(r):
        p = r["purchase"]
        return [p.purchased_on, p.invoice_number, p.fund_request.department.name, p.fund_request.purpose, p.invoice_amount,
                "可报销" if r["reimbursable"] else "挂起", r["reasons"]]

    today = timezone.localdate()
    if wants_xlsx(request):
        data = [values(r) for r in rows] + [["可报销合计", "", "", "", ready, "", ""], ["挂起合计", "", "", "", blocked, "", ""]]
        return xlsx_response(f"采购报销情况-{today:%Y%m%d}.xlsx", [("报销情况", headers, data)])
    table = {
        "headers": headers,
        "css": "dc-reimbursement",
        "empty": "没有采购记录。",
        "rows": [
            {
                "css": "reimbursable" if r["reimbursable"] else "blocked",
                "cells": [
                    {"text": r["purchase"].purchased_on.isoformat()},
                    {"text": r["purchase"].invoice_number, "url": reverse("admin:documents_purchase_change", args=[r["purchase"].pk])},
                    {"text": r["purchase"].fund_request.department.name},
                    {"text": r["purchase"].fund_request.purpose},
                    {"text": _money(r["purchase"].invoice_amount), "num": True},
                    {"text": "", "mark": ("ok", "可报销") if r["reimbursable"] else ("blocked", "挂起")},
                    {"text": r["reasons"]},
                ],
            }
            for r in rows
        ],
    }
    return model_admin.page(
        request, "admin/documents/report.html", "采购报销情况", tables=[table], export_url=export_link(request),
        intro=f"可报销{_money(ready)}元;挂起{_money(blocked)}元(未入库的不予报销,超出审批金额的须另行审批)。",
    )


def open_requests(model_admin, request):
    """待审批的资金使用审批表, by the approver whose turn it is (only forms the user may see)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    visible = set(model_admin.get_queryset(request).values_list("pk", flat=True))
    groups = []
    for group in selectors.open_fund_requests_by_approver():
        rows = [row for row in group["rows"] if row["request"].pk in visible]
        if rows:
            groups.append({**group, "rows": rows})
    now = timezone.now()
    headers = ["提交时间", "申请部门", "申请人", "用途", "预计金额(元)", "已等待(天)"]

    def values(row):
        fund = row["request"]
        return [timezone.localtime(fund.submitted_at).strftime("%Y-%m-%d %H:%M"), fund.department.name, fund.requested_by.name,
                fund.purpose, fund.estimated_amount, (now - row["step"].created_at).days]

    if wants_xlsx(request):
        data = [[g["approver"].name, g["role"]] + values(row) for g in groups for row in g["rows"]]
        return xlsx_response(f"待审批资金使用审批表-{now:%Y%m%d}.xlsx", [("待审批", ["审批人", "审批角色"] + headers, data)])
    tables = [
        {
            "title": f"待{g['approver'].name}({g['role']})审批:{len(g['rows'])}份,合计{_money(sum((r['request'].estimated_amount for r in g['rows']), Decimal(0)))}元",
            "headers": headers,
            "rows": [_open_row(values(row), row["request"].pk) for row in g["rows"]],
        }
        for g in groups
    ]
    return model_admin.page(
        request, "admin/documents/report.html", "待审批的资金使用审批表", tables=tables, export_url=export_link(request),
        empty="没有待审批的资金使用审批表。",
    )


def _open_row(values, pk) -> dict:
    submitted, department, requester, purpose, amount, days = values
    return {
        "cells": [
            {"text": submitted, "url": reverse("admin:documents_fundrequest_change", args=[pk])},
            {"text": department},
            {"text": requester},
            {"text": purpose},
            {"text": _money(amount), "num": True},
            {"text": days, "num": True},
        ]
    }
