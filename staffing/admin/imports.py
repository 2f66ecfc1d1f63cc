"""What every django-import-export admin import shares (issue 21): the upload's size limit, a streamed
xlsx reading within the sheet's row limit, and read failures told in Chinese instead of
「'BadZipFile' encountered while trying to read file」."""

import io
import uuid

from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse
from import_export.admin import ImportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm

from .. import background, spreadsheet


class StreamingXLSX(XLSX):
    """The first sheet, streamed by `spreadsheet.read_sheet`: data rows only, at most `row_limit_kind`'s limit."""

    row_limit_kind = "organisation"

    def create_dataset(self, in_stream):
        book = spreadsheet.open_workbook(io.BytesIO(in_stream))
        try:
            sheet = spreadsheet.read_sheet(book, book.sheetnames[0], limit=spreadsheet.row_limit(self.row_limit_kind))
        finally:
            book.close()
        return spreadsheet.sheet_dataset(sheet)


class LimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        spreadsheet.check_upload_size(upload)
        return upload


class ExcelImportMixin(ImportMixin):
    """Use instead of ImportMixin; `import_rows_kind` names the row limit (settings IMPORT_MAX_ROWS)."""

    import_rows_kind = "organisation"
    import_form_class = LimitedImportForm
    # A JobKind: above 后台任务设置's import size, the upload goes straight to a background job that
    # checks every row and writes them in one transaction (no preview: its dry run alone would outlast
    # the request). None: always in the request.
    background_job_kind = None

    def get_import_formats(self):
        return [type("StreamingXLSX", (StreamingXLSX,), {"row_limit_kind": self.import_rows_kind})]

    def add_data_read_fail_error_to_form(self, form, e):
        upload = getattr(form, "cleaned_data", {}).get("import_file")
        name = f"「{upload.name}」" if getattr(upload, "name", "") else "所选文件"
        if isinstance(e, spreadsheet.WorkbookError):
            message = str(e).replace("所选文件", name, 1)  # the reader does not know the upload's name
        else:
            message = f"无法读取{name}({type(e).__name__}):请确认它是 Excel 工作簿(.xlsx),且第1行是表头。"
        form.add_error("import_file", message)

    def import_action(self, request, **kwargs):
        if self.background_job_kind and request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and len(self.get_import_resource_classes(request)) == 1:
                upload = form.cleaned_data["import_file"]
                try:
                    rows = len(self.get_import_formats()[0]().create_dataset(b"".join(upload.chunks())))
                except Exception:  # noqa: BLE001 — the request's own import reports it, in Chinese
                    rows = 0
                if background.runs_in_background("import", rows):
                    return self._import_in_background(request, upload, rows)
        return super().import_action(request, **kwargs)

    def _import_in_background(self, request, upload, rows):
        """A large workbook: the worker checks and imports it; the page returns at once to its progress."""
        from ..tasks import organisation_import_task

        upload.seek(0)
        path = default_storage.save(f"tmp/excel-imports/{uuid.uuid4().hex}.xlsx", upload)
        resource_class = self.get_import_resource_classes(request)[0]
        job = background.job_create(
            kind=self.background_job_kind, user=request.user, file_name=upload.name, total=rows,
            params={
                "path": path, "resource": f"{resource_class.__module__}.{resource_class.__qualname__}",
                "rows_kind": self.import_rows_kind,
                "next_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
                "retry_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"),
            },
        )  # fmt: skip
        background.job_enqueue(job, organisation_import_task)
        return redirect("admin:staffing_backgroundjob_progress", job.pk)
