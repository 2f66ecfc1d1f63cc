"""The calendar's admin import shares the import limits and Chinese read errors (issue 21, point 8)."""

import io

import pytest
from django.urls import reverse

from staffing.models import CalendarDay
from tests import hostile_workbooks as hostile

pytestmark = pytest.mark.django_db

HEADER = ["日期", "类型", "节日名称", "备注"]


def post_import(client, data, name="2027年日历.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("admin:staffing_calendarday_import"), {"resource": "0", "format": "0", "import_file": upload})
    return " ".join(response.context["form"].errors.get("import_file", []))


@pytest.fixture
def import_admin(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return admin_client


def test_a_calendar_sheet_over_its_row_limit_is_refused(import_admin):
    data = hostile.many_rows({"日历": HEADER}, 4_001, lambda sheet, i: [f"2027-01-{i % 28 + 1:02d}", "法定节假日", "", ""])

    assert "工作表「日历」已读到 4,001 行数据(到第4002行),超过了每次导入的上限 4,000 行" in post_import(import_admin, data)
    assert not CalendarDay.objects.exists()


def test_a_calendar_file_over_the_size_limit_is_refused(import_admin, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.001

    errors = post_import(import_admin, hostile.workbook({"日历": [HEADER, ["2027-01-01", "法定节假日", "元旦", ""]]}))

    assert "超过了导入文件的上限 1 KB" in errors
    assert not CalendarDay.objects.exists()


def test_a_renamed_text_file_is_refused_in_chinese(import_admin):
    assert "「2027年日历.xlsx」不是有效的 Excel 工作簿(.xlsx),无法读取。" in post_import(import_admin, hostile.renamed_text_file())
