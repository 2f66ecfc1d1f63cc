"""The timeline as an Excel workbook: one row per changed field (who, when, record, field, old, new).

Written by the export link directly, or by the background task (project/tasks.py) when the changes
to export are more than 后台任务设置's export size: the same rows either way, secret titles masked
for the reader they are written for."""

from django.utils import timezone

from . import history

MAX_ROWS = 20000  # a workbook stops here; narrow the filters for more
PAGE = 500  # changes read per query round
HEADER = ["时间", "操作人", "部门", "变更类型", "记录", "字段", "原值", "新值", "变更原因"]


def write_timeline_workbook(filters, target, *, visible, progress=None) -> int:
    """Write the changes that pass `filters` to `target` (a binary file); the number of rows written.

    `visible` is history.secrecy_restrictions() of the reader; `progress(stage, read=…, checked=…,
    written=…)`, if given, is called once per page of changes."""
    from openpyxl import Workbook

    from staffing.excel import excel_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "变更记录"
    sheet.append(excel_row(HEADER))
    before, rows, changes = None, 0, 0
    while rows < MAX_ROWS:
        entries = history.timeline_page(filters, before=before, size=PAGE, visible=visible)
        for entry in entries:
            who = entry.user
            staff = getattr(who, "staff", None) if who else None
            base = [
                history.chinese_date(entry.when) + timezone.localtime(entry.when).strftime(":%S"),
                (staff.name if staff else history.user_label(who)) if who else "系统",
                staff.department.name if staff and staff.department_id else "",
                entry.kind,
                entry.record_label,
            ]
            for change in entry.changes or [history.Change("", "", "", "")]:
                sheet.append(excel_row(base + [change.label, change.old, change.new, entry.reason]))
                rows += 1
        changes += len(entries)
        if progress is not None:
            progress(f"已导出 {changes} 条变更({rows} 行)…", read=changes, checked=changes, written=changes)
        if len(entries) < PAGE:
            break
        before = entries[-1].cursor
    workbook.save(target)
    return rows
