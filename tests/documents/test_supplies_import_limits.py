"""The supply catalog import shares the import limits and Chinese read errors (issue 21, points 8 and 9)."""

import io

import pytest
from django.urls import reverse

from documents.models import Supply
from tests import hostile_workbooks as hostile

pytestmark = pytest.mark.django_db

HEADER = ["名称", "规格", "单位", "最低库存", "期初数量", "期初金额"]


@pytest.fixture
def import_admin(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return admin_client


def post_import(client, data):
    upload = io.BytesIO(data)
    upload.name = "办公用品目录.xlsx"
    response = client.post(reverse("admin:documents_supply_import"), {"resource": "0", "format": "0", "import_file": upload})
    return " ".join(response.context["form"].errors.get("import_file", []))


def test_the_supply_sheet_has_its_own_row_limit(import_admin):
    data = hostile.many_rows({"用品": HEADER}, 10_001, lambda sheet, i: [f"用品{i}", "", "个", 1, None, None])

    assert "工作表「用品」已读到 10,001 行数据(到第10002行),超过了每次导入的上限 10,000 行" in post_import(import_admin, data)
    assert not Supply.objects.exists()


def test_a_renamed_text_file_is_refused_in_chinese(import_admin):
    assert "「办公用品目录.xlsx」不是有效的 Excel 工作簿(.xlsx),无法读取。" in post_import(import_admin, hostile.renamed_text_file())
