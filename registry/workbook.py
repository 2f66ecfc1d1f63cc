"""The item catalog workbook (.xlsx): sheets 事项, 申请材料 and 办理环节 — read, check, import, write.

Reading writes nothing: `catalog_plan()` parses the workbook, resolves departments and windows from
a few pre-loaded queries, applies the rules of `registry.services` to every item and compares it
with the database. The resulting `CatalogPlan` (errors, warnings, new/changed/unchanged items with
their changes) is what the admin preview and `import_catalog --dry-run` show. `catalog_apply()`
writes a plan without errors in one transaction with bulk inserts/updates, and a history row by the
importing user (reason 「Excel导入 <file name>」) for every created, changed or deleted row;
`catalog_import()` does both in one transaction.

Meaning of a workbook:
- An item is keyed by 事项编码: a new code creates the item, a known one updates it. A column that
  is absent leaves that field as it is (new items take the model default); an empty cell in a
  present column means empty (or the default: 状态 草稿, 到现场次数 1, 是/否 否).
- When the sheet 申请材料 (or 办理环节) is present, the materials (steps) of every item of the 事项
  sheet, and of every item the sheet names, are replaced by the sheet's rows. The 联办部门 column does
  the same for co-departments. Children are rewritten only when they differ.
- Any error and nothing is written.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from halls.models import Hall, HallKind
from staffing import spreadsheet
from staffing.import_widgets import (
    ChoiceLabelWidget,
    RequiredCharWidget,
    StrictIntegerWidget,
    TextWidget,
    YesNoWidget,
    cell_text,
)
from staffing.models import CenterSettings, Department, DepartmentKind, Window
from staffing.text import strip_control_characters

from . import services
from .models import ItemCoDepartment, ItemHall, Material, ProcedureStep, ServiceItem

ITEM_SHEET, MATERIAL_SHEET, STEP_SHEET = "事项", "申请材料", "办理环节"
CHANGE_REASON = "Excel导入"
BATCH_SIZE = 500  # rows per bulk statement, and item ids per pre-loading query
PROGRESS_EVERY = 1000
SMALL_INTEGER_MAX = 32767
CO_DEPARTMENT_SEPARATORS = re.compile(r"[、;；,，\n]+")
CENTER_HALL_LABEL = HallKind.CENTER.label
LISTED_DEPARTMENTS = 20  # an unknown department's message names at most this many existing ones

ITEM_FIELDS = [
    "code", "name", "sub_name", "item_type", "department", "window", "handling_mode",
    "statutory_limit_days", "committed_limit_days", "legal_basis", "conditions", "charges_fee",
    "fee_standard", "fee_basis", "procedure", "result_name", "location", "office_hours", "contact",
    "phone", "complaint_phone", "visits", "online", "is_major", "co_departments", "report_authority",
    "status", "halls",
]  # fmt: skip
ITEM_REQUIRED = {"code", "name", "item_type", "department", "handling_mode"}
MATERIAL_FIELDS = ["order", "name", "form", "copies", "required", "source", "note"]
STEP_FIELDS = ["order", "name", "limit_days", "counts_towards_limit"]
CHILD_REQUIRED = {"item_code", "order", "name"}
FLAG_FIELDS = ["disclosure_missing", "disclosure_complete"]


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    attr: str  # the model field (item_code: the child sheets' link to their item)
    header: str  # the Chinese column name, the field's verbose_name
    parse: object  # cell value → Python value; raises ValueError with a Chinese message
    required: bool = False  # the column must be present
    choices: dict | None = None  # label → value, for choice and 是/否 columns

    @cached_property
    def labels(self):
        return {value: label for label, value in (self.choices or {}).items()}


def _small_integer(widget):
    def parse(value):
        number = value if type(value) is int else widget.clean(value)
        if number is not None and not 0 <= number <= SMALL_INTEGER_MAX:
            raise ValueError(f"「{number}」超出范围,应为0到{SMALL_INTEGER_MAX}之间的整数。")
        return number

    return parse


def _text(widget, max_length):
    def parse(value):
        text = widget.clean(value)
        if max_length and len(text) > max_length:
            raise ValueError(f"共{len(text)}个字符,超过上限{max_length}个字符。")
        return text

    return parse


def _column(model, name, required):
    model_field = model._meta.get_field(name)
    header = str(model_field.verbose_name)
    default = NOT_PROVIDED if required else model_field.default
    if model_field.choices:
        widget = ChoiceLabelWidget(model_field.choices, default=default)
        return Column(name, header, widget.clean, required, choices=widget.to_value)
    if isinstance(model_field, models.BooleanField):
        return Column(name, header, YesNoWidget(default=default).clean, required, choices={"是": True, "否": False})
    if isinstance(model_field, models.PositiveSmallIntegerField):
        widget = StrictIntegerWidget(default=None if model_field.null else default)
        return Column(name, header, _small_integer(widget), required)
    widget = RequiredCharWidget() if required else TextWidget()
    # Foreign keys and co-departments are read as text here and resolved against the database later.
    return Column(name, header, _text(widget, getattr(model_field, "max_length", None)), required)


CODE_HEADER = str(ServiceItem._meta.get_field("code").verbose_name)
ITEM_COLUMNS = [_column(ServiceItem, name, name in ITEM_REQUIRED) for name in ITEM_FIELDS]
_ITEM_CODE = Column("item_code", CODE_HEADER, RequiredCharWidget().clean, True)
MATERIAL_COLUMNS = [_ITEM_CODE] + [_column(Material, name, name in CHILD_REQUIRED) for name in MATERIAL_FIELDS]
STEP_COLUMNS = [_ITEM_CODE] + [_column(ProcedureStep, name, name in CHILD_REQUIRED) for name in STEP_FIELDS]
SHEETS = {ITEM_SHEET: ITEM_COLUMNS, MATERIAL_SHEET: MATERIAL_COLUMNS, STEP_SHEET: STEP_COLUMNS}
ROW_LIMITS = {ITEM_SHEET: "catalog_items", MATERIAL_SHEET: "catalog_materials", STEP_SHEET: "catalog_steps"}
HEADERS = {column.attr: column.header for column in ITEM_COLUMNS}

# The other names a column goes by in the national and provincial catalogs (政务服务事项基本目录, 实施清单)
# and in departments' own sheets. A header without 「(工作日)」 is read as the column with it.
ALIASES = {
    "事项编码": ["实施编码", "事项代码", "编码"],
    "事项名称": ["主项名称", "事项名称(主项)", "基本目录名称"],
    "子项名称": ["子项", "业务办理项名称", "办理项名称"],
    "事项类型": ["事项类别", "权力类型", "权力类别", "职权类别"],
    "实施主体": ["实施机构", "实施部门", "办理部门"],
    "办理窗口": ["受理窗口", "窗口"],
    "办件类型": ["办件类别"],
    "法定办结时限(工作日)": ["法定时限", "法定期限"],
    "承诺办结时限(工作日)": ["承诺时限", "承诺期限"],
    "设定依据": ["法律依据", "实施依据"],
    "受理条件": ["申请条件", "办理条件"],
    "办理流程": ["流程"],
    "办理地点": ["受理地点", "办公地点"],
    "办理时间": ["受理时间", "办公时间"],
    "咨询电话": ["咨询方式"],
    "监督投诉电话": ["投诉电话", "监督电话", "投诉方式", "监督投诉方式"],
    "到现场次数": ["到办事现场次数", "跑动次数"],
    "是否网办": ["是否网上办理", "是否支持网上办理", "网上办理"],
    "联办部门": ["联合办理部门", "协办部门"],
    "状态": ["事项状态"],
    "材料名称": ["申请材料名称"],
    "是否必需": ["是否必要", "材料必要性", "必要性"],
    "来源渠道": ["材料来源", "来源渠道说明"],
    "环节名称": ["办理环节"],
    "时限(工作日)": ["环节时限", "办理时限"],
}
WORKING_DAYS = "(工作日)"


def column_names(column) -> list[str]:
    """Every header read as this column: its own, without 「(工作日)」, and its aliases."""
    names = [column.header, *ALIASES.get(column.header, [])]
    if column.header.endswith(WORKING_DAYS):
        names.insert(1, column.header.removesuffix(WORKING_DAYS))
    return names


# ---------------------------------------------------------------- plan


@dataclass(frozen=True)
class CatalogError:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self):
        if not self.sheet:
            return self.message
        where = f"工作表「{self.sheet}」" + (f"第{self.row}行" if self.row else "")
        if self.column:
            where += f",「{self.column}」列"
            value = self.value if len(self.value) <= 40 else self.value[:40] + "…"
            where += f",值「{value}」" if value else ",值为空"
        return f"{where}:{self.message}"


@dataclass
class ItemPlan:
    """One item in the workbook's scope: what the import will do with it."""

    item: ServiceItem  # new, or the stored item with the workbook's values applied
    sheet: str  # where its errors point: its 事项 row, or the first child row naming it
    row: int
    is_new: bool
    changes: list = field(default_factory=list)  # (column, old, new), for the preview
    changed_fields: set = field(default_factory=set)  # of the item itself
    co_departments: list | None = None  # Department objects, when they are to be (re)written
    halls: list | None = None  # Hall objects (none: the center hall), when they are to be (re)written
    materials: list | None = None
    steps: list | None = None
    old: dict = field(default_factory=dict)  # kind → stored children that the new ones replace
    stale_flags: bool = False  # only the derived disclosure flags differ (no history)

    @property
    def changed(self):
        return bool(self.is_new or self.changes)


@dataclass
class CatalogPlan:
    file_name: str
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    unknown_columns: list = field(default_factory=list)  # reported first: they explain the row errors
    new_departments: list = field(default_factory=list)
    items: list = field(default_factory=list)
    sheet_rows: dict = field(default_factory=dict)  # sheet name → data rows read
    rows_checked: int = 0  # rows whose cells were parsed and checked, for a background job's progress

    def error(self, sheet, row, column, value, message):
        self.errors.append(CatalogError(sheet, row, column, value, message))

    @property
    def ok(self):
        return not self.errors

    @property
    def new_items(self):
        return [plan for plan in self.items if plan.is_new]

    @property
    def changed_items(self):
        return [plan for plan in self.items if plan.changed and not plan.is_new]

    @property
    def unchanged_count(self):
        return sum(1 for plan in self.items if not plan.changed)

    @property
    def summary(self):
        return (
            f"新增 {len(self.new_items)} 个,更新 {len(self.changed_items)} 个,"
            f"未变 {self.unchanged_count} 个,错误 {len(self.errors)} 处"
        )

    @property
    def rows_read(self):
        return sum(self.sheet_rows.values())

    @property
    def change_reason(self):
        return f"{CHANGE_REASON} {self.file_name}"


# ---------------------------------------------------------------- reading


@dataclass
class SheetRow:
    number: int  # as Excel shows it: the header is row 1
    values: dict  # attr → parsed value (valid cells only)
    cells: dict  # attr → the cell as read
    ok: bool = True

    def text(self, attr):
        return cell_text(self.cells.get(attr))


def _header(value):
    """A header cell as a column name: without spaces, full-width brackets as ASCII (时限（工作日）)."""
    return re.sub(r"\s+", "", cell_text(value)).replace("（", "(").replace("）", ")")


def _read_sheet(plan, book, name, progress):
    """The sheet's non-blank rows as SheetRows; None when the sheet is unusable (a missing column)."""
    columns = SHEETS[name]
    sheet = spreadsheet.read_sheet(book, name, limit=spreadsheet.row_limit(ROW_LIMITS[name]))
    sheet.check_header(1)
    rows = iter(sheet.rows)
    header_row = sheet.rows[0][1] if sheet.rows and sheet.rows[0][0] == 1 else ()
    if header_row:
        next(rows)
    plan.sheet_rows[name] = len(sheet.rows) - (1 if header_row else 0)
    if progress:
        progress(f"工作表「{name}」已读取 {plan.sheet_rows[name]} 行,正在校验…", read=plan.rows_read)
    by_header = {_header(alias): column for column in columns for alias in column_names(column)}
    positions = {}
    for index, header in enumerate(_header(value) for value in header_row):
        column = by_header.get(header)
        if not header:
            continue
        if column is None:
            known = "、".join(f"「{column.header}」" for column in columns)
            plan.unknown_columns.append(
                f"工作表「{name}」第1行的列「{header}」无法识别，已忽略，这一列的内容不会导入。"
                f"可识别的列名：{known}（时限列也可不写「(工作日)」）。"
            )
        elif column.attr in positions:
            plan.error(name, 1, header, header, "列名重复,每列只能出现一次。")
        else:
            positions[column.attr] = (index, column)
    missing = [column.header for column in columns if column.required and column.attr not in positions]
    if missing:
        expected = "、".join(column.header for column in columns)
        plan.error(name, 1, "", "", f"缺少必填列「{'」「'.join(missing)}」。第1行应为表头:{expected}。")
        return None
    if name == ITEM_SHEET:
        absent = [column.header for column in columns if column.attr not in positions]
        if absent:
            plan.warnings.append(f"工作表「{name}」没有「{'」「'.join(absent)}」列:已有事项的这些内容保持不变。")

    result = []
    for number, cells in rows:
        row = SheetRow(number, {}, {})
        for attr, (index, column) in positions.items():
            value = row.cells[attr] = cells[index] if index < len(cells) else None
            if isinstance(value, spreadsheet.Formula):
                plan.error(name, number, column.header, str(value), spreadsheet.FORMULA_PROBLEM)
                row.ok = False
                continue
            try:
                row.values[attr] = column.parse(value)
            except ValueError as error:
                plan.error(name, number, column.header, row.text(attr), str(error))
                row.ok = False
        result.append(row)
        if progress and len(result) % PROGRESS_EVERY == 0:
            progress(f"工作表「{name}」已校验 {len(result)} 行…", checked=plan.rows_checked + len(result))
    plan.rows_checked += len(result)
    return result


def _open(source, plan):
    try:
        return spreadsheet.open_workbook(source, plan.file_name)
    except spreadsheet.WorkbookError as error:
        plan.error("", None, "", "", str(error))
        return None


# ---------------------------------------------------------------- look-ups


class _Departments:
    """Departments by exact name or code. Unknown ones are refused, or with `create` made (unsaved).

    Unsaved departments get temporary negative ids so that the rules can compare them (an item's
    实施主体 cannot also be its 联办部门); `catalog_apply` clears them before saving.
    """

    def __init__(self, create):
        stored = list(Department.objects.only("id", "name", "code"))
        self.by_id = {department.pk: department for department in stored}
        self.by_text = {department.name: department for department in stored}
        self.by_text.update({department.code: department for department in stored if department.code})
        self.create, self.new = create, {}

    def get(self, text):
        department = self.by_text.get(text) or self.new.get(text)
        if department:
            return department
        if not self.create:
            raise ValueError(f"找不到名称或编码为「{text}」的部门。{self._known()}")
        if len(text) > Department._meta.get_field("name").max_length:
            raise ValueError("部门名称过长。")
        department = Department(id=-(len(self.new) + 1), name=text, kind=DepartmentKind.STATIONED)
        self.new[text] = self.by_id[department.pk] = department
        return department

    def _known(self):
        names = sorted({department.name for department in self.by_text.values()})
        if not names:
            return "系统中还没有任何部门。"
        listed = "、".join(names[:LISTED_DEPARTMENTS]) + (f"等(共{len(names)}个)" if len(names) > LISTED_DEPARTMENTS else "")
        return f"现有部门:{listed}。如需新建,请勾选「创建不存在的部门」(命令行:--create-departments)。"


def _plain(value):
    """A stored value as a cell gives it back: a cell cannot hold 「\\r」, so line endings are no change."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _windows():
    return {window.number: window for window in Window.objects.only("id", "number")}


class _Halls:
    """The 办理场所 column: hall names separated by 、; empty, 「中心大厅」 or the center hall's own name
    alone mean the center hall, stored as no link (its default)."""

    def __init__(self):
        halls = list(Hall.objects.only("id", "name", "kind"))
        self.by_name = {hall.name: hall for hall in halls}
        self.by_id = {hall.pk: hall for hall in halls}
        self.center = next((hall for hall in halls if hall.kind == HallKind.CENTER), None)
        if self.center is not None:
            self.by_name.setdefault(CENTER_HALL_LABEL, self.center)

    def parse(self, text):
        found = {}
        for name in (name.strip() for name in CO_DEPARTMENT_SEPARATORS.split(text or "")):
            if not name:
                continue
            if name not in self.by_name:
                known = "、".join(sorted(self.by_name)) or "(无)"
                raise ValueError(f"找不到名为「{name}」的服务场所。现有服务场所:{known}。")
            found[self.by_name[name].pk] = self.by_name[name]
        halls = list(found.values())
        return [] if [hall.pk for hall in halls] == [getattr(self.center, "pk", None)] else halls

    def names(self, ids):
        return "、".join(self.by_id[pk].name for pk in ids) or CENTER_HALL_LABEL


def _in_chunks(values):
    values = list(values)
    for start in range(0, len(values), BATCH_SIZE):
        yield values[start : start + BATCH_SIZE]


def _stored_items(codes):
    found = {}
    for chunk in _in_chunks(codes):
        found.update((item.code, item) for item in ServiceItem.objects.filter(code__in=chunk))
    return found


def _stored_children(model, item_ids):
    children = defaultdict(list)
    for chunk in _in_chunks(item_ids):
        for child in model.objects.filter(item_id__in=chunk).order_by("item_id", "pk"):
            children[child.item_id].append(child)
    return children


# ---------------------------------------------------------------- planning


def catalog_plan(source, *, file_name=None, create_departments=False, progress=None) -> CatalogPlan:
    """Read and check a workbook (a path or a binary file); write nothing."""
    plan = CatalogPlan(file_name or Path(getattr(source, "name", None) or str(source)).name)
    book = _open(source, plan)
    if book is None:
        return plan
    try:
        for name in book.sheetnames:
            if name not in SHEETS:
                plan.warnings.append(f"工作表「{name}」无法识别,已忽略。")
        sheets = {name: _read_sheet(plan, book, name, progress) for name in SHEETS if name in book.sheetnames}
    except spreadsheet.WorkbookError as error:  # a sheet over its row limit: stop reading there
        plan.error("", None, "", "", str(error))
        return plan
    finally:
        book.close()
    if ITEM_SHEET not in sheets:
        plan.error("", None, "", "", f"工作簿中没有工作表「{ITEM_SHEET}」。应有工作表:{'、'.join(SHEETS)}。")
        return plan
    for name in (MATERIAL_SHEET, STEP_SHEET):
        if name not in sheets:
            plan.warnings.append(f"工作簿中没有工作表「{name}」:已有事项的{name}保持不变。")
    if not plan.errors and not any(rows for rows in sheets.values()):
        plan.error("", None, "", "", f"工作簿是空的:工作表「{ITEM_SHEET}」「{MATERIAL_SHEET}」「{STEP_SHEET}」中没有任何数据行。")
        return plan
    if sheets[ITEM_SHEET] is None:
        return plan
    if progress:
        progress("正在核对部门、窗口和已有事项…", checked=plan.rows_checked)
    _Planner(plan, sheets, create_departments).run()
    return plan


class _Planner:
    def __init__(self, plan, sheets, create_departments):
        self.plan = plan
        self.item_rows = sheets[ITEM_SHEET]
        self.item_rows_by_number = {row.number: row for row in self.item_rows}
        self.child_rows = {name: sheets.get(name) for name in (MATERIAL_SHEET, STEP_SHEET)}  # None: keep
        self.departments = _Departments(create_departments)
        self.windows = _windows()
        self.halls = _Halls()
        self.site_phone = CenterSettings.load().complaint_phone

    def run(self):
        codes = {row.text("code") for row in self.item_rows}
        for rows in filter(None, self.child_rows.values()):
            codes |= {row.text("item_code") for row in rows}
        self.stored = _stored_items(codes - {"", None})
        plans, file_codes = self._items()
        children = {name: self._children(name, file_codes, plans) for name in self.child_rows}
        stored_ids = [plan.item.pk for plan in plans.values() if not plan.is_new]
        self.old = {
            "materials": _stored_children(Material, stored_ids),
            "steps": _stored_children(ProcedureStep, stored_ids),
            "co_departments": _stored_children(ItemCoDepartment, stored_ids),
            "halls": _stored_children(ItemHall, stored_ids),
        }
        for plan in plans.values():
            self._finish(plan, children[MATERIAL_SHEET], children[STEP_SHEET])
        self.plan.items = list(plans.values())
        self.plan.new_departments = list(self.departments.new.values())

    # 事项 rows → ItemPlans (valid rows only); every code seen counts as "in the file".
    def _items(self):
        plans, first_row = {}, {}
        for row in self.item_rows:
            code = row.values.get("code")
            if code is None:
                continue
            if code in first_row:
                self.plan.error(ITEM_SHEET, row.number, CODE_HEADER, code, f"事项编码与第{first_row[code]}行重复,每个事项只能有一行。")
                continue
            first_row[code] = row.number
            resolved = self._resolve(row)
            if row.ok:
                plans[code] = self._apply(row, resolved)
        return plans, set(first_row)

    def _resolve(self, row):
        resolved = {}
        lookups = {
            "department": self.departments.get,
            "window": self._window,
            "co_departments": self._co_departments,
            "halls": self.halls.parse,
        }
        for attr, lookup in lookups.items():
            if attr in row.values:
                try:
                    resolved[attr] = lookup(row.values[attr])
                except ValueError as error:
                    self.plan.error(ITEM_SHEET, row.number, HEADERS[attr], row.text(attr), str(error))
                    row.ok = False
        return resolved

    def _window(self, text):
        if not text:
            return None
        if text not in self.windows:
            known = "、".join(sorted(self.windows)[:LISTED_DEPARTMENTS]) or "(无)"
            raise ValueError(f"找不到窗口号为「{text}」的窗口。现有窗口号:{known}。")
        return self.windows[text]

    def _co_departments(self, text):
        names = [name.strip() for name in CO_DEPARTMENT_SEPARATORS.split(text) if name.strip()]
        found = {}
        for name in names:
            department = self.departments.get(name)
            found[id(department)] = department
        return list(found.values())

    def _apply(self, row, resolved):
        """The stored item (or a new one) with the row's values; the changes are recorded."""
        item = self.stored.get(row.values["code"])
        plan = ItemPlan(item or ServiceItem(), ITEM_SHEET, row.number, is_new=item is None)
        values = {**row.values, **resolved}
        for attr in ITEM_FIELDS:
            if attr not in values or attr in ("co_departments", "halls"):
                continue
            model_field = ServiceItem._meta.get_field(attr)
            value = values[attr]
            new = value.pk if isinstance(model_field, models.ForeignKey) and value else value
            old = getattr(plan.item, model_field.attname)
            if _plain(old) == new:
                continue
            if not plan.is_new:
                plan.changed_fields.add(attr)
                plan.changes.append((model_field.verbose_name, self._display(model_field, old), self._display(model_field, new)))
            setattr(plan.item, attr, value)
        if "co_departments" in values:
            plan.co_departments = values["co_departments"]
        if "halls" in values:
            plan.halls = values["halls"]
        return plan

    def _display(self, model_field, value):
        if value is None or value == "":
            return "(空)"
        if isinstance(value, bool):
            return "是" if value else "否"
        if model_field.choices:
            return str(dict(model_field.choices).get(value, value))
        if model_field.name == "department":
            return self.departments.by_id[value].name
        if model_field.name == "window":
            return next(w.number for w in self.windows.values() if w.pk == value)
        text = str(value)
        return text if len(text) <= 40 else text[:40] + "…"

    # 申请材料 / 办理环节 rows → unsaved children grouped by item code (items named only here join the plan).
    def _children(self, name, file_codes, plans):
        rows = self.child_rows[name]
        if rows is None:
            return None
        model = Material if name == MATERIAL_SHEET else ProcedureStep
        fields = MATERIAL_FIELDS if name == MATERIAL_SHEET else STEP_FIELDS
        grouped, orders = defaultdict(list), {}
        for row in rows:
            code, order = row.values.get("item_code"), row.values.get("order")
            if code is not None and code not in file_codes and code not in self.stored:
                self.plan.error(name, row.number, CODE_HEADER, code, f"事项编码既不在工作表「{ITEM_SHEET}」中,也不在系统中。")
                row.ok = False
            if code is not None and order is not None:
                if (code, order) in orders:
                    header = SHEETS[name][1].header
                    self.plan.error(name, row.number, header, str(order), f"事项「{code}」的序号与第{orders[code, order]}行重复。")
                    row.ok = False
                orders.setdefault((code, order), row.number)
            if not row.ok or (code not in plans and code in file_codes):  # its 事项 row has errors
                continue
            if code not in plans:  # an item that only this sheet names: its other contents stay
                plans[code] = ItemPlan(self.stored[code], name, row.number, is_new=False)
            grouped[code].append((row.number, model(**{attr: row.values[attr] for attr in fields if attr in row.values})))
        return grouped

    def _finish(self, plan, materials, steps):
        """Children in effect, the rules of services, disclosure flags and the comparison."""
        item, pk = plan.item, plan.item.pk
        old_materials, old_steps = self.old["materials"].get(pk, []), self.old["steps"].get(pk, [])
        old_links = self.old["co_departments"].get(pk, [])
        step_anchor = (plan.sheet, plan.row, HEADERS["committed_limit_days"])
        if materials is not None and (plan.sheet == ITEM_SHEET or item.code in materials):
            new = [child for _, child in sorted(materials.get(item.code, []), key=lambda pair: pair[1].order)]
            self._replace(plan, "materials", MATERIAL_SHEET, old_materials, new, MATERIAL_FIELDS)
        if steps is not None and (plan.sheet == ITEM_SHEET or item.code in steps):
            rows = steps.get(item.code, [])
            if rows:
                step_anchor = (STEP_SHEET, rows[0][0], CODE_HEADER)
            new = [child for _, child in sorted(rows, key=lambda pair: pair[1].order)]
            self._replace(plan, "steps", STEP_SHEET, old_steps, new, STEP_FIELDS)
        if plan.co_departments is not None:
            old_ids = sorted(link.department_id for link in old_links)
            if plan.is_new or old_ids != sorted(d.pk for d in plan.co_departments):
                names = "、".join(self.departments.by_id[i].name for i in old_ids) or "(空)"
                if not plan.is_new:
                    plan.changes.append((HEADERS["co_departments"], names, "、".join(d.name for d in plan.co_departments) or "(空)"))
                plan.old["co_departments"] = old_links
            else:
                plan.co_departments = None

        if plan.halls is not None:
            old_halls = self.old["halls"].get(pk, [])
            old_ids = sorted(link.hall_id for link in old_halls)
            if plan.is_new or old_ids != sorted(hall.pk for hall in plan.halls):
                if not plan.is_new:
                    plan.changes.append((HEADERS["halls"], self.halls.names(old_ids), self.halls.names([h.pk for h in plan.halls])))
                plan.old["halls"] = old_halls
            else:
                plan.halls = None

        co_departments = plan.co_departments
        if co_departments is None:
            co_departments = [self.departments.by_id[link.department_id] for link in old_links]
        self._check(plan, step_anchor, co_departments, old_materials if plan.materials is None else plan.materials,
                    old_steps if plan.steps is None else plan.steps)  # fmt: skip

    def _replace(self, plan, kind, sheet, old, new, fields):
        def key(children):
            return [tuple(_plain(getattr(child, attr)) for attr in fields) for child in sorted(children, key=lambda c: c.order)]

        if plan.is_new or key(old) != key(new):
            if not plan.is_new:
                plan.changes.append((sheet, f"{len(old)}项", f"{len(new)}项" + _name_changes(old, new)))
            setattr(plan, kind, new)
            plan.old[kind] = old

    def _check(self, plan, step_anchor, co_departments, materials, steps):
        item = plan.item
        anchor = (plan.sheet, plan.row)

        def raw(attr):
            return self.item_rows_by_number[plan.row].text(attr) if plan.sheet == ITEM_SHEET else ""

        for attr, messages in services.item_field_errors(item).items():
            column = HEADERS.get(attr, attr) if plan.sheet == ITEM_SHEET else ""
            for message in messages:
                self.plan.error(*anchor, column, raw(attr), message)
        for message in services.item_steps_errors(item, steps):
            value = item.code if step_anchor[0] == STEP_SHEET else raw("committed_limit_days")
            self.plan.error(*step_anchor, value, message)
        for message in services.item_co_department_errors(item, co_departments):
            self.plan.error(*anchor, HEADERS["co_departments"], raw("co_departments"), message)
        old_flags = (item.disclosure_missing, item.disclosure_complete)
        missing = services.item_disclosure_missing(item, material_count=len(materials), site_complaint_phone=self.site_phone)
        try:
            services.item_apply_disclosure(item, missing)
        except ValidationError as error:
            for message in error.messages:
                self.plan.error(*anchor, HEADERS["status"], raw("status") or "在用", message)
        plan.stale_flags = not plan.is_new and old_flags != (item.disclosure_missing, item.disclosure_complete)


def _name_changes(old, new):
    old_names, new_names = [child.name for child in old], [child.name for child in new]
    removed = [name for name in old_names if name not in new_names]
    added = [name for name in new_names if name not in old_names]
    parts = ([f"删去「{'」「'.join(removed)}」"] if removed else []) + ([f"新增「{'」「'.join(added)}」"] if added else [])
    return ":" + ";".join(parts) if parts else ",内容有变化"


# ---------------------------------------------------------------- writing to the database


def _delete_with_history(model, objs, user, reason, when):
    """Delete rows with a 「-」 history row each, in bulk (simple-history would write one by one)."""
    if not objs:
        return
    if model._meta.related_objects:  # something may point at these rows: let Django cascade or protect
        for obj in objs:
            obj._history_user, obj._change_reason, obj._history_date = user, reason, when
            obj.delete()
        return
    history = model.history.model
    history.objects.bulk_create(
        [
            history(
                history_type="-",
                history_date=when,
                history_user=user,
                history_change_reason=reason,
                **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields},
            )
            for obj in objs
        ],
        batch_size=BATCH_SIZE,
    )
    for chunk in _in_chunks([obj.pk for obj in objs]):
        # No signals: the history rows are written above, and nothing refers to these rows.
        model.objects.filter(pk__in=chunk)._raw_delete(model.objects.db)


def catalog_apply(plan: CatalogPlan, *, user=None) -> CatalogPlan:
    """Write a checked plan: one transaction, bulk statements, history with user and change reason."""
    if plan.errors:
        raise ValidationError(f"工作簿有 {len(plan.errors)} 处错误,不能导入。")
    history = {
        "default_user": user,
        "default_change_reason": plan.change_reason,
        "default_date": timezone.now(),  # one import, one moment
        "batch_size": BATCH_SIZE,
    }
    with transaction.atomic():
        for department in plan.new_departments:
            department.pk = None
        bulk_create_with_history(plan.new_departments, Department, **history)
        for item_plan in plan.items:
            if item_plan.item.department_id is not None and item_plan.item.department_id < 0:
                item_plan.item.department = item_plan.item.department  # the department has its real id now
        bulk_create_with_history([p.item for p in plan.new_items], ServiceItem, **history)
        changed = plan.changed_items
        fields = sorted(set().union(*(p.changed_fields for p in changed))) + FLAG_FIELDS  # each a CASE over all rows
        for p in changed:
            p.item.version += 1  # as a save would: an item page opened before the import is refused
        bulk_update_with_history([p.item for p in changed], ServiceItem, [*fields, "version"], **history)
        stale = [p.item for p in plan.items if p.stale_flags and not p.changed]
        ServiceItem.objects.bulk_update(stale, FLAG_FIELDS, batch_size=BATCH_SIZE)  # derived, not history

        kinds = (("materials", Material), ("steps", ProcedureStep), ("co_departments", ItemCoDepartment), ("halls", ItemHall))
        for kind, model in kinds:
            old = [child for p in plan.items for child in p.old.get(kind, [])]
            _delete_with_history(model, old, user, plan.change_reason, history["default_date"])
            new = []
            for item_plan in plan.items:
                new += _new_children(kind, item_plan)
            bulk_create_with_history(new, model, **history)
    return plan


def _new_children(kind, item_plan):
    item = item_plan.item
    if kind == "co_departments":
        return [ItemCoDepartment(item=item, department=d) for d in item_plan.co_departments or []]
    if kind == "halls":
        return [ItemHall(item=item, hall=hall) for hall in item_plan.halls or []]
    children = getattr(item_plan, kind) or []
    if kind == "materials":  # an uploaded blank form stays with the material of the same name
        forms = {old.name: old.blank_form for old in item_plan.old.get(kind, []) if old.blank_form}
        for child in children:
            child.blank_form = forms.get(child.name, "")
    for child in children:
        child.item_id = item.pk
    return children


def catalog_import(source, *, file_name=None, user=None, create_departments=False, dry_run=False, progress=None):
    """Read, check and (unless dry_run or anything is wrong) write a workbook.

    The plan writes nothing and the writing is one transaction (`catalog_apply`), so a failure leaves
    nothing half-written; outside that transaction a background job's progress rows are committed as
    they are reported, and its progress page sees them.

    `progress(message, read=, checked=, written=, writing=)` is called once per sheet or batch of rows.
    """
    plan = catalog_plan(source, file_name=file_name, create_departments=create_departments, progress=progress)
    if plan.ok and not dry_run:
        if progress:
            progress("正在写入数据库…", checked=plan.rows_checked, writing=True)
        catalog_apply(plan, user=user)
        if progress:
            progress(f"已写入:{plan.summary}。", written=plan.rows_checked)
    return plan


# ---------------------------------------------------------------- writing a workbook


def _cell(sheet, value, bold=False):
    # The catalog comes back in through the import, so its text must survive unchanged: instead of
    # staffing.excel's leading quote, text is stored as a string cell, which Excel never evaluates.
    if isinstance(value, str):
        value = strip_control_characters(value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula (formula injection); the text itself survives
    if bold:
        cell.font = Font(bold=True)
    return cell


def _new_sheet(book, name):
    columns = SHEETS[name]
    sheet = book.create_sheet(name)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(30, 2 * len(column.header) + 4)
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True, showErrorMessage=True
            )
            validation.error = f"请从下拉列表中选择:{'、'.join(column.choices)}"
            validation.errorTitle = column.header
            validation.add(f"{letter}2:{letter}1048576")  # the whole column below the header
            sheet.data_validations.append(validation)
    sheet.append([_cell(sheet, column.header, bold=True) for column in columns])
    return sheet


def _render(column, obj):
    if column.attr == "item_code":
        return obj.item.code
    if column.attr == "department":
        return obj.department.name
    if column.attr == "window":
        return obj.window.number if obj.window else None
    if column.attr == "co_departments":
        return "、".join(sorted(link.department.name for link in obj.co_department_links.all())) or None
    if column.attr == "halls":
        return "、".join(link.hall.name for link in obj.hall_links.all()) or CENTER_HALL_LABEL
    value = getattr(obj, column.attr)
    if column.choices:
        return column.labels.get(value, value)
    return value if value != "" else None


def write_catalog_workbook(items, target, *, progress=None) -> int:
    """Write the items (a queryset) as the three-sheet workbook to a path or binary file; the count."""
    items = items.select_related("department", "window").prefetch_related(
        "co_department_links__department", "hall_links__hall", "materials", "steps"
    ).order_by("code")
    book = openpyxl.Workbook(write_only=True)
    sheets = {name: _new_sheet(book, name) for name in SHEETS}
    count = 0
    for item in items.iterator(chunk_size=BATCH_SIZE):
        sheets[ITEM_SHEET].append([_cell(sheets[ITEM_SHEET], _render(c, item)) for c in ITEM_COLUMNS])
        for name, children in ((MATERIAL_SHEET, item.materials.all()), (STEP_SHEET, item.steps.all())):
            for child in children:
                child.item = item
                sheets[name].append([_cell(sheets[name], _render(c, child)) for c in SHEETS[name]])
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(f"已写出 {count} 个事项…", read=count, checked=count, written=count)
    book.save(target)
    return count


def write_blank_template(target) -> None:
    """The empty workbook: three sheets with their headers and drop-down lists for choice columns."""
    write_catalog_workbook(ServiceItem.objects.none(), target)
