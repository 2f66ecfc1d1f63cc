"""Excel exports of lists that can be large (issue 20): one way for every list to say "export this
queryset's workbook", in the request up to 后台任务设置's export size and by a background job above it.

A list declares its export once, at module level, as a `ListExport`:

    DOCUMENT_REGISTER = ListExport(
        path="documents.admin.documents.DOCUMENT_REGISTER", sheet="文件", headers=[...], model=Document,
        prepare=lambda documents: documents.select_related(...), order=("created_at", "pk"),
        rows=document_rows, unit="份文件",
    )

and its admin answers `export_list(request, DOCUMENT_REGISTER, queryset, file_name)`. The queryset is
the user's (already scoped and filtered): the job is given its ids, in order, and reads them again in
batches; the file is downloaded from the progress page or 我的后台任务, by its owner only.
"""

import dataclasses
import io
from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import background
from .excel import excel_row
from .models import JobKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 1000  # ids read back per query by a job (SQLite's limit on query parameters is far above)
PROGRESS_EVERY = 500


@dataclasses.dataclass(frozen=True)
class ListExport:
    path: str  # where this object is, for the worker: "app.module.NAME"
    sheet: str
    headers: list[str]
    model: type
    order: tuple  # the rows' order, the same in the request and in the job
    rows: Callable[[object], Iterable[list]]  # an ordered queryset -> the rows' cell values
    prepare: Callable = lambda queryset: queryset  # what the rows read: select_related, prefetch_related
    unit: str = "条记录"
    escape: Callable[[list], list] = excel_row  # a row's values made safe for their cells

    def ordered(self, queryset):
        return self.prepare(queryset).order_by(*self.order)


def write_workbook(target, sheets, *, progress=None, escape=excel_row) -> int:
    """A workbook of (sheet title, headers, rows) into a binary file; text is escaped, numbers stay numbers.
    Returns the number of rows written."""
    book = Workbook()
    book.remove(book.active)
    count = 0
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(excel_row(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(escape(row))
            count += 1
            if progress and count % PROGRESS_EVERY == 0:
                progress(f"已写出 {count} 行…", read=count, checked=count, written=count)
        for index in range(1, len(headers) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 16
    book.save(target)
    return count


def workbook_response(file_name: str, sheets) -> HttpResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response


def export_list(request, export: ListExport, queryset, file_name: str, *, sheet: str = "") -> HttpResponse:
    """The workbook of `queryset` (the user's rows): downloaded now, or above 后台任务设置's export size
    written by a background job while the page shows its progress."""
    background_job = export_job_response(request, export, queryset, file_name, sheet=sheet)
    if background_job is not None:
        return background_job
    return workbook_response(file_name, [(sheet or export.sheet, export.headers, export.rows(export.ordered(queryset)))])


def export_job_response(request, export: ListExport, queryset, file_name: str, *, sheet: str = ""):
    """Above the export size: the job that writes the workbook, and the redirect to its progress. Else None."""
    if not background.runs_in_background("export", queryset.count()):
        return None
    from .tasks import list_export_task

    ids = list(queryset.order_by(*export.order).values_list("pk", flat=True))
    job = background.job_create(
        kind=JobKind.LIST_EXPORT, user=request.user, file_name=file_name, total=len(ids),
        params={"export": export.path, "ids": ids, "sheet": sheet},
    )  # fmt: skip
    background.job_enqueue(job, list_export_task)
    return redirect("admin:staffing_backgroundjob_progress", job.pk)


def _in_batches(export: ListExport, ids):
    for start in range(0, len(ids), BATCH):
        yield from export.rows(export.ordered(export.model._default_manager.filter(pk__in=ids[start : start + BATCH])))


def list_export_job(job, progress) -> dict:
    """Write the listed rows' workbook to MEDIA_ROOT/exports/<job>/, for its owner to download."""
    export = import_string(job.params["export"])
    if not isinstance(export, ListExport):
        raise TypeError(f"not a list export: {job.params['export']}")
    sheets = [(job.params.get("sheet") or export.sheet, export.headers, _in_batches(export, job.params["ids"]))]
    result = background.export_file(job, lambda target: write_workbook(target, sheets, progress=progress, escape=export.escape),
                         "{count} " + export.unit)
    progress("", read=result["count"], checked=result["count"], written=result["count"])
    return result
