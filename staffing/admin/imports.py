"""What every django-import-export admin import shares (issue 21): the upload's size limit, a streamed
xlsx reading within the sheet's row limit, and read failures told in Chinese instead of
「'BadZipFile' encountered while trying to read file」."""

import io

from import_export.admin import ImportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm

from .. import spreadsheet


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
