"""Reading uploaded workbooks without letting one exhaust a worker (issue 21), for every import.

- The upload's size is checked first (`check_upload_size`, limit `IMPORT_MAX_UPLOAD_MB`).
- Sheets are streamed from the xlsx (`read_sheet`): rows absent from the file cost nothing, so a
  declared dimension of A1:F1048576 or one cell at row 1,048,576 is one row, not a million. Rows
  without a value (formatted but empty) are skipped and not counted. Reading stops at the first data
  row over the sheet's limit (`row_limit`, settings `IMPORT_MAX_ROWS`), with a message naming the
  sheet, the rows read and the limit.
- A formula whose result the file does not hold (written by a program, never opened in Excel) comes
  back as a `Formula`, so the importers can name it instead of reporting an empty cell.
- Merged cells are collected, so that a merged header can be refused instead of losing a column.

`read_sheet` drives openpyxl 3.1's own sheet parser (WorkSheetParser, and the read-only workbook's
archive and shared strings): private API, pinned by pyproject (openpyxl <4) and covered by the tests
with hostile workbooks (tests/hostile_workbooks.py).
"""

import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import FORMULA_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

DEFAULT_MAX_UPLOAD_MB = 10
DEFAULT_MAX_SHEET_MB = 200  # one sheet's XML unpacked; 200,000 rows of eight cells take about 60 MB
# Data rows per sheet. A county catalog has a few thousand items; each has about ten materials and
# six steps. A year's calendar is 365 rows; a month of clock punches of 500 staff is about 50,000.
DEFAULT_ROW_LIMITS = {
    "catalog_items": 20_000,
    "catalog_materials": 200_000,
    "catalog_steps": 120_000,
    "organisation": 20_000,
    "calendar": 4_000,
    "clock": 200_000,
    "supplies": 10_000,
    "ratings": 200_000,
}
MAX_COLUMNS = 200  # a cell further right is refused: no sheet of ours has more than 30 columns
MAX_REPORTED = 20  # formula cells named in one message

DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
MERGE_CELL_TAG = f"{{{SHEET_MAIN_NS}}}mergeCell"


class WorkbookError(ValueError):
    """A workbook (or sheet) we refuse to read; the message is Chinese and names the problem."""


@dataclass(frozen=True)
class Formula:
    """A formula cell without a stored result: data_only reading would give None (an 「empty」 cell)."""

    text: str

    def __str__(self):
        return self.text


@dataclass
class Sheet:
    name: str
    rows: list = field(default_factory=list)  # [(Excel row number, tuple of values)], data rows only
    merged: list = field(default_factory=list)  # ["A1:B1", …]

    def merged_in_row(self, number) -> list[str]:
        found = []
        for text in self.merged:
            _, min_row, _, max_row = range_boundaries(text)
            if min_row <= number <= max_row:
                found.append(text)
        return found

    def merged_header_problem(self, number=1) -> str:
        """A header row with merged cells loses every column of a merge but the first: the message, or ""."""
        merged = self.merged_in_row(number)
        if not merged:
            return ""
        return f"工作表「{self.name}」的表头(第{number}行)有合并单元格{'、'.join(merged)}:每列须有自己的列名,请取消合并后再导入。"

    def check_header(self, number=1) -> None:
        if problem := self.merged_header_problem(number):
            raise WorkbookError(problem)


FORMULA_PROBLEM = "是公式单元格,文件中没有保存它的计算结果:请填写数值或文字(或在 Excel 中打开并保存)后再导入。"


def formula_message(sheet_name, number, index, formula, headers=None) -> str:
    coordinate = f"{get_column_letter(index + 1)}{number}"
    header = headers[index] if headers and index < len(headers) and headers[index] else ""
    column = f"「{header}」列({coordinate})" if header else f"{coordinate}单元格"
    return f"工作表「{sheet_name}」第{number}行{column}的值「{formula}」{FORMULA_PROBLEM}"


# ---------------------------------------------------------------- limits


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024)


def max_sheet_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_SHEET_MB", DEFAULT_MAX_SHEET_MB) * 1024 * 1024)


def row_limit(kind: str) -> int:
    return {**DEFAULT_ROW_LIMITS, **getattr(settings, "IMPORT_MAX_ROWS", {})}[kind]


def _size(size) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def check_upload_size(upload, file_name=None) -> None:
    """Refuse a file larger than IMPORT_MAX_UPLOAD_MB, before anything reads it."""
    limit = max_upload_bytes()
    if upload.size > limit:
        name = file_name or getattr(upload, "name", "")
        raise ValidationError(
            f"文件「{name}」大小为 {_size(upload.size)},超过了导入文件的上限 {_size(limit)}。"
            "请拆分成几个文件分批导入。",
            code="too_large",
        )


# ---------------------------------------------------------------- reading


def open_workbook(source, file_name=None):
    """The workbook, read-only, with stored formula results; a Chinese WorkbookError if it is no xlsx."""
    name = f"「{file_name}」" if file_name else "所选文件"
    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, ParseError) as error:
        raise WorkbookError(
            f"{name}不是有效的 Excel 工作簿(.xlsx),无法读取。"
            "请在 Excel 中打开后「另存为」Excel 工作簿(*.xlsx)再导入。"
        ) from error


class _Parser(WorkSheetParser):
    def parse_row(self, row):
        # As openpyxl's, but keeps no row dimensions: a million formatted rows would keep a million dicts.
        number = row.get("r")
        self.row_counter = int(float(number)) if number else self.row_counter + 1
        self.col_counter = 0
        cells = []
        for cell in row:
            if len(cell):  # a value, a formula or inline text
                cells.append(self.parse_cell(cell))
            elif cell.get("r") is None:
                self.col_counter += 1  # an empty cell without its coordinate still takes its place
        return self.row_counter, cells

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = Formula(str(self.parse_formula(element)))
        return cell

    def rows_and_merges(self, merged):
        """Yield (row number, cells); append merged ranges to `merged`. Parsed rows are dropped at once."""
        parent = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if element.tag == DATA_TAG:
                    parent = element
            elif element.tag == ROW_TAG:
                yield self.parse_row(element)
                if parent is not None:
                    parent.remove(element)  # ElementTree keeps cleared children otherwise
                element.clear()
            elif element.tag == MERGE_CELL_TAG:
                merged.append(element.get("ref"))


def read_sheet(book, name, *, limit) -> Sheet:
    """The sheet's data rows (values padded to their last cell), stopping over `limit` data rows."""
    worksheet = book[name]
    sheet = Sheet(name)
    unpacked = book._archive.getinfo(worksheet._worksheet_path).file_size
    if unpacked > max_sheet_bytes():  # a small file can unpack to gigabytes of empty cells
        raise WorkbookError(
            f"工作表「{name}」解压后有 {_size(unpacked)},超过了上限 {_size(max_sheet_bytes())}"
            "(通常是大量带格式的空行或空列):请删除空行空列,或拆分成几个文件后再导入。"
        )
    source = worksheet._get_source()
    parser = _Parser(
        source,
        worksheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    try:
        for number, cells in parser.rows_and_merges(sheet.merged):
            cells = [cell for cell in cells if not _blank(cell["value"])]
            if not cells:
                continue
            width = max(cell["column"] for cell in cells)
            if width > MAX_COLUMNS:
                raise WorkbookError(
                    f"工作表「{name}」第{number}行第{get_column_letter(width)}列有内容,超出了可读取的范围"
                    f"(最多{MAX_COLUMNS}列,即到第{get_column_letter(MAX_COLUMNS)}列)。"
                )
            if len(sheet.rows) >= limit + 1:  # the header row and `limit` data rows are allowed
                raise WorkbookError(
                    f"工作表「{name}」已读到 {limit + 1:,} 行数据(到第{number}行),超过了每次导入的上限 "
                    f"{limit:,} 行,未导入任何内容。请拆分成几个文件分批导入。"
                )
            values = [None] * width
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            sheet.rows.append((number, tuple(values)))
    except ParseError as error:
        raise WorkbookError(f"工作表「{name}」的内容已损坏,无法读取。") from error
    finally:
        source.close()
    return sheet


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def sheet_dataset(sheet: Sheet) -> tablib.Dataset:
    """The sheet as a dataset for django-import-export: row 1 is the header; `dataset.excel_rows[i]`
    is the Excel row of data row i (blank rows are not in the dataset). Refuses a merged header and
    formula cells without a result."""
    sheet.check_header(1)
    rows = sheet.rows
    headers = list(rows[0][1]) if rows and rows[0][0] == 1 else []
    if headers:
        rows = rows[1:]
    while headers and headers[-1] is None:
        headers.pop()
    problems = [formula_message(sheet.name, 1, i, value) for i, value in enumerate(headers) if isinstance(value, Formula)]
    for number, values in rows:
        problems += [
            formula_message(sheet.name, number, i, value, headers)
            for i, value in enumerate(values[: len(headers)])
            if isinstance(value, Formula)
        ]
    if problems:
        more = f"\n……另有 {len(problems) - MAX_REPORTED} 处。" if len(problems) > MAX_REPORTED else ""
        raise WorkbookError("\n".join(problems[:MAX_REPORTED]) + more)
    dataset = tablib.Dataset(headers=headers or None)
    for _, values in rows:
        values = list(values[: len(headers)])
        dataset.append(values + [None] * (len(headers) - len(values)))
    dataset.excel_rows = [number for number, _ in rows]
    return dataset
