"""The organisation workbook's import, shared by `manage.py import_organisation` and the background job
of the admin's 导入 (部门, 窗口, 工作人员 above 后台任务设置's size): errors told in Chinese, naming
sheet, Excel row, column and value; all or nothing."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext
from import_export.results import RowResult

from . import spreadsheet
from .import_widgets import cell_text

RESULT_ERRORS = 1000  # errors kept on a job for its page; the rest are counted


def describe_cell(column, message, values) -> str:
    if column == NON_FIELD_ERRORS:
        return ""
    value = cell_text(values.get(column))
    if value and value not in message:
        return f" {column}「{value}」"
    return f" {column}"


def import_errors(sheet, dataset, result) -> list[str]:
    """Every error of one sheet, in Chinese, naming sheet, Excel row, column and value."""
    where = f"工作表「{sheet}」"
    if result.base_errors:
        # The sheet as a whole is unusable (e.g. the key column is missing): row errors would only repeat it.
        return [f"{where}:{error.error}" for error in result.base_errors]
    lines = []
    for row in result.error_rows:
        lines += [(row.number, f"{where}第{row.number}行:{error.error}") for error in row.errors]
    rows = dict(zip(dataset.excel_rows, dataset))  # the resource numbers rows as Excel does
    for row in result.invalid_rows:
        values = dict(zip(dataset.headers, rows[row.number]))
        for column, messages in row.error_dict.items():
            for message in messages:
                lines.append((row.number, f"{where}第{row.number}行{describe_cell(column, message, values)}:{message}"))
    return [text for _, text in sorted(lines, key=lambda line: line[0])]


def first_sheet_dataset(source, file_name, kind="organisation"):
    """(sheet name, dataset) of the workbook's first sheet, as the admin's import reads it."""
    book = spreadsheet.open_workbook(source, file_name)
    try:
        sheet = spreadsheet.read_sheet(book, book.sheetnames[0], limit=spreadsheet.row_limit(kind))
    finally:
        book.close()
    return sheet.name, spreadsheet.sheet_dataset(sheet)


def success_message(result) -> str:
    """The admin's message after an import (django-import-export's, in its Chinese)."""
    totals = result.totals
    return gettext("Import finished: {} new, {} updated, {} deleted and {} skipped {}.").format(
        totals[RowResult.IMPORT_TYPE_NEW], totals[RowResult.IMPORT_TYPE_UPDATE],
        totals[RowResult.IMPORT_TYPE_DELETE], totals[RowResult.IMPORT_TYPE_SKIP], "",
    )  # fmt: skip


def sheet_import(dataset, *, sheet, resource_class, user=None, progress=None) -> dict:
    """Check every row (nothing written, the progress told per batch), then, only if no row is wrong,
    import the sheet in one transaction: the result the background job's page shows."""
    progress = progress or (lambda *args, **kwargs: None)
    total = len(dataset)
    progress(f"工作表「{sheet}」已读取 {total} 行,正在校验…", read=total)
    checked = resource_class().check_data(dataset, user=user, progress=progress)
    errors = import_errors(sheet, dataset, checked)
    progress(f"已校验 {total} 行,发现 {len(errors)} 处错误。", checked=total)
    if not errors:
        progress("正在写入数据库…", writing=True)
        with transaction.atomic():
            result = resource_class().import_data(
                dataset, dry_run=False, raise_errors=False, use_transactions=True, rollback_on_validation_errors=True, user=user
            )
            errors = import_errors(sheet, dataset, result)  # a row that became wrong since its check
            if errors:
                transaction.set_rollback(True)
    if errors:
        return {
            "ok": False,
            "message": f"工作簿有 {len(errors)} 处错误,未作任何修改。请改正后重新上传。",
            "errors": errors[:RESULT_ERRORS],
            "errors_more": max(0, len(errors) - RESULT_ERRORS),
        }
    totals = result.totals
    progress("", written=totals[RowResult.IMPORT_TYPE_NEW] + totals[RowResult.IMPORT_TYPE_UPDATE])
    return {"ok": True, "message": success_message(result)}
