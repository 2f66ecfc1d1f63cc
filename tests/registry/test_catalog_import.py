"""Importing the item catalog workbook (事项, 申请材料, 办理环节): all or nothing, errors in Chinese, history."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from registry import workbook
from registry.models import HandlingMode, ItemCoDepartment, ItemStatus, Material, ProcedureStep, ServiceItem
from staffing.models import Department, DepartmentKind
from staffing.roles import CENTER_ADMIN, WINDOW_STAFF

pytestmark = pytest.mark.django_db

MATERIAL_HEADER = ["事项编码", "序号", "材料名称", "材料形式", "份数", "是否必需", "来源渠道", "备注"]
STEP_HEADER = ["事项编码", "序号", "环节名称", "时限(工作日)", "是否计入法定时限"]


def item(code, changes=None):
    """A valid, complete 承诺件 of the market regulator (window 01), keyed by the Chinese headers."""
    row = {
        "事项编码": code, "事项名称": f"食品经营许可{code}", "子项名称": "", "事项类型": "行政许可",
        "实施主体": "县市场监督管理局", "办理窗口": "01", "办件类型": "承诺件",
        "法定办结时限(工作日)": 20, "承诺办结时限(工作日)": 10, "设定依据": "《中华人民共和国食品安全法》第三十五条",
        "受理条件": "有与经营的食品品种相适应的场所。", "是否收费": "否", "收费标准": "", "收费依据": "",
        "办理流程": "受理—审核—决定—送达", "办理结果": "食品经营许可证", "办理地点": "中心一楼大厅",
        "办理时间": "工作日 8:00-12:00", "联系人": "张三", "咨询电话": "0797-8721234", "监督投诉电话": "",
        "到现场次数": 1, "是否网办": "是", "重大事项": "否", "联办部门": "", "上报机关": "", "状态": "在用",
    }  # fmt: skip
    row.update(changes or {})
    return row


def materials(code, names=("营业执照", "法定代表人身份证明")):
    return [[code, order, name, "原件", 1, "是", "申请人自备", ""] for order, name in enumerate(names, start=1)]


def steps(code, days=(0, 5)):
    return [[code, order, name, limit, "是"] for order, (name, limit) in enumerate(zip(("受理", "审核", "决定"), days), start=1)]


def write_workbook(path, items=(), material_rows=(), step_rows=(), *, item_header=None, sheets=None):
    """An xlsx with the three sheets (or `sheets`: name → rows); returns its path as text."""
    if sheets is None:
        header = item_header or (list(items[0]) if items else list(item("X")))
        sheets = {
            "事项": [header] + [[row.get(column) for column in header] for row in items],
            "申请材料": [MATERIAL_HEADER, *material_rows],
            "办理环节": [STEP_HEADER, *step_rows],
        }
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return str(path)


def two_items(tmp_path, name="catalog.xlsx", first=None, second_materials=("身份证",)):
    return write_workbook(
        tmp_path / name,
        [item("A001", first), item("A002")],
        materials("A001") + materials("A002", second_materials),
        steps("A001") + steps("A002"),
    )


def run_import(path, *options):
    out = io.StringIO()
    call_command("import_catalog", path, *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_errors(path, *options):
    with pytest.raises(CommandError) as raised:
        run_import(path, *options)
    return str(raised.value)


def history_count():
    return sum(model.history.count() for model in (ServiceItem, Material, ProcedureStep, ItemCoDepartment, Department))


def catalog_snapshot():
    return (
        list(ServiceItem.objects.order_by("code").values()),
        list(Material.objects.order_by("pk").values()),
        list(ProcedureStep.objects.order_by("pk").values()),
        list(ItemCoDepartment.objects.order_by("pk").values()),
        list(Department.objects.order_by("pk").values()),
        history_count(),
    )


# ------------------------------------------------------------------ a good workbook


def test_a_good_workbook_creates_items_with_materials_steps_and_history_by_the_importing_user(
    tmp_path, two_departments, admin_user
):
    output = run_import(two_items(tmp_path), "--user", admin_user.username)

    assert "导入完成:新增 2 个,更新 0 个,未变 0 个,错误 0 处。" in output
    first = ServiceItem.objects.get(code="A001")
    assert (first.handling_mode, first.committed_limit_days, first.status) == (HandlingMode.COMMITTED, 10, ItemStatus.ACTIVE)
    assert first.window.number == "01" and first.online is True and first.is_major is False
    assert list(first.materials.values_list("order", "name")) == [(1, "营业执照"), (2, "法定代表人身份证明")]
    assert list(first.steps.values_list("name", "limit_days")) == [("受理", 0), ("审核", 5)]
    assert first.disclosure_complete and first.disclosure_missing == ""
    for model in (ServiceItem, Material, ProcedureStep):
        records = model.history.all()
        assert records.count() == model.objects.count()
        assert {(r.history_user_id, r.history_change_reason, r.history_type) for r in records} == {
            (admin_user.pk, "Excel导入 catalog.xlsx", "+")
        }


def test_reimporting_the_same_workbook_changes_nothing_and_writes_no_history(tmp_path, two_departments):
    path = two_items(tmp_path)
    run_import(path)
    before = catalog_snapshot()

    output = run_import(path)

    assert "新增 0 个,更新 0 个,未变 2 个,错误 0 处" in output
    assert catalog_snapshot() == before


def test_a_changed_row_updates_the_item_and_replaces_its_materials_and_steps_with_history(
    tmp_path, two_departments, admin_user
):
    run_import(two_items(tmp_path))
    old_materials = set(Material.objects.filter(item__code="A001").values_list("pk", flat=True))
    changed = write_workbook(
        tmp_path / "v2.xlsx",
        [item("A001", {"承诺办结时限(工作日)": 8}), item("A002")],
        materials("A001", ["营业执照副本"]) + materials("A002", ["身份证"]),
        steps("A001", (1, 3, 2)) + steps("A002"),
    )

    plan = workbook.catalog_plan(changed)
    assert [p.item.code for p in plan.changed_items] == ["A001"]
    assert ("承诺办结时限(工作日)", "10", "8") in plan.changed_items[0].changes
    assert ("申请材料", "2项", "1项:删去「营业执照」「法定代表人身份证明」;新增「营业执照副本」") in plan.changed_items[0].changes
    output = run_import(changed, "--user", admin_user.username)

    assert "新增 0 个,更新 1 个,未变 1 个" in output
    item_a = ServiceItem.objects.get(code="A001")
    assert item_a.committed_limit_days == 8
    assert list(item_a.materials.values_list("name", flat=True)) == ["营业执照副本"]
    assert list(item_a.steps.values_list("name", "limit_days")) == [("受理", 1), ("审核", 3), ("决定", 2)]
    reason = "Excel导入 v2.xlsx"
    assert item_a.history.first().history_change_reason == reason
    assert item_a.history.first().history_user == admin_user
    deleted = Material.history.filter(history_type="-")
    assert set(deleted.values_list("id", flat=True)) == old_materials
    assert {(h.history_user_id, h.history_change_reason) for h in deleted} == {(admin_user.pk, reason)}
    assert not ServiceItem.history.filter(code="A002", history_change_reason=reason).exists()
    assert not Material.history.filter(item_id=ServiceItem.objects.get(code="A002").pk, history_change_reason=reason).exists()


def test_an_item_whose_only_change_is_a_material_counts_as_changed_and_gets_a_history_row(tmp_path, two_departments):
    run_import(two_items(tmp_path))

    output = run_import(two_items(tmp_path, name="v2.xlsx", second_materials=("身份证", "户口簿")))

    assert "新增 0 个,更新 1 个,未变 1 个" in output
    assert ServiceItem.objects.get(code="A002").history.count() == 2
    assert ServiceItem.objects.get(code="A001").history.count() == 1


def test_material_rows_of_an_item_that_is_only_in_the_database_replace_that_items_materials(tmp_path, two_departments):
    run_import(two_items(tmp_path))
    only_materials = write_workbook(tmp_path / "m.xlsx", [], materials("A002", ["居民身份证"]), [])

    output = run_import(only_materials)

    assert "更新 1 个,未变 0 个" in output
    assert list(Material.objects.filter(item__code="A002").values_list("name", flat=True)) == ["居民身份证"]
    assert Material.objects.filter(item__code="A001").count() == 2
    assert ProcedureStep.objects.filter(item__code="A002").count() == 2  # 办理环节 names no A002: kept


def test_departments_match_by_trimmed_name_or_by_code_and_co_departments_by_either(tmp_path, two_departments):
    market, police = two_departments
    police.code = "11360723MB1234567X"
    police.save()
    row = item("J001", {"实施主体": "  县市场监督管理局 ", "办件类型": "联办件", "联办部门": "11360723MB1234567X"})

    run_import(write_workbook(tmp_path / "c.xlsx", [row], materials("J001"), steps("J001")))

    joint = ServiceItem.objects.get(code="J001")
    assert joint.department == market
    assert list(joint.co_departments.all()) == [police]


def test_the_disclosure_flags_are_computed_on_import(tmp_path, two_departments):
    draft = item("D001", {"状态": "草稿", "联系人": "", "设定依据": ""})

    run_import(write_workbook(tmp_path / "c.xlsx", [draft], materials("D001"), steps("D001")))

    stored = ServiceItem.objects.get(code="D001")
    assert (stored.disclosure_complete, stored.disclosure_missing) == (False, "设定依据、联系人")


def test_unknown_extra_columns_are_reported_as_ignored_and_the_rest_imports(tmp_path, two_departments):
    rows = [item("A001", {"备用列": "随便写"})]

    output = run_import(write_workbook(tmp_path / "c.xlsx", rows, materials("A001"), steps("A001")))

    assert "注意:工作表「事项」第1行的列「备用列」无法识别，已忽略，这一列的内容不会导入。" in output
    assert ServiceItem.objects.filter(code="A001").exists()


def test_the_national_names_of_the_time_limit_columns_are_read_as_the_working_day_columns(tmp_path, two_departments):
    """The national catalog heads them 「法定办结时限」 and 「承诺办结时限」, without 「(工作日)」."""
    rows = [
        {("法定办结时限" if k == "法定办结时限(工作日)" else "承诺办结时限" if k == "承诺办结时限(工作日)" else k): v
         for k, v in item(code).items()}
        for code in ("A001", "A002")
    ]

    output = run_import(write_workbook(tmp_path / "c.xlsx", rows, materials("A001") + materials("A002"), steps("A001")))

    assert "新增 2 个" in output and "无法识别" not in output
    stored = ServiceItem.objects.get(code="A002")
    assert (stored.statutory_limit_days, stored.committed_limit_days) == (20, 10)


def test_other_usual_names_of_columns_are_aliases(tmp_path, two_departments):
    aliases = {"事项编码": "实施编码", "实施主体": "实施机构", "法定办结时限(工作日)": "法定时限", "监督投诉电话": "投诉电话"}
    row = {aliases.get(k, k): v for k, v in item("A001", {"监督投诉电话": "0797-12345"}).items()}

    output = run_import(write_workbook(tmp_path / "c.xlsx", [row], materials("A001"), steps("A001")))

    assert "新增 1 个" in output and "无法识别" not in output
    stored = ServiceItem.objects.get(code="A001")
    assert (stored.statutory_limit_days, stored.complaint_phone) == (20, "0797-12345")


def test_a_column_given_under_two_of_its_names_is_refused_as_a_duplicate(tmp_path, two_departments):
    row = {**item("A001"), "法定办结时限": 20}

    errors = import_errors(write_workbook(tmp_path / "c.xlsx", [row], materials("A001"), steps("A001")))

    assert "列名重复,每列只能出现一次。" in errors


def test_an_unknown_column_is_reported_first_before_any_row_error(client, center_admin, tmp_path):
    rows = [item(f"A{n:03d}", {"实施主体": "县税务局", "法定时限天数": 20}) for n in range(1, 4)]
    path = write_workbook(tmp_path / "c.xlsx", rows)

    page = upload(client, path).content.decode()
    command = import_errors(path)

    notice = "工作表「事项」第1行的列「法定时限天数」无法识别，已忽略，这一列的内容不会导入。"
    assert notice in page and "可识别的列名：「事项编码」" in page
    assert page.index(notice) < page.index("工作簿有") < page.index("找不到名称或编码为「县税务局」的部门")
    assert command.index(notice) < command.index("导入失败") < command.index("县税务局")


def test_headers_typed_with_full_width_brackets_or_spaces_are_recognised(tmp_path, two_departments):
    row = item("A001")
    header = [column.replace("(", "（").replace(")", "）") for column in row]
    header[1] = " 事项 名称"
    sheets = {"事项": [header, list(row.values())], "申请材料": [MATERIAL_HEADER, *materials("A001")]}

    output = run_import(write_workbook(tmp_path / "c.xlsx", sheets=sheets))

    assert "新增 1 个" in output and "无法识别" not in output
    assert ServiceItem.objects.get(code="A001").statutory_limit_days == 20


def test_dry_run_reports_the_counts_and_writes_nothing(tmp_path, two_departments):
    output = run_import(two_items(tmp_path), "--dry-run")

    assert "试运行,未写入:新增 2 个,更新 0 个,未变 0 个,错误 0 处。" in output
    assert not ServiceItem.objects.exists() and not ServiceItem.history.exists()


def test_a_large_workbook_shows_its_progress_on_stderr(tmp_path, two_departments, monkeypatch):
    monkeypatch.setattr(workbook, "PROGRESS_EVERY", 2)
    err = io.StringIO()

    call_command("import_catalog", two_items(tmp_path), stdout=io.StringIO(), stderr=err)

    assert "工作表「办理环节」已读取 4 行" in err.getvalue()


# ------------------------------------------------------------------ create departments


def test_unknown_departments_are_created_with_create_departments_and_listed_as_new(tmp_path, two_departments, admin_user):
    rows = [item("A001", {"实施主体": "县税务局", "办件类型": "联办件", "联办部门": "县公安局、县医疗保障局", "办理窗口": ""})]
    path = write_workbook(tmp_path / "c.xlsx", rows, materials("A001"), steps("A001"))

    plan = workbook.catalog_plan(path, create_departments=True)
    assert [d.name for d in plan.new_departments] == ["县税务局", "县医疗保障局"]
    output = run_import(path, "--create-departments", "--user", admin_user.username)

    assert "新建部门 2 个:县税务局、县医疗保障局" in output
    tax = Department.objects.get(name="县税务局")
    assert tax.kind == DepartmentKind.STATIONED
    assert tax.history.get().history_user == admin_user
    created = ServiceItem.objects.get(code="A001")
    assert created.department == tax
    assert sorted(created.co_departments.values_list("name", flat=True)) == ["县公安局", "县医疗保障局"]


def test_a_new_department_cannot_be_both_the_implementing_and_a_co_department(tmp_path, two_departments):
    rows = [item("A001", {"实施主体": "县税务局", "办件类型": "联办件", "联办部门": "县税务局"})]

    errors = import_errors(write_workbook(tmp_path / "c.xlsx", rows, materials("A001"), steps("A001")), "--create-departments")

    assert "「县税务局」是实施主体,不能同时作为联办部门。" in errors
    assert not Department.objects.filter(name="县税务局").exists()


# ------------------------------------------------------------------ errors: each names sheet, row, column, value


def test_a_missing_required_column_is_refused(tmp_path, two_departments):
    header = [column for column in item("A001") if column != "办件类型"]

    errors = import_errors(write_workbook(tmp_path / "c.xlsx", [item("A001")], item_header=header))

    assert "工作表「事项」第1行:缺少必填列「办件类型」。第1行应为表头:事项编码、事项名称" in errors


def test_an_unknown_department_is_refused_naming_the_existing_ones(tmp_path, two_departments):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001", {"实施主体": "县税务局"})], materials("A001"))

    errors = import_errors(path)

    assert (
        "工作表「事项」第2行,「实施主体」列,值「县税务局」:找不到名称或编码为「县税务局」的部门。"
        "现有部门:县公安局、县市场监督管理局。如需新建,请勾选「创建不存在的部门」(命令行:--create-departments)。"
    ) in errors
    assert "错误 1 处" in errors


def test_an_unknown_handling_mode_is_refused_listing_the_choices(tmp_path, two_departments):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001", {"办件类型": "快办件"})], materials("A001"))

    errors = import_errors(path)

    assert "工作表「事项」第2行,「办件类型」列,值「快办件」:「快办件」无效,只能填写「即办件」、「承诺件」、「联办件」、「上报件」。" in errors


@pytest.mark.parametrize("bad", ["二十", "2.5", "-3"])
def test_a_limit_that_is_not_a_whole_number_is_refused(tmp_path, two_departments, bad):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001", {"法定办结时限(工作日)": bad})], materials("A001"))

    errors = import_errors(path)

    assert f"工作表「事项」第2行,「法定办结时限(工作日)」列,值「{bad}」:" in errors
    assert ("超出范围" if bad == "-3" else f"「{bad}」不是整数,请填写阿拉伯数字。") in errors


def test_a_committed_limit_above_the_statutory_limit_is_refused(tmp_path, two_departments):
    row = item("A001", {"法定办结时限(工作日)": 5, "承诺办结时限(工作日)": 10})

    errors = import_errors(write_workbook(tmp_path / "c.xlsx", [row], materials("A001"), steps("A001", (0, 3))))

    assert (
        "工作表「事项」第2行,「承诺办结时限(工作日)」列,值「10」:承诺办结时限(10个工作日)不能超过法定办结时限(5个工作日)。"
    ) in errors


def test_a_duplicate_item_code_in_the_file_is_refused(tmp_path, two_departments):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001"), item("A001", {"事项名称": "另一个"})], materials("A001"))

    errors = import_errors(path)

    assert "工作表「事项」第3行,「事项编码」列,值「A001」:事项编码与第2行重复,每个事项只能有一行。" in errors


@pytest.mark.parametrize("sheet", ["申请材料", "办理环节"])
def test_a_child_row_whose_item_is_neither_in_the_file_nor_in_the_database_is_refused(tmp_path, two_departments, sheet):
    stray = materials("NOPE") if sheet == "申请材料" else steps("NOPE")
    path = write_workbook(
        tmp_path / "c.xlsx", [item("A001")], materials("A001") + (stray if sheet == "申请材料" else []),
        steps("A001") + (stray if sheet == "办理环节" else []),
    )  # fmt: skip

    errors = import_errors(path)

    assert f"工作表「{sheet}」第4行,「事项编码」列,值「NOPE」:事项编码既不在工作表「事项」中,也不在系统中。" in errors


def test_a_file_that_is_not_an_xlsx_workbook_is_refused(tmp_path, two_departments):
    path = tmp_path / "目录.xlsx"
    path.write_text("事项编码,事项名称\nA001,食品经营许可\n", encoding="utf-8")

    errors = import_errors(str(path))

    assert "「目录.xlsx」不是有效的 Excel 工作簿(.xlsx),无法读取" in errors


def test_an_empty_workbook_is_refused(tmp_path, two_departments):
    errors = import_errors(write_workbook(tmp_path / "c.xlsx", []))

    assert "工作簿是空的:工作表「事项」「申请材料」「办理环节」中没有任何数据行。" in errors


def test_a_workbook_without_the_item_sheet_is_refused(tmp_path, two_departments):
    errors = import_errors(write_workbook(tmp_path / "c.xlsx", sheets={"Sheet1": [["a", "b"]]}))

    assert "工作簿中没有工作表「事项」。应有工作表:事项、申请材料、办理环节。" in errors


def test_an_active_item_missing_disclosure_elements_is_refused(tmp_path, two_departments):
    row = item("A001", {"咨询电话": "", "办理流程": ""})

    errors = import_errors(write_workbook(tmp_path / "c.xlsx", [row], materials("A001"), steps("A001")))

    assert "工作表「事项」第2行,「状态」列,值「在用」:公开要素不全,不能设为在用。缺少:办理流程、咨询电话。" in errors


def test_steps_that_exceed_the_committed_limit_are_refused_at_their_first_row(tmp_path, two_departments):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001")], materials("A001"), steps("A001", (4, 5, 6)))

    errors = import_errors(path)

    assert "工作表「办理环节」第2行,「事项编码」列,值「A001」:计入时限的各环节合计15个工作日,超过承诺办结时限10个工作日。" in errors


def test_a_joint_item_without_co_departments_and_a_report_up_item_without_authority_are_refused(tmp_path, two_departments):
    rows = [item("J001", {"办件类型": "联办件"}), item("R001", {"办件类型": "上报件"})]
    path = write_workbook(tmp_path / "c.xlsx", rows, materials("J001") + materials("R001"))

    errors = import_errors(path)

    assert "工作表「事项」第2行,「联办部门」列,值为空:联办件须至少指定一个联办部门。" in errors
    assert "工作表「事项」第3行,「上报机关」列,值为空:上报件须填写上报机关。" in errors


def test_duplicate_material_numbers_of_one_item_are_refused(tmp_path, two_departments):
    rows = materials("A001") + [["A001", 2, "重复的序号", "原件", 1, "是", "", ""]]

    errors = import_errors(write_workbook(tmp_path / "c.xlsx", [item("A001")], rows))

    assert "工作表「申请材料」第4行,「序号」列,值「2」:事项「A001」的序号与第3行重复。" in errors


def test_every_error_of_the_workbook_is_listed(tmp_path, two_departments):
    rows = [item("A001", {"办件类型": "快办件"}), item("A002", {"到现场次数": "两次", "是否网办": "可以"})]
    path = write_workbook(tmp_path / "c.xlsx", rows, materials("A001") + [["A002", "一", "身份证", "原件", 1, "是", "", ""]])

    errors = import_errors(path)

    assert "错误 4 处" in errors.splitlines()[0]
    assert "「两次」不是整数" in errors and "「可以」无效,只能填写「是」或「否」。" in errors
    assert "工作表「申请材料」第4行,「序号」列,值「一」" in errors


# ------------------------------------------------------------------ atomic


def test_a_bad_row_in_the_last_sheet_leaves_the_database_exactly_as_it_was(tmp_path, two_departments, admin_user):
    run_import(two_items(tmp_path))
    before = catalog_snapshot()
    bad = write_workbook(
        tmp_path / "bad.xlsx",
        [item("A001", {"承诺办结时限(工作日)": 9}), item("A003")],
        materials("A001", ["新材料"]) + materials("A003"),
        steps("A001") + steps("A003") + [["A003", 3, "送达", "三天", "是"]],
    )

    errors = import_errors(bad, "--create-departments", "--user", admin_user.username)

    assert "工作表「办理环节」第6行,「时限(工作日)」列,值「三天」:「三天」不是整数,请填写阿拉伯数字。" in errors
    assert catalog_snapshot() == before


def test_an_unknown_user_is_refused(tmp_path, two_departments):
    assert "找不到用户名为「nobody」的用户。" in import_errors(two_items(tmp_path), "--user", "nobody")


# ------------------------------------------------------------------ admin


def upload(client, path, **extra):
    with open(path, "rb") as handle:
        return client.post(reverse("admin:registry_serviceitem_catalog_import"), {"workbook": handle, **extra})


@pytest.fixture
def center_admin(two_departments, make_staff, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = make_staff(two_departments[0], role=CENTER_ADMIN)
    client.force_login(staff.user)
    return staff.user


def test_the_admin_imports_through_upload_preview_and_confirm(client, center_admin, tmp_path):
    changelist = client.get(reverse("admin:registry_serviceitem_changelist")).content.decode()
    assert "导入事项目录" in changelist and "下载空白模板" in changelist
    assert "上传并预览" in client.get(reverse("admin:registry_serviceitem_catalog_import")).content.decode()

    preview = upload(client, two_items(tmp_path), create_departments="on")

    page = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in page
    assert "<td>2</td><td>0</td>" in page.replace("\n", "").replace(" ", "")
    assert "A001" in page and not ServiceItem.objects.exists()
    confirmed = client.post(reverse("admin:registry_serviceitem_catalog_confirm"), {"token": preview.context["token"]})

    assert confirmed.status_code == 302
    assert sorted(ServiceItem.objects.values_list("code", flat=True)) == ["A001", "A002"]
    assert {h.history_user for h in ServiceItem.history.all()} == {center_admin}
    assert not list((tmp_path / "media" / "tmp" / "catalog-imports").iterdir())
    listed = client.get(reverse("admin:registry_serviceitem_changelist")).content.decode()
    assert "A001" in listed and "已导入「catalog.xlsx」:新增 2 个" in listed
    again = client.post(reverse("admin:registry_serviceitem_catalog_confirm"), {"token": preview.context["token"]})
    assert again.status_code == 302 and ServiceItem.history.count() == 2


def test_the_admin_preview_lists_every_error_and_offers_no_confirmation(client, center_admin, tmp_path):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001", {"实施主体": "县税务局", "办件类型": "快办件"})])

    page = upload(client, path).content.decode()

    assert "工作簿有 2 处错误,未作任何修改" in page
    assert "找不到名称或编码为「县税务局」的部门" in page and "「快办件」无效" in page
    assert "确认导入" not in page


def test_the_admin_preview_shows_changes_ignored_columns_and_new_departments(client, center_admin, tmp_path):
    run_import(two_items(tmp_path))
    rows = [item("A001", {"承诺办结时限(工作日)": 8, "备注栏": "x"}), item("A002", {"实施主体": "县税务局", "备注栏": ""})]
    path = write_workbook(tmp_path / "v2.xlsx", rows, materials("A001") + materials("A002", ["身份证"]), steps("A001") + steps("A002"))

    page = upload(client, path, create_departments="on").content.decode()

    assert "承诺办结时限(工作日):10 → 8" in page
    assert "实施主体:县市场监督管理局 → 县税务局" in page
    assert "列「备注栏」无法识别，已忽略" in page
    assert "将新建的部门(1 个)" in page and "确认导入" in page


def test_staff_without_add_permission_cannot_import(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=WINDOW_STAFF).user)

    assert client.get(reverse("admin:registry_serviceitem_catalog_import")).status_code == 403
    assert "导入事项目录" not in client.get(reverse("admin:registry_serviceitem_changelist")).content.decode()
