"""`make bench-import`: the catalog import against its floor, each on a fresh SQLite database.

1. Generate the catalog (10,000 items, 60,000 materials, 30,000 steps) and a variant with every
   10th item changed (bench/generate_catalog.py).
2. Build one migrated SQLite database with the departments and windows the catalog names.
3. Run each phase in a fresh process on a fresh copy of that database:
   - floor:   openpyxl read-only parse of the same file + bulk_create of the same rows
              (no validation, no comparison, no history);
   - import:  registry.workbook.catalog_import with history rows by a user; then the same file
              again (nothing changes), then the changed variant; then the admin preview of the variant;
   - preview: the admin preview page of the whole catalog on the empty database (all new).
   `make bench` (bench/bench_all.py) uses three more phases: floor-history (the floor with history
   rows, the issue's floor), import-save (the first import, a copy of that database, then the changed
   variant) and reimport-floor (on that copy: the parse + bulk update of exactly the changed rows).

    .venv/bin/python bench/bench_import.py [--items 10000] [--dir DIR]
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate_catalog import django_setup, generate, reference_data  # noqa: E402

BENCH_USER = "bench"


@contextmanager
def counting_queries():
    from django.db import connection

    counter = {"queries": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def catalog_rows():
    from registry.models import ItemCoDepartment, Material, ProcedureStep, ServiceItem

    models = {"items": ServiceItem, "materials": Material, "steps": ProcedureStep, "co_departments": ItemCoDepartment}
    return {
        "rows": {name: model.objects.count() for name, model in models.items()},
        "history_rows": {name: model.history.count() for name, model in models.items()},
    }


def run_floor(path, user=None, history=False):
    """Parse the workbook read-only and bulk insert its rows as they are: the least any import must do.

    With `history`, the inserts are simple-history's `bulk_create_with_history` (user, change reason,
    one date), as the issue's floor says: the least an import that keeps history must do.
    """
    import openpyxl
    from django.db import transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from registry.models import ItemCoDepartment, Material, ProcedureStep, ServiceItem
    from registry.workbook import BATCH_SIZE, ITEM_SHEET, MATERIAL_SHEET, SHEETS, STEP_SHEET
    from staffing.models import Department, Window

    if history:
        options = {"default_user": user, "default_change_reason": f"Excel导入 {Path(path).name}", "default_date": timezone.now()}

        def insert(objs, model):
            bulk_create_with_history(objs, model, batch_size=BATCH_SIZE, **options)
    else:

        def insert(objs, model):
            model.objects.bulk_create(objs, batch_size=BATCH_SIZE)

    with counting_queries() as counter:
        start = time.perf_counter()
        with transaction.atomic():
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheets = {name: list(book[name].iter_rows(min_row=2, values_only=True)) for name in SHEETS}
            book.close()
            departments = dict(Department.objects.values_list("name", "pk"))
            windows = dict(Window.objects.values_list("number", "pk"))
            items, co_departments = [], []
            for row in sheets[ITEM_SHEET]:
                values = _plain_values(SHEETS[ITEM_SHEET], row)
                co_departments.append(values.pop("co_departments"))
                values["department_id"] = departments[values.pop("department")]
                values["window_id"] = windows.get(values.pop("window"))
                items.append(ServiceItem(**values))
            insert(items, ServiceItem)
            ids = {item.code: item.pk for item in items}
            links = [
                ItemCoDepartment(item_id=item.pk, department_id=departments[name])
                for item, name in zip(items, co_departments)
                if name
            ]
            insert(links, ItemCoDepartment)
            for name, model in ((MATERIAL_SHEET, Material), (STEP_SHEET, ProcedureStep)):
                children = []
                for row in sheets[name]:
                    values = _plain_values(SHEETS[name], row)
                    children.append(model(item_id=ids[values.pop("item_code")], **values))
                insert(children, model)
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "queries": counter["queries"], **catalog_rows()}


def run_reimport_floor(path, user, change_every=10):
    """The floor of the re-import: parse the changed workbook read-only, then bulk update the rows that
    differ with history (every `change_every`-th item's committed limit and its first material's name,
    known in advance: no comparison). Runs on a database holding the imported catalog."""
    import openpyxl
    from django.db import transaction
    from django.utils import timezone
    from simple_history.utils import bulk_update_with_history

    from registry.models import Material, ServiceItem
    from registry.workbook import BATCH_SIZE, ITEM_SHEET, MATERIAL_SHEET, SHEETS

    options = {"default_user": user, "default_change_reason": f"Excel导入 {Path(path).name}", "default_date": timezone.now()}
    with counting_queries() as counter:
        start = time.perf_counter()
        with transaction.atomic():
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheets = {name: list(book[name].iter_rows(min_row=2, values_only=True)) for name in SHEETS}
            book.close()
            columns = {name: [column.attr for column in SHEETS[name]] for name in SHEETS}
            changed = {}
            for row in sheets[ITEM_SHEET][change_every - 1 :: change_every]:
                values = dict(zip(columns[ITEM_SHEET], row))
                changed[values["code"]] = values["committed_limit_days"]
            names = {}
            for row in sheets[MATERIAL_SHEET]:
                values = dict(zip(columns[MATERIAL_SHEET], row))
                if values["order"] == 1 and values["item_code"] in changed:
                    names[values["item_code"]] = values["name"]
            items = list(ServiceItem.objects.filter(code__in=changed))
            for item in items:
                item.committed_limit_days = changed[item.code]
            bulk_update_with_history(items, ServiceItem, ["committed_limit_days"], batch_size=BATCH_SIZE, **options)
            materials = list(Material.objects.filter(item__code__in=changed, order=1).select_related("item"))
            for material in materials:
                material.name = names[material.item.code]
            bulk_update_with_history(materials, Material, ["name"], batch_size=BATCH_SIZE, **options)
        seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2), "queries": counter["queries"],
        "items_updated": len(items), "materials_updated": len(materials),
    }


def _plain_values(columns, row):
    values = {}
    for column, value in zip(columns, row):
        if column.choices:
            value = column.choices[value]
        elif value is None and column.attr not in ("statutory_limit_days", "committed_limit_days", "window", "co_departments"):
            value = ""
        values[column.attr] = value
    return values


def run_import(path, user=None):
    from registry.workbook import catalog_import

    with counting_queries() as counter:
        start = time.perf_counter()
        plan = catalog_import(path, user=user)
        seconds = time.perf_counter() - start
    assert plan.ok, [str(error) for error in plan.errors[:10]]
    return {"seconds": round(seconds, 2), "queries": counter["queries"], "summary": plan.summary, **catalog_rows()}


def run_preview(path, user, media_root):
    """Upload the workbook through the admin as a user would; the preview page's size and time."""
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    with override_settings(MEDIA_ROOT=media_root), open(path, "rb") as handle:
        start = time.perf_counter()
        response = client.post(reverse("admin:registry_serviceitem_catalog_import"), {"workbook": handle})
        seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return {"seconds": round(seconds, 2), "html_bytes": len(response.content)}


def setup_database():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    reference_data()
    get_user_model().objects.create_superuser(BENCH_USER, password="bench-only-password")


def run_phase(name, directory):
    """One phase on the database the process was started with; a JSON-able result."""
    from django.contrib.auth import get_user_model

    directory = Path(directory)
    catalog, changed = directory / "catalog.xlsx", directory / "catalog-changed.xlsx"
    if name == "setup":
        return setup_database()
    user = get_user_model().objects.get(username=BENCH_USER)
    if name == "floor":
        return run_floor(catalog)
    if name == "floor-history":
        return run_floor(catalog, user, history=True)
    if name == "reimport-floor":  # on a copy of the database saved by the phase "import-save"
        return run_reimport_floor(changed, user)
    if name == "import-save":  # the first import, a copy of the database, then the changed variant
        from django.db import connection

        first = run_import(catalog, user)
        database = Path(connection.settings_dict["NAME"])
        connection.close()
        shutil.copyfile(database, directory / "imported.sqlite3")
        return {"first": first, "changed": run_import(changed, user)}
    if name == "preview":
        return run_preview(catalog, user, directory / "media")
    first = run_import(catalog, user)
    again = run_import(catalog, user)
    if not changed.exists():
        return {"first": first, "again": again, "changed": None, "preview_of_changes": None}
    preview = run_preview(changed, user, directory / "media")  # before importing it: 1 in 10 items changed
    return {"first": first, "again": again, "changed": run_import(changed, user), "preview_of_changes": preview}


def subprocess_phase(name, directory, database):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    command = [sys.executable, __file__, "--phase", name, "--dir", str(directory)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"phase {name} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description="事项目录导入基准测试")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--dir", help="工作目录(默认临时目录,结束后删除)")
    parser.add_argument("--repeat", type=int, default=2, help="下限与导入各运行几次(交替进行),取最快的一次")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        django_setup()
        from django.conf import settings

        settings.DEBUG = False  # DEBUG logs every query's SQL: that would be timed too
        print(json.dumps(run_phase(args.phase, args.dir), ensure_ascii=False))
        return

    directory = Path(args.dir or tempfile.mkdtemp(prefix="bench-import-"))
    directory.mkdir(parents=True, exist_ok=True)
    django_setup()
    start = time.perf_counter()
    counts = generate(directory / "catalog.xlsx", items=args.items)
    generate(directory / "catalog-changed.xlsx", items=args.items, change_every=10)
    print(f"生成工作簿:{counts[0]} 个事项、{counts[1]} 条材料、{counts[2]} 个环节,{time.perf_counter() - start:.1f} 秒")
    template = directory / "template.sqlite3"
    template.unlink(missing_ok=True)
    subprocess_phase("setup", directory, template)
    runs = {"floor": [], "import": [], "preview": []}
    # Alternating runs, the fastest of each kept: another process on the machine slows one run, not all.
    for phase in ["floor", "import"] * args.repeat + ["preview"]:
        database = directory / f"{phase}.sqlite3"
        shutil.copyfile(template, database)
        runs[phase].append(subprocess_phase(phase, directory, database))
        print(f"{phase}: {json.dumps(runs[phase][-1], ensure_ascii=False)}", flush=True)
    results = {
        "floor": min(runs["floor"], key=lambda run: run["seconds"]),
        "import": min(runs["import"], key=lambda run: run["first"]["seconds"]),
        "preview": runs["preview"][0],
    }
    report(results, counts, args.repeat)
    if not args.dir:
        shutil.rmtree(directory)


def report(results, counts, repeat):
    floor, imported = results["floor"], results["import"]
    ratio = imported["first"]["seconds"] / floor["seconds"]
    print()
    print(f"机器:{platform.machine()},{os.cpu_count()} 核,Python {platform.python_version()}")
    print(f"工作簿:{counts[0]} 个事项、{counts[1]} 条材料、{counts[2]} 个环节;下限与导入各运行 {repeat} 次,取最快")
    print(f"下限(解析 + bulk_create):{floor['seconds']} 秒,{floor['queries']} 次查询")
    first = imported["first"]
    print(f"导入(含校验和历史):{first['seconds']} 秒,{first['queries']} 次查询,{first['summary']}")
    print(f"  历史记录行:{first['history_rows']}")
    print(f"比值:{ratio:.2f} 倍(目标 ≤ 2 倍){'' if ratio <= 2 else ' —— 超出目标!'}")
    print(f"再次导入同一文件:{imported['again']['seconds']} 秒,{imported['again']['queries']} 次查询,{imported['again']['summary']}")
    if imported["changed"]:
        changed = imported["changed"]
        print(f"导入每10个改1个的工作簿:{changed['seconds']} 秒,{changed['queries']} 次查询,{changed['summary']}")
        print(f"  历史记录行:{changed['history_rows']}")
    preview, changes = results["preview"], imported["preview_of_changes"]
    print(f"管理后台预览(全部新增):{preview['html_bytes'] / 1024:.0f} KB,{preview['seconds']} 秒")
    if changes:
        print(f"管理后台预览(每10个改1个):{changes['html_bytes'] / 1024:.0f} KB,{changes['seconds']} 秒")


if __name__ == "__main__":
    main()
