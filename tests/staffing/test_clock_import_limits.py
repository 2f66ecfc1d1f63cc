"""The clock (attendance punch) import against hostile files (issue 21, points 8 and 9)."""

import datetime
import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from staffing.attendance_import import read_punch_file
from staffing.models import ClockPunch
from staffing.roles import OFFICE_STAFF
from tests import hostile_workbooks as hostile

HEADER = ["工号", "打卡时间"]


def read(data, name="考勤机导出.xlsx"):
    started = time.monotonic()
    parsed = read_punch_file(io.BytesIO(data), name)
    return parsed, time.monotonic() - started


def test_a_clock_sheet_over_its_row_limit_is_refused_naming_the_rows_and_the_limit(settings):
    settings.IMPORT_MAX_ROWS = {"clock": 1_000}
    data = hostile.many_rows({"打卡记录": HEADER}, 1_500, lambda sheet, i: ["1001", "2026-11-26 07:58"])

    parsed, _ = read(data)

    assert parsed.errors == [
        "工作表「打卡记录」已读到 1,001 行数据(到第1002行),超过了每次导入的上限 1,000 行,未导入任何内容。请拆分成几个文件分批导入。"
    ]
    assert parsed.rows == []


def test_a_csv_over_the_row_limit_is_refused_too(settings):
    settings.IMPORT_MAX_ROWS = {"clock": 10}
    text = "工号,打卡时间\n" + "1001,2026-11-26 07:58\n" * 11

    parsed, _ = read(text.encode(), name="clock.csv")

    assert parsed.errors == ["文件已读到 11 行数据(到第12行),超过了每次导入的上限 10 行,未导入任何内容。请拆分成几个文件分批导入。"]


def test_thirty_thousand_punches_are_read_within_the_default_limit_in_a_few_seconds():
    start = datetime.datetime(2026, 11, 2, 7, 0)
    data = hostile.many_rows({"打卡记录": HEADER}, 30_000, lambda sheet, i: [str(1000 + i % 300), start + datetime.timedelta(minutes=i)])

    parsed, seconds = read(data)

    assert parsed.ok and len(parsed.rows) == 30_000
    assert seconds < 15


def test_one_cell_at_the_last_excel_row_is_one_row_not_a_million():
    parsed, seconds = read(hostile.one_cell_at_the_last_row("打卡记录", HEADER, value="1001"))

    assert parsed.errors == ["第1048576行「打卡时间」列为空。"]
    assert seconds < 5


def test_formatted_empty_rows_are_not_rows():
    parsed, seconds = read(hostile.formatted_but_empty("打卡记录", HEADER, rows=50_000))

    assert parsed.ok and parsed.rows == []
    assert seconds < 15


def test_a_formula_cell_is_named_with_its_row_column_and_formula():
    parsed, _ = read(hostile.workbook({"打卡记录": [HEADER, ["=1000+1", "2026-11-26 07:58"]]}))

    assert parsed.errors == [
        "工作表「打卡记录」第2行「工号」列(A2)的值「=1000+1」是公式单元格,文件中没有保存它的计算结果:"
        "请填写数值或文字(或在 Excel 中打开并保存)后再导入。"
    ]


def test_a_merged_header_is_refused_but_a_merged_title_row_above_it_is_not():
    rows = [["1001", "2026-11-26 07:58"]]
    merged_header = hostile.merged_header("打卡记录", HEADER, rows, "A1:B1")

    parsed, _ = read(merged_header)
    assert parsed.errors == ["工作表「打卡记录」的表头(第1行)有合并单元格A1:B1:每列须有自己的列名,请取消合并后再导入。"]

    book = openpyxl.Workbook()
    book.active.append(["考勤记录导出"])
    book.active.merge_cells("A1:B1")
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    parsed, _ = read(buffer.getvalue())
    assert parsed.ok and len(parsed.rows) == 1


def test_a_renamed_text_file_is_refused_in_chinese():
    parsed, _ = read(hostile.renamed_text_file(), name="考勤.xlsx")

    assert parsed.errors[0].startswith("「考勤.xlsx」不是有效的 Excel 工作簿(.xlsx),无法读取。")


@pytest.mark.django_db
def test_the_admin_form_refuses_a_file_over_the_size_limit(client, two_departments, make_staff, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.01
    client.force_login(make_staff(two_departments[0], role=OFFICE_STAFF).user)
    upload = SimpleUploadedFile("clock.csv", b"\xe5\xb7\xa5\xe5\x8f\xb7,x\n" + b"1001,2026-11-26 07:58\n" * 1_000)

    html = client.post("/admin/staffing/clockpunch/import/", {"file": upload}).content.decode()

    assert "文件「clock.csv」大小为 21 KB,超过了导入文件的上限 10 KB。请拆分成几个文件分批导入。" in html
    assert not ClockPunch.objects.exists()
