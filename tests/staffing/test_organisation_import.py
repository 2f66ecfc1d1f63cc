"""Importing the organisation (部门, 窗口, 工作人员) from an Excel workbook: all or nothing, errors in Chinese."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.core.management import CommandError, call_command

from staffing.import_widgets import ChoiceLabelWidget, StrictDateWidget, YesNoWidget
from staffing.models import DayKind, Department, DepartmentKind, LeaderRole, Staff, Window
from staffing.resources import DepartmentResource, StaffResource

pytestmark = pytest.mark.django_db

DEPARTMENTS = [
    ["名称", "类型", "联系电话", "排序", "在用"],
    ["县市场监督管理局", "进驻部门", "0797-8721234", 1, "是"],
    ["县公安局", "进驻部门", "", 2, "是"],
    ["综合股", "股室", None, 10, "否"],
]
WINDOWS = [
    ["窗口号", "窗口名称", "所属部门", "位置", "在用"],
    ["01", "市场主体登记", "县市场监督管理局", "一楼大厅东侧", "是"],
    ["02", "户籍办理", "县公安局", "一楼大厅西侧", "是"],
]
STAFF = [
    ["工号", "姓名", "所属部门", "窗口", "职务", "电话", "领导职务", "在岗"],
    ["S001", "张三", "县市场监督管理局", "01", "科员", 13800000001, "", "是"],
    ["S002", "李四", "县公安局", "02", "窗口负责人", "13800000002", None, "是"],
    ["S003", "王五", "综合股", None, "主任", "", "分管领导", "是"],
]


def workbook(path, **sheets):
    """Write an xlsx with one sheet per keyword (sheet name → rows) and return its path."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return str(path)


def organisation_workbook(tmp_path, departments=DEPARTMENTS, windows=WINDOWS, staff=STAFF, name="organisation.xlsx"):
    return workbook(tmp_path / name, **{"部门": departments, "窗口": windows, "工作人员": staff})


def import_organisation(path, user=None):
    out = io.StringIO()
    args = [path] + (["--user", user.username] if user else [])
    call_command("import_organisation", *args, stdout=out)
    return out.getvalue()


def history_count():
    return sum(model.history.count() for model in (Department, Window, Staff))


def organisation_snapshot():
    return (
        list(Department.objects.values_list("name", "kind", "phone", "sort_order", "is_active")),
        list(Window.objects.values_list("number", "department__name", "is_active")),
        list(Staff.objects.values_list("badge_no", "department__name", "window__number", "leader_role")),
    )


def import_error(path):
    with pytest.raises(CommandError) as raised:
        import_organisation(path)
    return str(raised.value)


def test_a_good_workbook_imports_departments_windows_and_staff_with_the_importing_user_in_history(
    tmp_path, admin_user
):
    output = import_organisation(organisation_workbook(tmp_path), user=admin_user)

    assert "工作表「部门」:新增 3 行,更新 0 行,跳过 0 行。" in output
    assert "工作表「工作人员」:新增 3 行" in output
    section = Department.objects.get(name="综合股")
    assert (section.kind, section.sort_order, section.is_active) == (DepartmentKind.SECTION, 10, False)
    assert Window.objects.get(number="02").department.name == "县公安局"
    zhang = Staff.objects.get(badge_no="S001")
    assert (zhang.window.number, zhang.phone, zhang.leader_role) == ("01", "13800000001", LeaderRole.NONE)
    assert Staff.objects.get(badge_no="S003").leader_role == LeaderRole.IN_CHARGE

    histories = [*Department.history.all(), *Window.history.all(), *Staff.history.all()]
    assert len(histories) == 8
    assert {(h.history_type, h.history_user_id, h.history_change_reason) for h in histories} == {
        ("+", admin_user.pk, "Excel导入")
    }


def test_staff_import_creates_a_login_per_new_badge_number(tmp_path, django_user_model):
    import_organisation(organisation_workbook(tmp_path))

    zhang = Staff.objects.select_related("user").get(badge_no="S001")
    assert zhang.user.username == "s001"
    assert zhang.user.is_staff and not zhang.user.has_usable_password()  # an administrator sets the first password
    assert django_user_model.objects.filter(staff__isnull=False).count() == 3


def test_reimporting_the_same_workbook_changes_nothing_and_writes_no_history(tmp_path, admin_user):
    path = organisation_workbook(tmp_path)
    import_organisation(path, user=admin_user)
    before, histories = organisation_snapshot(), history_count()

    output = import_organisation(path, user=admin_user)

    assert "工作表「部门」:新增 0 行,更新 0 行,跳过 3 行。" in output
    assert "工作表「工作人员」:新增 0 行,更新 0 行,跳过 3 行。" in output
    assert organisation_snapshot() == before
    assert history_count() == histories


def test_a_changed_row_updates_only_that_record(tmp_path, admin_user):
    import_organisation(organisation_workbook(tmp_path), user=admin_user)
    windows = [WINDOWS[0], WINDOWS[1], ["02", "户籍办理", "县公安局", "二楼", "否"]]

    output = import_organisation(organisation_workbook(tmp_path, windows=windows, name="changed.xlsx"), user=admin_user)

    assert "工作表「窗口」:新增 0 行,更新 1 行,跳过 1 行。" in output
    window = Window.objects.get(number="02")
    assert (window.location, window.is_active) == ("二楼", False)
    assert [(h.history_type, h.history_user_id) for h in window.history.all()] == [("~", admin_user.pk), ("+", admin_user.pk)]


def test_an_unknown_department_is_named_with_sheet_row_column_and_value_and_nothing_is_saved(tmp_path):
    windows = [*WINDOWS, ["03", "不动产登记", "县不存在局", "", "是"]]

    message = import_error(organisation_workbook(tmp_path, windows=windows))

    assert "工作表「窗口」第4行 所属部门:找不到名称为「县不存在局」的部门" in message
    assert (Department.objects.count(), Window.objects.count(), Staff.objects.count()) == (0, 0, 0)
    assert history_count() == 0


def test_every_bad_row_of_every_sheet_is_reported_at_once(tmp_path, django_user_model):
    departments = [*DEPARTMENTS, ["县税务局", "进驻部门", "", "二十", "Y"]]
    staff = [*STAFF, ["S004", "赵六", "县公安局", "01", "", "", "", "是"]]

    message = import_error(organisation_workbook(tmp_path, departments=departments, staff=staff))

    assert "工作表「部门」第5行 在用:「Y」无效,只能填写「是」或「否」。" in message
    assert "工作表「部门」第5行 排序:「二十」不是整数" in message
    # A window of another department: Staff.clean's message names the window and both departments.
    assert "工作表「工作人员」第5行 窗口:窗口「01号窗口 市场主体登记」属于「县市场监督管理局」,与所属部门「县公安局」不一致。" in message
    assert "共 3 处错误" in message
    assert (Department.objects.count(), Window.objects.count(), Staff.objects.count()) == (0, 0, 0)
    assert not django_user_model.objects.exists()


def test_an_existing_database_is_left_exactly_as_it_was_when_a_row_fails(tmp_path, admin_user):
    import_organisation(organisation_workbook(tmp_path), user=admin_user)
    before, histories = organisation_snapshot(), history_count()
    departments = [DEPARTMENTS[0], ["县市场监督管理局", "进驻部门", "0797-0000000", 1, "是"], ["县医保局", "科室", "", 3, "是"]]

    message = import_error(organisation_workbook(tmp_path, departments=departments, name="bad.xlsx"))

    assert "工作表「部门」第3行 类型:「科室」无效,只能填写「进驻部门」、「股室」。" in message
    assert organisation_snapshot() == before
    assert history_count() == histories


def test_empty_required_cells_and_a_missing_key_column_are_reported_in_chinese(tmp_path):
    staff = [STAFF[0], ["S009", "", "县公安局", "", "", "", "", ""]]
    message = import_error(organisation_workbook(tmp_path, staff=staff))
    assert "工作表「工作人员」第2行 姓名:不能为空。" in message

    message = import_error(workbook(tmp_path / "nokey.xlsx", 部门=[["类型", "在用"], ["股室", "是"]]))
    assert "工作表「部门」:缺少「名称」列" in message


def test_blank_rows_are_skipped_and_missing_sheets_are_reported(tmp_path):
    departments = [DEPARTMENTS[0], DEPARTMENTS[1], [None] * 5, DEPARTMENTS[2]]

    output = import_organisation(workbook(tmp_path / "blank.xlsx", 部门=departments))

    assert Department.objects.count() == 2
    assert "工作表「窗口」不存在,未导入。" in output


def test_an_unknown_user_or_unreadable_file_stops_the_command(tmp_path):
    with pytest.raises(CommandError, match="找不到用户名为「ghost」的用户"):
        call_command("import_organisation", organisation_workbook(tmp_path), "--user", "ghost")
    (tmp_path / "not.xlsx").write_text("not a workbook")
    with pytest.raises(CommandError, match="无法读取工作簿"):
        call_command("import_organisation", str(tmp_path / "not.xlsx"))


def test_the_resources_export_chinese_columns_and_labels(two_departments, make_staff):
    market, _ = two_departments
    make_staff(market, window=market.windows.get(), leader_role=LeaderRole.MAIN, name="张三")

    departments = DepartmentResource().export()
    staff = StaffResource().export()

    assert departments.headers == ["名称", "部门编码", "类型", "联系电话", "排序", "在用"]
    assert ["县市场监督管理局", "", "进驻部门", "", 0, "是"] in [list(row) for row in departments]
    assert list(staff[0]) == ["T0001", "张三", "县市场监督管理局", "01", "", "", "主要领导", "是"]


def test_an_exported_workbook_imports_back_as_unchanged(two_departments):
    dataset = DepartmentResource().export()
    result = DepartmentResource().import_data(tablib.Dataset().load(dataset.export("xlsx"), format="xlsx"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2


@pytest.mark.parametrize(
    "widget, value, expected",
    [
        (YesNoWidget(), "是", True),
        (YesNoWidget(), " 否 ", False),
        (YesNoWidget(default=True), None, True),
        (ChoiceLabelWidget(DayKind.choices), "法定节假日", DayKind.HOLIDAY),
        (ChoiceLabelWidget(LeaderRole.choices, default=""), "", ""),
        (StrictDateWidget(), "2027/9/26", datetime.date(2027, 9, 26)),
        (StrictDateWidget(), "2027年10月1日", datetime.date(2027, 10, 1)),
    ],
)
def test_the_strict_widgets_accept_what_an_office_types(widget, value, expected):
    assert widget.clean(value) == expected


@pytest.mark.parametrize(
    "widget, value, message",
    [
        (YesNoWidget(), "Y", "「Y」无效,只能填写「是」或「否」。"),
        (YesNoWidget(), True, "「True」无效"),
        (YesNoWidget(), "", "不能为空。"),
        (ChoiceLabelWidget(DayKind.choices), "holiday", "只能填写「法定节假日」、「调休上班日」"),
        (StrictDateWidget(), "2027-13-01", "日期「2027-13-01」无效"),
        (StrictDateWidget(), "2027.10.01", "「2027.10.01」不是有效的日期"),
        (StrictDateWidget(), 46661, "「46661」不是有效的日期"),
    ],
)
def test_the_strict_widgets_reject_anything_else_naming_the_value(widget, value, message):
    with pytest.raises(ValueError, match=message):
        widget.clean(value)


def test_department_codes_are_optional_and_unique_when_given(db):
    dataset = tablib.Dataset(headers=["名称", "部门编码", "类型"])
    dataset.append(["县医疗保障局", "", "进驻部门"])
    dataset.append(["县民政局", "", "进驻部门"])
    dataset.append(["县税务局", "11360723MB1234567", "进驻部门"])
    result = DepartmentResource().import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Department.objects.filter(code__isnull=True).count() == 2
    assert Department.objects.get(code="11360723MB1234567").name == "县税务局"
