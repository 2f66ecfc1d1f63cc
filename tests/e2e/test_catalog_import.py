"""Importing the item catalog workbook through the admin, as a center administrator does it in a real browser.

The workbook is written here cell by cell with openpyxl, the way a county office fills in the blank
template: sheets 事项, 申请材料 and 办理环节, with the Chinese headers of the template.
"""

import openpyxl
import pytest

from registry.models import ServiceItem
from staffing.models import Department, DepartmentKind
from staffing.roles import CENTER_ADMIN

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
DEPARTMENT = "县市场监督管理局"
FILE_NAME = "市场监管局事项目录.xlsx"

# The template's headers (registry/workbook.py: the models' verbose names), in the template's order.
ITEM_HEADERS = [
    "事项编码", "事项名称", "子项名称", "事项类型", "实施主体", "办理窗口", "办件类型",
    "法定办结时限(工作日)", "承诺办结时限(工作日)", "设定依据", "受理条件", "是否收费", "收费标准",
    "收费依据", "办理流程", "办理结果", "办理地点", "办理时间", "联系人", "咨询电话", "监督投诉电话",
    "到现场次数", "是否网办", "重大事项", "联办部门", "上报机关", "状态",
]  # fmt: skip
MATERIAL_HEADERS = ["事项编码", "序号", "材料名称", "材料形式", "份数", "是否必需", "来源渠道", "备注"]
STEP_HEADERS = ["事项编码", "序号", "环节名称", "时限(工作日)", "是否计入法定时限"]

COMMON = {
    "实施主体": DEPARTMENT,
    "受理条件": "申请人具备法定条件",
    "是否收费": "否",
    "办理地点": "县行政服务中心一楼",
    "办理时间": "工作日 9:00-17:00",
    "联系人": "李春梅",
    "咨询电话": "0797-8721111",
    "监督投诉电话": "0797-8722345",
    "到现场次数": 1,
    "是否网办": "是",
    "重大事项": "否",
}
ITEMS = [
    {
        **COMMON,
        "事项编码": "E2E-001",
        "事项名称": "食品经营许可",
        "子项名称": "新办",
        "事项类型": "行政许可",
        "办件类型": "承诺件",
        "法定办结时限(工作日)": 20,
        "承诺办结时限(工作日)": 10,
        "设定依据": "《中华人民共和国食品安全法》第三十五条",
        "办理流程": "受理→现场核查→决定",
        "办理结果": "食品经营许可证",
        "状态": "在用",
    },
    {
        **COMMON,
        "事项编码": "E2E-002",
        "事项名称": "个体工商户名称变更登记",
        "事项类型": "行政确认",
        "办件类型": "即办件",
        "承诺办结时限(工作日)": 0,
        "设定依据": "《促进个体工商户发展条例》",
        "办理流程": "当场办结",
        "办理结果": "营业执照",
        "状态": "在用",
    },
    {
        **COMMON,
        "事项编码": "E2E-003",
        "事项名称": "药品零售企业经营许可",
        "事项类型": "行政许可",
        "办件类型": "承诺件",
        "法定办结时限(工作日)": 30,
        "承诺办结时限(工作日)": 15,
        "设定依据": "《中华人民共和国药品管理法》第五十二条",
        "办理流程": "受理→审查→现场检查→决定",
        "办理结果": "药品经营许可证",
        "状态": "草稿",
    },
]
MATERIALS = [
    ["E2E-001", 1, "食品经营许可申请书", "原件", 1, "是", "申请人自备", None],
    ["E2E-001", 2, "营业执照复印件", "复印件", 1, "是", "市场监管部门", None],
    ["E2E-002", 1, "变更登记申请书", "原件", 1, "是", "申请人自备", None],
    ["E2E-003", 1, "药品经营许可申请表", "原件", 1, "是", "申请人自备", None],
    ["E2E-003", 2, "质量管理文件", "原件和复印件", 1, "否", "申请人自备", "可后补"],
]
STEPS = [
    ["E2E-001", 1, "受理", 1, "是"],
    ["E2E-001", 2, "现场核查", 5, "是"],
    ["E2E-001", 3, "决定", 4, "是"],
    ["E2E-002", 1, "受理并办结", 0, "是"],
    ["E2E-003", 1, "受理", 1, "是"],
    ["E2E-003", 2, "审查", 10, "是"],
]


def write_workbook(path):
    book = openpyxl.Workbook()
    items = book.active
    items.title = "事项"
    items.append(ITEM_HEADERS)
    for item in ITEMS:
        items.append([item.get(header) for header in ITEM_HEADERS])
    materials = book.create_sheet("申请材料")
    materials.append(MATERIAL_HEADERS)
    for row in MATERIALS:
        materials.append(row)
    steps = book.create_sheet("办理环节")
    steps.append(STEP_HEADERS)
    for row in STEPS:
        steps.append(row)
    book.save(path)
    return path


def table_cells(table):
    """A table of one header row and one value row as {header: value}."""
    headers = [text.strip() for text in table.locator("th").all_inner_texts()]
    values = [text.strip() for text in table.locator("td").all_inner_texts()]
    return dict(zip(headers, values))


@pytest.mark.django_db(transaction=True)
def test_a_center_admin_imports_a_small_workbook_previews_it_confirms_and_sees_the_items(
    live_server, page, make_staff, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the upload waits there between preview and confirm
    market = Department.objects.create(name=DEPARTMENT, kind=DepartmentKind.STATIONED)
    office = Department.objects.create(name="县行政服务中心办公室", kind=DepartmentKind.STATIONED)
    admin_staff = make_staff(office, role=CENTER_ADMIN, name="王主任")
    workbook = write_workbook(tmp_path / FILE_NAME)

    admin_login(page, live_server, admin_staff.user.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/registry/serviceitem/")
    assert "政务服务事项" in page.locator("#content h1").inner_text()

    page.get_by_role("link", name="导入事项目录").click()
    page.wait_for_url("**/admin/registry/serviceitem/import/")
    page.get_by_label("Excel 工作簿").set_input_files(str(workbook))
    page.get_by_role("button", name="上传并预览").click()

    # The preview: counts first, then the new items; nothing is written yet.
    counts = page.locator("#catalog-counts")
    counts.wait_for()
    assert "预览" in page.locator("#content h1").inner_text(), page.locator("#content").inner_text()
    assert page.locator("#catalog-errors").count() == 0, page.locator("#catalog-errors").inner_text()
    assert table_cells(counts) == {"新增": "3", "更新": "0", "未变": "0", "错误": "0"}
    assert f"文件:{FILE_NAME}" in page.locator("#content-main").inner_text()
    assert page.get_by_role("heading", name="新增的事项(3 个)").is_visible()
    new_items = page.locator("#catalog-new-items")
    for item in ITEMS:
        row = new_items.locator("tr", has_text=item["事项编码"])
        assert row.count() == 1, new_items.inner_text()
        assert item["事项名称"] in row.inner_text() and DEPARTMENT in row.inner_text()
        assert item["办件类型"] in row.inner_text()
    assert not ServiceItem.objects.exists()
    screenshot("catalog-import-preview")

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/admin/registry/serviceitem/")

    success = page.locator(".messagelist .success")
    assert f"已导入「{FILE_NAME}」" in success.inner_text()
    assert "新增 3 个" in success.inner_text()
    results = page.locator("#result_list")
    results.wait_for()
    assert results.locator("tbody tr").count() == 3, results.inner_text()
    for item in ITEMS:
        row = results.locator("tbody tr", has_text=item["事项编码"])
        assert row.count() == 1, results.inner_text()
        text = row.inner_text()
        assert item["事项名称"] in text and DEPARTMENT in text, text

    # What the list shows is what was stored: the children came with their items.
    stored = {item.code: item for item in ServiceItem.objects.prefetch_related("materials", "steps")}
    assert sorted(stored) == ["E2E-001", "E2E-002", "E2E-003"]
    assert [m.name for m in stored["E2E-001"].materials.all()] == ["食品经营许可申请书", "营业执照复印件"]
    assert [s.name for s in stored["E2E-001"].steps.all()] == ["受理", "现场核查", "决定"]
    assert stored["E2E-001"].department == market and stored["E2E-001"].status == "active"
    assert stored["E2E-003"].status == "draft"
    assert stored["E2E-001"].history.first().history_change_reason == f"Excel导入 {FILE_NAME}"
