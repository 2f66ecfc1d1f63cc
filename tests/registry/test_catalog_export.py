"""Exporting the item catalog: the same three-sheet workbook, and importing an export changes nothing."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from registry import workbook
from registry.models import HandlingMode, ItemCoDepartment, ItemStatus, ItemType, Material, MaterialForm, ProcedureStep, ServiceItem
from registry.services import item_refresh_disclosure

pytestmark = pytest.mark.django_db

ITEM_HEADER = [
    "事项编码", "事项名称", "子项名称", "事项类型", "实施主体", "办理窗口", "办件类型", "法定办结时限(工作日)",
    "承诺办结时限(工作日)", "设定依据", "受理条件", "是否收费", "收费标准", "收费依据", "办理流程", "办理结果", "办理地点",
    "办理时间", "联系人", "咨询电话", "监督投诉电话", "到现场次数", "是否网办", "重大事项", "联办部门", "上报机关", "状态", "办理场所",
]  # fmt: skip


@pytest.fixture
def catalog(two_departments):
    """Items entered in the admin, with the values that trip a naive round trip."""
    market, police = two_departments
    joint = ServiceItem.objects.create(
        code="001", name="企业开办", item_type=ItemType.LICENSING, department=market, window=market.windows.get(),
        handling_mode=HandlingMode.JOINT, statutory_limit_days=20, committed_limit_days=3,
        legal_basis="=《优化营商环境条例》第十九条", procedure="一窗受理\r\n并联审批\n统一出件", conditions="",
        charges_fee=True, fee_standard="免费", fee_basis="无", contact="张三", phone="8721234", visits=0, online=True,
        status=ItemStatus.ACTIVE,
    )  # fmt: skip
    ItemCoDepartment.objects.create(item=joint, department=police)
    Material.objects.create(item=joint, order=1, name="公司章程", form=MaterialForm.BOTH, copies=2, required=False, note="需签字")
    Material.objects.create(item=joint, order=2, name="身份证", form=MaterialForm.ELECTRONIC)
    ProcedureStep.objects.create(item=joint, order=1, name="受理", limit_days=1)
    ProcedureStep.objects.create(item=joint, order=2, name="审批", limit_days=2, counts_towards_limit=False)
    ServiceItem.objects.create(
        code="R-2", name="户口迁移", sub_name="省外迁入", item_type=ItemType.CONFIRMATION, department=police,
        handling_mode=HandlingMode.REPORT_UP, committed_limit_days=15, report_authority="市公安局",
    )  # fmt: skip
    for item in ServiceItem.objects.all():
        item_refresh_disclosure(item)
    return ServiceItem.objects.all()


def history_rows():
    return sum(model.history.count() for model in (ServiceItem, Material, ProcedureStep, ItemCoDepartment))


def test_importing_an_export_changes_nothing_and_writes_no_history(tmp_path, catalog):
    path = tmp_path / "export.xlsx"
    call_command("export_catalog", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    before = history_rows(), list(ServiceItem.objects.values()), list(Material.objects.values())

    plan = workbook.catalog_import(path)

    assert plan.ok, [str(error) for error in plan.errors]
    assert (len(plan.new_items), len(plan.changed_items), plan.unchanged_count) == (0, 0, 2)
    assert (history_rows(), list(ServiceItem.objects.values()), list(Material.objects.values())) == before


def test_the_export_writes_the_three_sheets_with_chinese_headers_and_labels(tmp_path, catalog):
    path = tmp_path / "export.xlsx"
    out = io.StringIO()

    call_command("export_catalog", str(path), stdout=out, stderr=io.StringIO())

    assert "已导出 2 个事项" in out.getvalue()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["事项", "申请材料", "办理环节"]
    items = list(book["事项"].values)
    assert list(items[0]) == ITEM_HEADER
    first = dict(zip(ITEM_HEADER, items[1]))
    assert (first["事项类型"], first["实施主体"], first["办理窗口"], first["办件类型"]) == ("行政许可", "县市场监督管理局", "01", "联办件")
    assert (first["是否收费"], first["联办部门"], first["状态"], first["到现场次数"]) == ("是", "县公安局", "在用", 0)
    # Text that starts with 「=」 stays text: no formula reaches the reader's Excel.
    assert book["事项"]["J2"].data_type == "s" and first["设定依据"].startswith("=")
    assert list(book["申请材料"].values)[1] == ("001", 1, "公司章程", "原件和复印件", 2, "否", None, "需签字")
    assert list(book["办理环节"].values)[2] == ("001", 2, "审批", 2, "否")


def test_the_blank_template_has_the_headers_and_drop_down_lists(tmp_path):
    path = tmp_path / "template.xlsx"

    workbook.write_blank_template(path)

    book = openpyxl.load_workbook(path)
    assert list(next(book["事项"].values)) == ITEM_HEADER
    assert list(next(book["申请材料"].values)) == ["事项编码", "序号", "材料名称", "材料形式", "份数", "是否必需", "来源渠道", "备注"]
    assert list(next(book["办理环节"].values)) == ["事项编码", "序号", "环节名称", "时限(工作日)", "是否计入法定时限"]
    lists = {dv.formula1 for dv in book["事项"].data_validations.dataValidation}
    assert '"即办件,承诺件,联办件,上报件"' in lists and '"草稿,在用,暂停"' in lists


def test_the_admin_action_exports_the_selected_items_and_the_template_downloads(admin_client, catalog):
    response = admin_client.post(
        reverse("admin:registry_serviceitem_changelist"),
        {"action": "export_catalog", "_selected_action": [catalog.get(code="R-2").pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [row[0] for row in book["事项"].values] == ["事项编码", "R-2"]
    template = admin_client.get(reverse("admin:registry_serviceitem_catalog_template"))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
