"""A deterministic catalog workbook for the import benchmark (and its smoke test).

`generate(path, items=10_000)` writes `items` items with 6 materials and 3 steps each, across the
departments and windows of `DEPARTMENTS`/`WINDOWS` (which `reference_data()` creates), every handling
mode and item type, all valid under the rules. `change_every=n` changes every n-th item (its committed
limit and its first material) to measure a re-import with changes.

    python bench/generate_catalog.py catalog.xlsx [--items 10000] [--change-every 10]
"""

import argparse
import os
import sys
from pathlib import Path

MATERIALS_PER_ITEM = 6
STEPS_PER_ITEM = 3
DEPARTMENT_NAMES = [
    "市场监督管理局", "公安局", "人力资源和社会保障局", "民政局", "自然资源局", "住房和城乡建设局",
    "交通运输局", "农业农村局", "水利局", "商务局", "文化广电新闻出版旅游局", "卫生健康委员会",
    "应急管理局", "林业局", "生态环境分局", "税务局", "医疗保障局", "退役军人事务局",
    "教育体育局", "司法局", "财政局", "发展和改革委员会", "工业和信息化局", "统计局",
    "城市管理局", "残疾人联合会", "公积金管理中心", "不动产登记中心", "烟草专卖局", "气象局",
]  # fmt: skip
DEPARTMENTS = [f"县{name}" for name in DEPARTMENT_NAMES]
WINDOWS = [f"{number:02d}" for number in range(1, len(DEPARTMENTS) + 1)]  # window i belongs to department i
ITEM_TYPES = ["行政许可", "行政确认", "行政给付", "行政裁决", "行政奖励", "行政备案", "其他行政权力", "公共服务"]
FORMS = ["原件", "复印件", "原件和复印件", "电子"]


def django_setup():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django

    django.setup()


def reference_data():
    """The departments and windows the generated catalog names (idempotent)."""
    from staffing.models import Department, Window

    for index, (name, number) in enumerate(zip(DEPARTMENTS, WINDOWS), start=1):
        department, _ = Department.objects.get_or_create(name=name, defaults={"sort_order": index})
        Window.objects.get_or_create(number=number, defaults={"name": f"{name}窗口", "department": department})


def item_row(i, change):
    mode = ("即办件", "承诺件", "联办件", "上报件")[i % 4]
    department = i % len(DEPARTMENTS)
    immediate = mode == "即办件"
    committed = 0 if immediate else (8 if change else 10)
    fee = i % 5 == 0
    return [
        f"BENCH-{i:06d}", f"事项{i:06d}", f"子项{i % 3}" if i % 3 else None, ITEM_TYPES[i % len(ITEM_TYPES)],
        DEPARTMENTS[department], WINDOWS[department], mode, 5 if immediate else 20, committed,
        f"《某某管理条例》第{i % 90 + 1}条", "申请人符合法定条件,材料齐全、符合法定形式。",
        "是" if fee else "否", "按件收取,每件10元" if fee else None, "赣发改收费〔2020〕1号" if fee else None,
        "受理—审核—决定—送达", f"准予许可决定书{i % 7}", "县行政服务中心一楼大厅", "工作日 8:00-12:00 14:00-18:00",
        f"联系人{i % 97}", f"0797-87{i % 10000:05d}", None, 1 + i % 2, "是" if i % 2 else "否", "是" if i % 50 == 0 else "否",
        DEPARTMENTS[(department + 1) % len(DEPARTMENTS)] if mode == "联办件" else None,
        "市行政审批局" if mode == "上报件" else None, "在用" if i % 10 else "草稿",
    ]  # fmt: skip


def material_rows(i, change):
    for order in range(1, MATERIALS_PER_ITEM + 1):
        name = f"申请材料{order}" + ("(新版)" if change and order == 1 else "")
        yield [f"BENCH-{i:06d}", order, name, FORMS[(i + order) % 4], 1 + order % 2, "是" if order < 5 else "否",
               "申请人自备", None]  # fmt: skip


def step_rows(i):
    days = (0, 0, 0) if i % 4 == 0 else (1, 5, 2)
    for order, (name, limit) in enumerate(zip(("受理", "审核", "决定"), days), start=1):
        yield [f"BENCH-{i:06d}", order, name, limit, "是"]


def generate(path, *, items=10_000, change_every=0):
    """Write the workbook; return (items, materials, steps) counts."""
    import openpyxl

    from registry.workbook import ITEM_SHEET, MATERIAL_SHEET, SHEETS, STEP_SHEET

    book = openpyxl.Workbook(write_only=True)
    sheets = {name: book.create_sheet(name) for name in SHEETS}
    for name, sheet in sheets.items():
        sheet.append([column.header for column in SHEETS[name]])
    materials = steps = 0
    for i in range(1, items + 1):
        change = bool(change_every) and i % change_every == 0
        sheets[ITEM_SHEET].append(item_row(i, change))
        for row in material_rows(i, change):
            sheets[MATERIAL_SHEET].append(row)
            materials += 1
        for row in step_rows(i):
            sheets[STEP_SHEET].append(row)
            steps += 1
    book.save(path)
    return items, materials, steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--change-every", type=int, default=0)
    args = parser.parse_args()
    django_setup()
    print("items, materials, steps:", generate(args.path, items=args.items, change_every=args.change_every))


if __name__ == "__main__":
    main()
