"""会议合规情况 (S4) and 会议出席统计 (S3.9) for a range of dates, on screen and as an Excel workbook."""

import io
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from staffing.excel import excel_row

from .. import selectors
from ..forms import PeriodForm

BY_PERSON = ("staff__department__name", "staff__name", "staff__badge_no")
MISSED_FILL = PatternFill("solid", fgColor="F8D7DA")


def rate(row) -> str:
    return f"{row['present'] * 100 / row['total']:.0f}%" if row["total"] else "—"


def compliance_view(model_admin, request):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=PeriodForm.this_year(today))
    period = form.cleaned_data if form.is_bound and form.is_valid() else PeriodForm.this_year(today)
    start, end = period["start"], period["end"]
    overview = selectors.compliance_overview(start, end, today)
    by_department = [{**row, "rate": rate(row)} for row in selectors.attendance_statistics(start, end)]
    by_person = [{**row, "rate": rate(row)} for row in selectors.attendance_statistics(start, end, by=BY_PERSON)]
    if request.GET.get("format") == "xlsx":
        return workbook_response(overview, by_department, by_person, start, end)
    query = request.GET.copy()
    query["format"] = "xlsx"
    query.setdefault("start", start.isoformat())
    query.setdefault("end", end.isoformat())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "会议合规情况",
        "form": form,
        "start": start,
        "end": end,
        "overview": overview,
        "by_department": by_department,
        "by_person": by_person,
        "export_query": query.urlencode(),
        "media": form.media,
    }
    return TemplateResponse(request, "admin/meetings/meeting/compliance.html", context)


def workbook_response(overview, by_department, by_person, start, end) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = "会议召开情况"
    sheet.append(excel_row(["会议类型", "周期", "应召开", "已召开", "未召开", "情况", "未达法定人数的会议"]))
    for entry in overview:
        for row in entry["rows"]:
            sheet.append(
                excel_row(
                    [
                        entry["type"].name,
                        row.period.label,
                        row.period.due,
                        row.period.held,
                        row.missed,
                        row.state_label,
                        "、".join(str(m) for m in row.period.without_quorum),
                    ]
                )
            )
            if row.state == "missed":
                for cell in sheet[sheet.max_row]:
                    cell.fill = MISSED_FILL
    for title, rows, names in (
        ("出席统计(部门)", by_department, [("部门", "staff__department__name")]),
        ("出席统计(个人)", by_person, [("部门", "staff__department__name"), ("姓名", "staff__name"), ("工号", "staff__badge_no")]),
    ):
        sheet = book.create_sheet(title)
        sheet.append(excel_row([label for label, _ in names] + ["应到次数", "出席", "请假", "缺席", "出席率"]))
        for row in rows:
            counts = [row["total"], row["present"], row["on_leave"], row["absent"], row["rate"]]
            sheet.append(excel_row([row[key] for _, key in names] + counts))
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"会议合规情况_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

