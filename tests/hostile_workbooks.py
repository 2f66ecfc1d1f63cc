"""Workbooks that once exhausted a worker or confused an importer (issue 21), built fast in memory."""

import io
import re
import zipfile

import openpyxl

EXCEL_LAST_ROW = 1_048_576


def many_rows(sheets: dict, count: int, make_row) -> bytes:
    """Every sheet of `sheets` (name → header) gets `count` data rows make_row(sheet name, i); write-only."""
    book = openpyxl.Workbook(write_only=True)
    for name, header in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for i in range(count):
            sheet.append(make_row(name, i))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(sheets: dict) -> bytes:
    """A small workbook: sheet name → list of rows (the header first). Formulas stay formulas."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def one_cell_at_the_last_row(sheet: str, header: list, column: int = 1, value="x") -> bytes:
    """The header, and one cell at row 1,048,576: the dimension says A1:…1048576."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    ws.cell(row=EXCEL_LAST_ROW, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def formatted_but_empty(sheet: str, header: list, rows: int = 200_000, columns: int = 6) -> bytes:
    """The header, then `rows` formatted rows whose cells hold no value; the dimension claims A1:F1048576."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    buffer = io.BytesIO()
    book.save(buffer)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:columns]
    empty_rows = "".join(
        f'<row r="{n}" s="1" customFormat="1">' + "".join(f'<c r="{c}{n}" s="1"/>' for c in letters) + "</row>"
        for n in range(2, rows + 2)
    )
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{letters[-1]}{EXCEL_LAST_ROW}"/>', text)
                text = text.replace("</sheetData>", empty_rows + "</sheetData>")
                data = text.encode()
            target.writestr(info, data)
    return target_buffer.getvalue()


def merged_header(sheet: str, header: list, rows: list, merge: str) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def renamed_text_file() -> bytes:
    return "这不是 Excel 文件,只是改了扩展名的文本。\n".encode()
