"""Hostile catalog workbooks (issue 21, points 8 and 9): refused fast, in Chinese, and nothing written."""

import io
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from registry import workbook
from registry.models import ServiceItem
from staffing.roles import CENTER_ADMIN
from tests import hostile_workbooks as hostile

pytestmark = pytest.mark.django_db

HEADER = ["事项编码", "事项名称", "事项类型", "实施主体", "办件类型"]


def plan_of(data, name="目录.xlsx"):
    started = time.monotonic()
    plan = workbook.catalog_import(io.BytesIO(data), file_name=name)
    return plan, time.monotonic() - started


def errors(plan):
    return "\n".join(str(error) for error in plan.errors)


def test_an_item_sheet_over_its_row_limit_is_refused_fast_naming_the_sheet_the_rows_and_the_limit(two_departments):
    data = hostile.many_rows({"事项": HEADER}, 30_000, lambda sheet, i: [f"B{i:05d}", f"事项{i}", "行政许可", "县市场监督管理局", "即办件"])

    plan, seconds = plan_of(data)

    assert "工作表「事项」已读到 20,001 行数据(到第20002行),超过了每次导入的上限 20,000 行,未导入任何内容" in errors(plan)
    assert ServiceItem.objects.count() == 0
    assert seconds < 15


def test_the_row_limits_are_settings(two_departments, settings):
    settings.IMPORT_MAX_ROWS = {"catalog_items": 10}
    data = hostile.many_rows({"事项": HEADER}, 11, lambda sheet, i: [f"B{i:05d}", f"事项{i}", "行政许可", "县市场监督管理局", "即办件"])

    plan, _ = plan_of(data)

    assert "工作表「事项」已读到 11 行数据(到第12行),超过了每次导入的上限 10 行" in errors(plan)


def test_one_cell_at_the_last_excel_row_is_one_row_not_a_million(two_departments):
    data = hostile.one_cell_at_the_last_row("事项", HEADER, value="B1")

    plan, seconds = plan_of(data)

    assert "工作表「事项」第1048576行,「事项名称」列,值为空" in errors(plan)
    assert len(plan.errors) == 4  # the four empty required cells of that one row
    assert ServiceItem.objects.count() == 0
    assert seconds < 5


def test_formatted_empty_rows_do_not_count_as_rows(two_departments):
    data = hostile.formatted_but_empty("事项", HEADER, rows=50_000)

    plan, seconds = plan_of(data)

    assert "工作簿是空的" in errors(plan)
    assert "超过了每次导入的上限" not in errors(plan)
    assert seconds < 15


def test_a_formula_without_a_stored_result_is_named_not_reported_as_empty(two_departments):
    data = hostile.workbook({"事项": [HEADER, ["B1", "=1+1", "行政许可", "县市场监督管理局", "即办件"]]})

    plan, _ = plan_of(data)

    assert "工作表「事项」第2行,「事项名称」列,值「=1+1」:是公式单元格,文件中没有保存它的计算结果:请填写数值或文字" in errors(plan)
    assert "不能为空" not in errors(plan)
    assert ServiceItem.objects.count() == 0


def test_a_merged_header_is_refused_naming_the_cells(two_departments):
    data = hostile.merged_header("事项", HEADER, [["B1", "事项", "行政许可", "县市场监督管理局", "即办件"]], "B1:C1")

    plan, _ = plan_of(data)

    assert "工作表「事项」的表头(第1行)有合并单元格B1:C1:每列须有自己的列名,请取消合并后再导入。" in errors(plan)
    assert ServiceItem.objects.count() == 0


def test_a_renamed_text_file_is_refused_in_chinese(two_departments):
    plan, _ = plan_of(hostile.renamed_text_file(), name="目录.xlsx")

    assert "「目录.xlsx」不是有效的 Excel 工作簿(.xlsx),无法读取" in errors(plan)


def test_the_admin_refuses_an_upload_over_the_size_limit_before_storing_it(two_departments, make_staff, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_MAX_UPLOAD_MB = 0.01  # 10 KB
    client.force_login(make_staff(two_departments[0], role=CENTER_ADMIN).user)
    data = hostile.many_rows({"事项": HEADER}, 2_000, lambda sheet, i: [f"B{i:05d}", f"事项{i}", "行政许可", "县市场监督管理局", "即办件"])
    upload = io.BytesIO(data)
    upload.name = "大目录.xlsx"

    page = client.post(reverse("admin:registry_serviceitem_catalog_import"), {"workbook": upload}).content.decode()

    assert "文件「大目录.xlsx」大小为" in page and "超过了导入文件的上限 10 KB。" in page
    assert not default_storage.exists("tmp/catalog-imports") or not default_storage.listdir("tmp/catalog-imports")[1]
    assert ServiceItem.objects.count() == 0
