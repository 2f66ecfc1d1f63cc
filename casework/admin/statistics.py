"""办件统计 (S1.1-d) on screen and as an Excel workbook, and 生成月度考核表 (S1.1-c).

Both pages hang under the case admin (/admin/casework/case/statistics/ and
/admin/casework/case/assessments/generate/). The figures come from casework.statistics, whose
queries do not grow with the number of cases; the assessment sheets from
services.assessment_prepare. The assessment page lives here and not in staffing, because staffing
does not import casework.
"""

import io
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from halls import selectors as hall_selectors
from staffing import selectors as staffing_selectors
from staffing.excel import excel_query, excel_row
from staffing.models import Department, Staff

from .. import selectors, services
from ..oversight_forms import AssessmentGenerateForm, StatisticsForm, this_month
from ..statistics import GROUPINGS, add_months, case_statistics

COUNTS = [
    ("received", "收件"),
    ("accepted", "受理"),
    ("completed", "办结"),
    ("on_time", "按时办结"),
    ("overdue", "超期办结"),
    ("refused", "不予受理/不予批准"),
    ("overturned", "否定被撤销"),
    ("complaints", "投诉"),
    ("upheld", "投诉属实"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def group_label(by: str, key) -> str:
    if key is None:
        return "(未指定)"
    if by == "month":
        return f"{key.year}年{key.month}月"
    if by == "window":
        return f"{key}号窗口"
    return str(key)


def rate(on_time: int, completed: int):
    return round(100 * on_time / completed, 1) if completed else None


def statistics_rows(rows: list[dict], by: str) -> tuple[list[dict], dict]:
    """The rows with their labels, and the totals row (its rate computed from the totals)."""
    labelled = [{**row, "label": group_label(by, row["key"])} for row in rows]
    totals = {key: sum(row[key] for row in rows) for key, _ in COUNTS}
    totals.update(label="合计", on_time_rate=rate(totals["on_time"], totals["completed"]))
    return labelled, totals


def visible_department_ids(user, department):
    """The departments counted: the one chosen, else all (center-wide roles) or the user's own."""
    if department is not None:
        return [department.pk]
    if staffing_selectors.user_sees_all_departments(user):
        return None
    return sorted(staffing_selectors.user_department_ids(user))


def visible_hall_ids(user, hall):
    """The halls counted: the one chosen (its id), else those the user sees (None: all)."""
    if hall is not None:
        return [hall]
    hall_ids = hall_selectors.halls_of(user)
    return None if hall_ids is None else sorted(hall_ids)


def statistics_view(model_admin, request):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    departments = selectors.case_departments(request.user)
    halls = hall_selectors.filter_hall_choices(request.user)  # cached: the page adds no query for them
    start, end = this_month(timezone.localdate())
    defaults = {"start": start, "end": end, "by": "department", "department": None, "hall": None}
    form = StatisticsForm(request.GET if "start" in request.GET else None, initial=defaults, departments=departments, halls=halls)
    params = defaults if not form.is_bound else form.cleaned_data if form.is_valid() else None
    rows = totals = None
    if params is not None:
        by = params["by"]
        figures = case_statistics(
            params["start"],
            params["end"],
            by,
            visible_department_ids(request.user, params["department"]),
            visible_hall_ids(request.user, params["hall"]),
        )
        rows, totals = statistics_rows(figures, by)
        if request.GET.get("format") == "xlsx":
            return statistics_workbook(rows, totals, by, params["start"], params["end"])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "办件统计",
        "form": form,
        "params": params,
        "group_title": GROUPINGS[params["by"]][1] if params else "",
        "show_department": len(departments) > 1,
        "show_hall": len(halls) > 1,
        "counts": COUNTS,
        "rows": rows,
        "totals": totals,
        "export_query": excel_query(request.GET, params),
        "media": form.media,
        "bidding_statistics_url": reverse("admin:bidding_biddingevent_statistics")
        if request.user.has_perm("bidding.view_biddingevent")
        else "",
    }
    return TemplateResponse(request, "admin/casework/case/statistics.html", context)


def statistics_workbook(rows, totals, by, start, end) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = "办件统计"
    sheet.append(excel_row([f"办件统计 {start:%Y-%m-%d}至{end:%Y-%m-%d}(按{GROUPINGS[by][1]})"]))
    sheet.append(excel_row([GROUPINGS[by][1], *(label for _, label in COUNTS), "按时办结率"]))
    for row in [*rows, totals]:
        share = row["on_time_rate"] / 100 if row["on_time_rate"] is not None else None
        sheet.append(excel_row([row["label"], *(row[key] for key, _ in COUNTS), share]))
        sheet.cell(row=sheet.max_row, column=len(COUNTS) + 2).number_format = "0.0%"
    for cell in (*sheet[1], *sheet[2], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"办件统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- 生成月度考核表 (S1.1-c) ------------------------------------------------------------------------


def assessment_generate_view(model_admin, request):
    if not request.user.has_perm("staffing.add_assessment"):
        raise PermissionDenied
    departments = staffing_selectors.scope_to_department(Department.objects.filter(is_active=True), request.user, "pk")
    last_month = add_months(timezone.localdate(), -1)
    form = AssessmentGenerateForm(
        request.POST if request.method == "POST" else None,
        initial={"year": last_month.year, "month": last_month.month},
        departments=departments,
    )
    if form.is_bound and form.is_valid():
        department, year, month = (form.cleaned_data[name] for name in ("department", "year", "month"))
        staff = Staff.objects.filter(department=department, is_active=True).order_by("badge_no")
        sheets = [services.assessment_prepare(staff=person, year=year, month=month, user=request.user) for person in staff]
        if sheets:
            model_admin.message_user(
                request,
                f"已生成{department}{year}年{month}月考核表{len(sheets)}份,数据取自办件、投诉、否定报备和责任追究记录;"
                "考核得分和考核意见请逐份填写。",
                messages.SUCCESS,
            )
        else:
            model_admin.message_user(request, f"{department}没有在岗工作人员,未生成考核表。", messages.WARNING)
        query = urlencode({"staff__department__id__exact": department.pk, "year__exact": year, "month__exact": month})
        return HttpResponseRedirect(f"{reverse('admin:staffing_assessment_changelist')}?{query}")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "生成月度考核表",
        "form": form,
        "media": form.media,
    }
    return TemplateResponse(request, "admin/casework/case/assessment_generate.html", context)
