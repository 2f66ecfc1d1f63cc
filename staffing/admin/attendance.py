"""签到签退 (S1.10-a, S3.8): the punches, the clock file import, and the monthly sheet with its Excel export."""

import io
import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode

from .. import background, selectors, services
from ..attendance_import import import_summary, read_punch_file
from ..forms import AttendanceSheetForm, PunchImportForm
from ..models import ClockPunch, JobKind, PunchSource, WorkingHours
from ..tasks import clock_import_task
from .base import DepartmentScopedAdminMixin, HistoryAdmin

RelatedOnly = admin.RelatedOnlyFieldListFilter
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKDAYS = "一二三四五六日"

# Each status as the sheet shows it: (abbreviation, CSS class, fill colour for Excel).
SHEET_MARKS = {
    "normal": ("√", "normal", "E2F0D9"),
    "late": ("迟", "late", "FCE4D6"),
    "early": ("早", "early", "FCE4D6"),
    "late_early": ("迟早", "late-early", "F8CBAD"),
    "missing": ("缺", "missing", "FF9999"),
    "leave": ("假", "leave", "DDEBF7"),
    "official": ("公", "official", "E4DFEC"),
    "rest": ("休", "rest", "EDEDED"),
}
HALVES = (("上", 0), ("下", 1))


def attendance_grid(department, year: int, month: int) -> dict:
    """The sheet of `selectors.attendance_sheet` as rows for the page and the workbook.

    Half days that have not ended yet are not judged: they are left blank and not counted.
    """
    sheet = selectors.attendance_sheet(department, year, month)
    today, now = timezone.localdate(), timezone.localtime().time()
    hours = WorkingHours.load()
    ended_today = (now >= hours.morning_end, now >= hours.afternoon_end)
    labels = sheet["labels"]
    rows = []
    for row in sheet["rows"]:
        totals = {code: 0 for code in labels}
        halves = []
        for half_label, index in HALVES:
            cells = []
            for day, pair in zip(sheet["days"], row["cells"]):
                if day > today or (day == today and not ended_today[index] and pair[index] != "rest"):
                    cells.append(None)
                    continue
                code = pair[index]
                totals[code] += 1
                short, css, _ = SHEET_MARKS[code]
                cells.append({"code": code, "short": short, "css": css, "label": labels[code]})
            halves.append({"label": half_label, "cells": cells})
        rows.append({"staff": row["staff"], "halves": halves, "totals": [totals[code] for code in labels]})
    return {
        "department": department,
        "year": year,
        "month": month,
        "days": [
            {"date": day, "weekday": WEEKDAYS[day.weekday()], "working": sheet["working"][day]} for day in sheet["days"]
        ],
        "rows": rows,
        "labels": list(labels.values()),
        "legend": [(SHEET_MARKS[code][0], SHEET_MARKS[code][1], label) for code, label in labels.items()],
    }


def write_attendance_workbook(grid: dict, target) -> None:
    """The same grid as the page: two rows per person (上午, 下午), a column per day, the totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from ..excel import excel_text

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{grid['year']}年{grid['month']}月"
    days, labels = grid["days"], grid["labels"]
    fixed = 3  # 姓名, 工号, 时段
    last_column = fixed + len(days) + len(labels)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fills = {code: PatternFill("solid", fgColor=colour) for code, (_, _, colour) in SHEET_MARKS.items()}

    sheet.cell(row=1, column=1, value=excel_text(f"{grid['department'].name} {grid['year']}年{grid['month']}月考勤表"))
    sheet.cell(row=1, column=1).font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_column)
    sheet.cell(row=2, column=1, value=excel_text("图例:" + ";".join(f"{short} {label}" for short, _, label in grid["legend"])))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_column)

    header = ["姓名", "工号", "时段"] + [f"{d['date'].day}\n{d['weekday']}" for d in days] + labels
    for column, value in enumerate(header, start=1):
        cell = sheet.cell(row=3, column=column, value=excel_text(value))
        cell.font, cell.alignment, cell.border = Font(bold=True), centre, border
        if fixed < column <= fixed + len(days) and not days[column - fixed - 1]["working"]:
            cell.fill = fills["rest"]
    row_number = 4
    for row in grid["rows"]:
        for offset, half in enumerate(row["halves"]):
            values = [row["staff"].name, row["staff"].badge_no, half["label"]]
            values += [cell["short"] if cell else "" for cell in half["cells"]]
            values += row["totals"] if offset == 0 else [None] * len(labels)
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_number + offset, column=column, value=excel_text(value))
                cell.alignment, cell.border = centre, border
                if fixed < column <= fixed + len(days):
                    mark = half["cells"][column - fixed - 1]
                    if mark:
                        cell.fill = fills[mark["code"]]
        # Name, badge and totals span the person's two rows.
        for column in [1, 2] + list(range(fixed + len(days) + 1, last_column + 1)):
            sheet.merge_cells(start_row=row_number, start_column=column, end_row=row_number + 1, end_column=column)
        row_number += 2
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 5
    for column in range(fixed + 1, fixed + len(days) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 4.5
    for column in range(fixed + len(days) + 1, last_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 7
    sheet.row_dimensions[3].height = 30
    sheet.freeze_panes = sheet.cell(row=4, column=fixed + 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    workbook.save(target)


@admin.register(ClockPunch)
class ClockPunchAdmin(DepartmentScopedAdminMixin, HistoryAdmin):
    department_path = "staff__department"
    list_display = ["badge_no", "staff_name", "department", "punched_at", "weekday", "source", "note"]
    list_select_related = ["staff__department"]
    list_filter = ["source", ("staff__department", RelatedOnly)]
    search_fields = ["=staff__badge_no", "staff__name"]
    search_help_text = "输入完整工号,或姓名的一部分。"
    date_hierarchy = "punched_at"
    autocomplete_fields = ["staff"]
    fields = ["staff", "punched_at", "source", "note"]
    readonly_fields = ["source"]
    show_full_result_count = False
    change_list_template = "admin/staffing/clockpunch/change_list.html"

    @admin.display(description="工号", ordering="staff__badge_no")
    def badge_no(self, obj):
        return obj.staff.badge_no

    @admin.display(description="姓名", ordering="staff__name")
    def staff_name(self, obj):
        return obj.staff.name

    @admin.display(description="部门")
    def department(self, obj):
        return obj.staff.department.name

    @admin.display(description="星期")
    def weekday(self, obj):
        return f"星期{WEEKDAYS[timezone.localtime(obj.punched_at).weekday()]}"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = PunchSource.OFFICE  # entered by hand: a forgotten punch the office confirms
        super().save_model(request, obj, form, change)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="staffing_clockpunch_import"),
            path("sheet/", wrap(self.sheet_view), name="staffing_clockpunch_sheet"),
            path("sheet/export/", wrap(self.sheet_export_view), name="staffing_clockpunch_sheet_export"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "sheet_url": reverse("admin:staffing_clockpunch_sheet"),
            "import_url": reverse("admin:staffing_clockpunch_import") if self.has_add_permission(request) else "",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def import_view(self, request):
        """导入考勤机数据: read the file; import only when every cell could be read; report in Chinese."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PunchImportForm(request.POST or None, request.FILES or None)
        parsed = report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            parsed = read_punch_file(upload, upload.name)
            if parsed.ok and background.runs_in_background("import", len(parsed.rows)):
                return self._import_in_background(request, upload, len(parsed.rows))
            if parsed.ok:
                report = services.punches_import(parsed.rows, user=request.user)
                summary = import_summary(upload.name, report)
                self.message_user(request, summary, messages.WARNING if report.unknown else messages.SUCCESS)
        context = self._context(request, "导入考勤机数据", form=form, parsed=parsed, report=report)
        return TemplateResponse(request, "admin/staffing/clockpunch/import.html", context)

    def _import_in_background(self, request, upload, rows):
        """A large clock file: the worker writes its punches; the page returns at once to the progress."""
        upload.seek(0)
        extension = upload.name.rsplit(".", 1)[-1].lower()
        path = default_storage.save(f"tmp/clock-imports/{uuid.uuid4().hex}.{extension}", upload)
        job = background.job_create(
            kind=JobKind.CLOCK_IMPORT, user=request.user, file_name=upload.name, total=rows, params={"path": path}
        )
        background.job_enqueue(job, clock_import_task)
        return redirect("admin:staffing_backgroundjob_progress", job.pk)

    def _sheet_grid(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = AttendanceSheetForm(request.GET if request.GET else None, user=request.user)
        department, year, month = form.selection()
        if department is None:
            return form, None
        return form, attendance_grid(department, year, month)

    def sheet_view(self, request):
        form, grid = self._sheet_grid(request)
        export_url = ""
        if grid is not None:
            query = urlencode({"department": grid["department"].pk, "year": grid["year"], "month": grid["month"]})
            export_url = f"{reverse('admin:staffing_clockpunch_sheet_export')}?{query}"
        title = f"{grid['department'].name} {grid['year']}年{grid['month']}月考勤表" if grid else "月度考勤表"
        context = self._context(request, title, form=form, grid=grid, export_url=export_url)
        return TemplateResponse(request, "admin/staffing/clockpunch/sheet.html", context)

    def sheet_export_view(self, request):
        form, grid = self._sheet_grid(request)
        if grid is None:
            raise PermissionDenied
        buffer = io.BytesIO()
        write_attendance_workbook(grid, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        file_name = f"考勤表-{grid['department'].name}-{grid['year']}年{grid['month']}月.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name)
        return response
