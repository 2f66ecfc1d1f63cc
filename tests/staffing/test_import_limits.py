"""Hostile organisation workbooks (issue 21, points 8 and 9), through the command and the admin's
django-import-export import: refused fast, in Chinese, naming sheet, row, column and value; nothing written."""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from staffing.models import Department, Staff
from tests import hostile_workbooks as hostile

pytestmark = pytest.mark.django_db

DEPARTMENT_HEADER = ["名称", "类型", "联系电话", "排序", "在用"]
STAFF_HEADER = ["工号", "姓名", "所属部门", "窗口", "职务", "电话"]


def command_error(data, tmp_path):
    path = tmp_path / "组织架构.xlsx"
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(CommandError) as raised:
        call_command("import_organisation", str(path), stdout=io.StringIO())
    return str(raised.value), time.monotonic() - started


def test_the_command_stops_at_a_sheet_over_its_row_limit_naming_it_the_rows_and_the_limit(tmp_path):
    data = hostile.many_rows({"工作人员": STAFF_HEADER}, 30_000, lambda sheet, i: [f"S{i:05d}", f"员工{i}", "县公安局", None, "", ""])

    message, seconds = command_error(data, tmp_path)

    assert "工作表「工作人员」已读到 20,001 行数据(到第20002行),超过了每次导入的上限 20,000 行,未导入任何内容" in message
    assert not Staff.objects.exists()
    assert seconds < 15


def test_the_command_reads_one_cell_at_the_last_excel_row_as_one_row(tmp_path):
    data = hostile.one_cell_at_the_last_row("部门", DEPARTMENT_HEADER, column=3, value="0797-1")

    message, seconds = command_error(data, tmp_path)

    assert "工作表「部门」第1048576行 名称:不能为空。" in message
    assert not Department.objects.exists()
    assert seconds < 5


def test_the_command_names_a_formula_cell_instead_of_calling_it_empty(tmp_path):
    data = hostile.workbook({"部门": [DEPARTMENT_HEADER, ["=1+1", "进驻部门", "", 1, "是"]]})

    message, _ = command_error(data, tmp_path)

    assert "工作表「部门」第2行「名称」列(A2)的值「=1+1」是公式单元格,文件中没有保存它的计算结果:请填写数值或文字" in message
    assert "不能为空" not in message
    assert not Department.objects.exists()


def test_the_command_refuses_a_merged_header_naming_the_cells(tmp_path):
    data = hostile.merged_header("部门", DEPARTMENT_HEADER, [["县公安局", "进驻部门", "", 1, "是"]], "C1:D1")

    message, _ = command_error(data, tmp_path)

    assert "工作表「部门」的表头(第1行)有合并单元格C1:D1:每列须有自己的列名,请取消合并后再导入。" in message
    assert not Department.objects.exists()


# --- the admin (django-import-export) ------------------------------------------------------------


@pytest.fixture
def import_admin(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the upload waits there between preview and confirmation
    return admin_client


def post_import(client, data, name="部门.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    started = time.monotonic()
    response = client.post(reverse("admin:staffing_department_import"), {"resource": "0", "format": "0", "import_file": upload})
    return response, time.monotonic() - started


def form_errors(response):
    return " ".join(response.context["form"].errors.get("import_file", []))


def test_a_renamed_text_file_is_refused_in_chinese_not_with_badzipfile(import_admin):
    response, _ = post_import(import_admin, hostile.renamed_text_file())

    assert "「部门.xlsx」不是有效的 Excel 工作簿(.xlsx),无法读取。" in form_errors(response)
    assert "BadZipFile" not in response.content.decode()
    assert "confirm_form" not in response.context


def test_one_cell_at_the_last_excel_row_is_a_row_error_there_not_invaliddimensions(import_admin):
    data = hostile.one_cell_at_the_last_row("部门", DEPARTMENT_HEADER, column=3, value="0797-1")

    response, seconds = post_import(import_admin, data)

    page = response.content.decode()
    assert "InvalidDimensions" not in page
    (invalid,) = response.context["result"].invalid_rows
    assert invalid.number == 1_048_576
    assert not Department.objects.exists()
    assert seconds < 5


def test_a_blank_row_keeps_the_error_on_the_excel_row(import_admin):
    data = hostile.workbook({"部门": [DEPARTMENT_HEADER, ["县公安局", "进驻部门", "", 1, "是"], [], ["", "股室", "", 2, "是"]]})

    response, _ = post_import(import_admin, data)

    (invalid,) = response.context["result"].invalid_rows
    assert invalid.number == 4


def test_the_admin_import_stops_at_the_row_limit(import_admin):
    data = hostile.many_rows({"部门": DEPARTMENT_HEADER}, 30_000, lambda sheet, i: [f"部门{i}", "进驻部门", "", i, "是"])

    response, seconds = post_import(import_admin, data)

    assert "工作表「部门」已读到 20,001 行数据(到第20002行),超过了每次导入的上限 20,000 行" in form_errors(response)
    assert not Department.objects.exists()
    assert seconds < 15


def test_the_admin_import_refuses_a_file_over_the_size_limit(import_admin, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.01
    data = hostile.many_rows({"部门": DEPARTMENT_HEADER}, 2_000, lambda sheet, i: [f"部门{i}", "进驻部门", "", i, "是"])

    response, _ = post_import(import_admin, data, name="大文件.xlsx")

    assert "文件「大文件.xlsx」大小为" in form_errors(response) and "超过了导入文件的上限 10 KB。" in form_errors(response)
    assert not Department.objects.exists()


def test_the_admin_import_names_a_formula_cell(import_admin):
    data = hostile.workbook({"部门": [DEPARTMENT_HEADER, ["县公安局", "进驻部门", "=1+1", 1, "是"]]})

    response, _ = post_import(import_admin, data)

    assert "工作表「部门」第2行「联系电话」列(C2)的值「=1+1」是公式单元格" in form_errors(response)
    assert not Department.objects.exists()


def test_the_admin_import_refuses_a_merged_header(import_admin):
    data = hostile.merged_header("部门", DEPARTMENT_HEADER, [["县公安局", "进驻部门", "", 1, "是"]], "A1:B1")

    response, _ = post_import(import_admin, data)

    assert "工作表「部门」的表头(第1行)有合并单元格A1:B1" in form_errors(response)
    assert not Department.objects.exists()


def test_a_text_file_uploaded_to_an_import_is_named_in_the_chinese_refusal(import_admin):
    response, _ = post_import(import_admin, b"name,phone\nfoo,1\n", name="部门名单.txt")

    assert "「部门名单.txt」不是有效的 Excel 工作簿(.xlsx),无法读取。" in form_errors(response)
    assert "zip" not in response.content.decode().lower().replace("gzip", "")
