"""The two pages of 招投标监督 beside the event list: 开标日历 (upcoming openings, 需要派员监督) and
招投标监督统计 on screen and as an Excel workbook. Both hang under /admin/bidding/biddingevent/."""

import calendar
import io
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from staffing.excel import excel_query, excel_row

from .. import selectors
from ..forms import FiguresForm
from ..models import BiddingSettings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [
    ("events", "开标项目"),
    ("held", "已监督开标"),
    ("suspended", "中止"),
    ("awarded", "已定标"),
    ("budget", "监督项目预算(万元)"),
    ("irregularities", "发现问题"),
    ("irregularities_closed", "问题已办结"),
    ("complaints", "招投标投诉"),
    ("complaints_upheld", "投诉属实"),
    ("complaints_closed", "投诉已办结"),
    ("complaints_on_time", "按期办结"),
]


def openings_view(model_admin, request):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    today = timezone.localdate()
    days = BiddingSettings.load().calendar_days
    events = list(selectors.upcoming_openings(today, days))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "开标日历",
        "today": today,
        "days": days,
        "horizon": selectors.calendar_horizon(today, days),
        "events": events,
        "needing": sum(1 for event in events if event.supervisor_id is None),
        "can_change": model_admin.has_change_permission(request),
    }
    return TemplateResponse(request, "admin/bidding/biddingevent/openings.html", context)


def statistics_view(model_admin, request):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    today = timezone.localdate()
    defaults = {"start": today.replace(month=1, day=1), "end": today.replace(day=calendar.monthrange(today.year, today.month)[1]), "by": "month"}
    form = FiguresForm(request.GET if "start" in request.GET else None, initial=defaults)
    params = defaults if not form.is_bound else form.cleaned_data if form.is_valid() else None
    rows = totals = None
    if params is not None:
        rows = selectors.bidding_figures(params["start"], params["end"], params["by"])
        totals = selectors.figure_totals(rows)
        if request.GET.get("format") == "xlsx":
            return statistics_workbook(rows, totals, params)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "招投标监督统计",
        "form": form,
        "params": params,
        "group_title": selectors.GROUPINGS[params["by"]] if params else "",
        "columns": COLUMNS,
        "rows": [[row["label"], *(row[key] for key, _ in COLUMNS)] for row in rows] if rows is not None else None,
        "totals": [totals["label"], *(totals[key] for key, _ in COLUMNS)] if totals else None,
        "export_query": excel_query(request.GET, params),
        "media": form.media,
    }
    return TemplateResponse(request, "admin/bidding/biddingevent/statistics.html", context)


def statistics_workbook(rows, totals, params) -> HttpResponse:
    start, end, by = params["start"], params["end"], params["by"]
    book = Workbook()
    sheet = book.active
    sheet.title = "招投标监督统计"
    sheet.append(excel_row([f"招投标监督统计 {start:%Y-%m-%d}至{end:%Y-%m-%d}(按{selectors.GROUPINGS[by]})"]))
    sheet.append(excel_row([selectors.GROUPINGS[by], *(label for _, label in COLUMNS)]))
    for row in [*rows, totals]:
        sheet.append(excel_row([row["label"], *(row[key] for key, _ in COLUMNS)]))
    for cell in (*sheet[1], *sheet[2], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 20
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"招投标监督统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
