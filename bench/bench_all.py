"""`make bench`: every benchmark of issue 11, each path against its floor, written into docs/performance.md.

    .venv/bin/python bench/bench_all.py            # full sizes, writes the table into docs/performance.md
    .venv/bin/python bench/bench_all.py --quick    # about 2 % of the sizes, report in var/bench/report.md
    BENCH_SCALE=0.1 .venv/bin/python bench/bench_all.py   # any fraction of the sizes

Full sizes: the catalog import with 10,000 items (60,000 materials, 30,000 steps); 1,000,000 cases and
2,000,000 history rows for the lists, the statistics and the timeline; 1,000,000 working-day sums.
Every database is a SQLite file under var/bench/ (never the demo database var/db.sqlite3):

1. template.sqlite3: an empty migrated database, rebuilt when a migration is newer;
2. the catalog phases (bench/bench_import.py), each in a fresh process on a fresh copy, in rounds
   (floor, import then re-import, re-import floor); the medians are kept;
3. volume.sqlite3: `manage.py generate_volume` (timed; --reuse keeps a volume of the same sizes);
4. bench/bench_volume.py on it: the lists, statistics, timeline and working days, with profiles of
   the paths that miss their target.

Only a full-size run writes docs/performance.md (unless --write); a reduced run writes var/bench/report.md.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin (written by make bench) -->", "<!-- bench:end -->"
FLAT_BEGIN, FLAT_END = "<!-- bench-flat:begin (written by make bench) -->", "<!-- bench-flat:end -->"
FULL = {"items": 10_000, "cases": 1_000_000, "history": 2_000_000, "calls": 1_000_000}
# The small volume of the flat-cost table: the same catalog and organisation, a hundredth of the cases;
# history: the catalog's ~101,000 rows and about two per case, so that the newest rows are cases' too.
SMALL = {"items": 10_000, "cases": 10_000, "history": 120_000}


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> dict:
    cpu = "unknown"
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
                break
    except OSError:
        pass
    import django

    return {
        "date": datetime.date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "machine": platform.machine(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(),
        "load": os.getloadavg(),
    }


def manage(database, *arguments, capture=True):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments], env=env, check=True, text=True,
        capture_output=capture, cwd=ROOT,
    )


def template_database() -> Path:
    """An empty migrated database, rebuilt when any migration file is newer than it."""
    template = BENCH_DIR / "template.sqlite3"
    newest = max(path.stat().st_mtime for path in ROOT.glob("*/migrations/*.py"))
    if not template.exists() or template.stat().st_mtime < newest:
        say("迁移空数据库(模板)…")
        template.unlink(missing_ok=True)
        partial = BENCH_DIR / "template-partial.sqlite3"
        partial.unlink(missing_ok=True)
        manage(partial, "migrate", "--noinput")
        partial.rename(template)
    return template


def fresh_copy(template, name) -> Path:
    target = BENCH_DIR / name
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


# ---------------------------------------------------------------- the catalog import


def catalog(template, items, rounds) -> dict:
    from bench import bench_import
    from bench.generate_catalog import generate

    directory = BENCH_DIR / "catalog"
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    counts = generate(directory / "catalog.xlsx", items=items)
    generate(directory / "catalog-changed.xlsx", items=items, change_every=10)
    say(f"目录工作簿:{counts[0]:,} 个事项、{counts[1]:,} 条材料、{counts[2]:,} 个环节,{time.perf_counter() - started:.0f} 秒")
    base = fresh_copy(template, "catalog-base.sqlite3")
    bench_import.subprocess_phase("setup", directory, base)
    runs = {"floor": [], "import": [], "changed": [], "reimport_floor": []}

    def phase(name, source, copy_name):
        """A phase on a fresh copy of `source`; one more try (on a fresh copy) if it fails."""
        for attempt in (1, 2):
            try:
                return bench_import.subprocess_phase(name, directory, fresh_copy(source, copy_name))
            except RuntimeError as error:
                say(f"{name} 失败(第 {attempt} 次):{str(error)[-800:]}")
                if attempt == 2:
                    raise

    for round_number in range(1, rounds + 1):
        floor = phase("floor-history", base, "catalog-floor.sqlite3")
        runs["floor"].append(floor)
        done = phase("import-save", base, "catalog-import.sqlite3")
        runs["import"].append(done["first"])
        runs["changed"].append(done["changed"])
        runs["reimport_floor"].append(phase("reimport-floor", directory / "imported.sqlite3", "catalog-imported.sqlite3"))
        say(
            f"目录第 {round_number} 轮:下限 {floor['seconds']} 秒,导入 {done['first']['seconds']} 秒;"
            f"改动一成的下限 {runs['reimport_floor'][-1]['seconds']} 秒,再导入 {done['changed']['seconds']} 秒"
        )
    return {"counts": counts, "runs": runs, "rounds": rounds}


def catalog_results(data) -> list[dict]:
    runs = data["runs"]

    def median(name, key="seconds"):
        return statistics.median(run[key] for run in runs[name])

    items, materials, steps = data["counts"]
    size = f"{items:,} 个事项、{materials:,} 条材料、{steps:,} 个环节"
    first, floor = median("import"), median("floor")
    changed, reimport_floor = median("changed"), median("reimport_floor")
    summary = runs["changed"][0]["summary"]
    return [
        {
            "name": "事项目录导入(工作簿3个工作表,全部新增)", "size": size, "seconds": first, "floor": floor,
            "ratio": first / floor, "queries": runs["import"][0]["queries"], "floor_queries": runs["floor"][0]["queries"],
            "target": {"ratio": 1.5}, "met": first / floor <= 1.5,
            "note": f"下限:openpyxl 只读解析 + bulk_create_with_history;历史行 {sum(runs['import'][0]['history_rows'].values()):,}",
        },
        {
            "name": "事项目录再导入(一成事项有改动)", "size": size, "seconds": changed, "floor": reimport_floor,
            "ratio": changed / reimport_floor, "queries": runs["changed"][0]["queries"],
            "floor_queries": runs["reimport_floor"][0]["queries"], "target": {"ratio": 2}, "met": changed / reimport_floor <= 2,
            "note": f"下限:同样的解析 + 改动行的 bulk_update_with_history;导入结果:{summary}",
        },
    ]


# ---------------------------------------------------------------- the volume


def volume(template, sizes, seed, reuse, name="volume") -> dict:
    database = BENCH_DIR / f"{name}.sqlite3"
    sidecar = BENCH_DIR / f"{name}.json"
    wanted = {**{key: sizes[key] for key in ("items", "cases", "history")}, "seed": seed}
    if reuse and database.exists() and sidecar.exists():
        previous = json.loads(sidecar.read_text())
        if previous.get("sizes") == wanted:
            say(f"沿用已生成的数据库 {database.name}(生成用时 {previous['seconds']:.0f} 秒),执行新的迁移")
            manage(database, "migrate", "--noinput")
            return {**previous, "database": str(database), "reused": True}
    database = fresh_copy(template, f"{name}.sqlite3")
    sidecar.unlink(missing_ok=True)
    say(f"generate_volume --items {sizes['items']:,} --cases {sizes['cases']:,} --history {sizes['history']:,} …")
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    command = [sys.executable, str(ROOT / "manage.py"), "generate_volume", "--items", str(sizes["items"]),
               "--cases", str(sizes["cases"]), "--history", str(sizes["history"]), "--seed", str(seed)]
    output = []
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            output.append(line.rstrip())
            print("    " + line.rstrip(), flush=True)
    if process.returncode:
        raise SystemExit(f"generate_volume 失败({process.returncode})")
    seconds = time.perf_counter() - started
    data = {"sizes": wanted, "seconds": seconds, "log": output[-6:], "bytes": database.stat().st_size}
    sidecar.write_text(json.dumps(data, ensure_ascii=False))
    return {**data, "database": str(database), "reused": False}


def flat_cost(small, big, runs, rounds) -> dict:
    """bench/bench_flat.py on the small and the big volume, alternately (`rounds` times each, so that the
    load of the other sessions falls on both alike); per page the median of all its runs on each."""
    samples = {"small": {}, "big": {}}
    facts = {}
    for _ in range(rounds):
        for key, database in (("small", small), ("big", big)):
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
            command = [sys.executable, str(ROOT / "bench" / "bench_flat.py"), "--runs", str(runs)]
            done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
            data = json.loads(done.stdout.strip().splitlines()[-1])
            facts[key] = data["cases"]
            if data.get("filled"):
                facts[f"{key}_filled"] = data["filled"]
            for name, row in data["results"].items():
                samples[key].setdefault(name, {**row, "samples": []})["samples"].extend(row["samples"])
    rows = []
    for name, small_row in samples["small"].items():
        big_row = samples["big"][name]
        small_s, big_s = statistics.median(small_row["samples"]), statistics.median(big_row["samples"])
        ratio = big_s / small_s
        rows.append({
            "name": small_row["label"], "small": small_s, "big": big_s, "ratio": ratio, "target": small_row["target"],
            "met": ratio <= small_row["target"], "queries": (small_row["queries"], big_row["queries"]),
            "rows": (small_row.get("rows"), big_row.get("rows")), "runs": len(big_row["samples"]),
        })
    return {"cases": facts, "rows": rows}


def flat_report(info, flat, elapsed) -> str:
    small, big = flat["cases"]["small"], flat["cases"]["big"]
    load_end = os.getloadavg()
    lines = [
        f"Measured {info['date']} by `make bench` in {elapsed / 60:.1f} minutes; {info['nproc']} cores ({info['cpu']}), "
        f"SQLite {info['sqlite']}; load average {info['load'][0]:.2f} at the start, {load_end[0]:.2f} at the end "
        "(other sessions share the machine: the absolute times are theirs as much as ours, the ratios compare "
        "runs made alternately under the same load).",
        "",
        f"| page | {small:,} cases | {big:,} cases | ratio | rows shown | queries | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in flat["rows"]:
        met = "✅ 达标" if row["met"] else "❌ 未达标"
        queries = "{} / {}".format(*row["queries"])
        shown = "{} / {}".format(*row["rows"]) if row.get("rows", (None,))[0] is not None else "—"
        lines.append(f"| {row['name']} | {duration(row['small'])} | {duration(row['big'])} | {row['ratio']:.2f}× | {shown} | {queries} "
                     f"| ≤ {row['target']:g}× | {met} |")
    lines.append("")
    lines.append(f"Median of {flat['rows'][0]['runs']} runs per page and volume (test client, whole request, logged in).")
    filled = {key: value for key, value in flat["cases"].items() if key.endswith("_filled")}
    lines.append("")
    lines.append("Both volumes show a full page of each list (rows shown): before timing, bench/bench_flat.py "
                 "`full_pages` moves the due date of running cases into the due-soon period and gives applicants the "
                 "surname 王 until each list has 50 rows (at 10,000 cases the generator leaves 3 and 37)"
                 + (": in this run " + "; ".join(
                     f"{flat['cases'][key.removesuffix('_filled')]:,} cases: {value.get('due_soon', 0)} due dates, "
                     f"{value.get('search', 0)} surnames" for key, value in filled.items()) if filled else "")
                 + "." + " A list of one page is read in one query (Django's changelist then skips the paginator, which "
                 "reads a page's ids first): hence 12 queries for a list of exactly 50 rows and 13 for a longer one.")
    return "\n".join(lines)


def volume_benchmarks(database, runs, calls) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    command = [sys.executable, str(ROOT / "bench" / "bench_volume.py"), "--runs", str(runs), "--calls", str(calls), "--profile"]
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the report


def duration(seconds) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.2f} µs"


def target_text(target) -> str:
    parts = []
    if target.get("ratio") is not None:
        parts.append(f"≤ {target['ratio']:g}×")
    if target.get("queries") is not None:
        parts.append(f"≤ {target['queries']} 次查询")
    if target.get("microseconds") is not None:
        parts.append(f"< {target['microseconds']:g} µs/次")
    return ",".join(parts)


def report(info, results, volume_data, bench_sizes, profiles, scale, elapsed, filters=()) -> str:
    load_start, load_end = info["load"], os.getloadavg()
    lines = [
        f"Measured {info['date']} by `make bench` (bench/bench_all.py) in {elapsed / 60:.1f} minutes, "
        f"scale {scale:g}{' (full sizes)' if scale == 1 else ' — REDUCED SIZES, not the recorded table'}.",
        f"Machine: {info['nproc']} cores ({info['cpu']}, {info['machine']}), {info['memory']} RAM; Python {info['python']}, "
        f"Django {info['django']}, SQLite {info['sqlite']}; load average {load_start[0]:.2f} at the start, "
        f"{load_end[0]:.2f} at the end (other sessions share the machine).",
        "",
        "| path | size | median time | floor | ratio | queries | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in results:
        ratio = f"{row['ratio']:.2f}×" if row.get("ratio") else "—"
        queries = str(row["queries"]) if row.get("queries") is not None else "—"
        if row.get("floor_queries") is not None:
            queries += f"(下限 {row['floor_queries']})"
        met = {True: "✅ 达标", False: "❌ 未达标", None: "—"}[row["met"]]
        name = f"{row['name']}<br><small>{row['note']}</small>" if row.get("note") else row["name"]
        lines.append(
            f"| {name} | {row['size']} | {duration(row['seconds'])} | {duration(row['floor'])} | {ratio} | {queries} "
            f"| {target_text(row['target'])} | {met} |"
        )
    lines += ["", "Sizes of the volume database (`generate_volume`):", ""]
    sizes = bench_sizes
    lines.append(
        f"- {sizes['cases']:,} cases ({sizes['open']:,} open, {sizes['overdue']:,} overdue, {sizes['due_soon']:,} due soon), "
        f"{sizes['history_rows']:,} history rows in all (`{sizes['biggest_history_table']}`: {sizes['biggest_history_rows']:,})."
    )
    generated = "reused from an earlier run" if volume_data.get("reused") else "generated in this run"
    lines.append(
        f"- Generation: {volume_data['seconds']:.0f} s ({volume_data['seconds'] / 60:.1f} min, {generated}), "
        f"database file {volume_data['bytes'] / 1e9:.2f} GB."
    )
    if filters:
        lines += ["", "For information, the case list (center administrator) with each filter and the search, and two "
                  "other pages, median of 3:", "", "| filter or page | time | queries |", "|---|---|---|"]
        for row in filters:
            label = row.get("label") or "`{}`".format("&".join(f"{k}={v}" for k, v in row["params"].items()) or "(none)")
            lines.append(f"| {label} | {duration(row['seconds'])} | {row['queries']} |")
    if profiles:
        lines += ["", "Where the time goes in the paths that miss their target (cProfile, per run, own time by layer; "
                  "cProfile slows Python code, not the database, so the shares lean towards Python):", ""]
        for name, data in profiles.items():
            layers = ", ".join(f"{label} {seconds * 1000:.0f} ms" for label, seconds in data["layers"][:6])
            lines.append(f"- **{name}** — {data['total'] * 1000:.0f} ms profiled: {layers}.")
            top = "; ".join(f"`{where}` {own * 1000:.0f} ms" for own, _, where in data["functions"][:5])
            lines.append(f"  Costliest functions (own time): {top}.")
    return "\n".join(lines)


def write_doc(text, begin=BEGIN, end=END, heading="## Benchmarks at scale (`make bench`)"):
    content = DOC.read_text()
    block = f"{begin}\n{text}\n{end}"
    if begin in content and end in content:
        before, rest = content.split(begin, 1)
        _, after = rest.split(end, 1)
        content = before + block + after
    else:
        content = content.rstrip() + f"\n\n{heading}\n\n" + block + "\n"
    DOC.write_text(content)


def main():
    parser = argparse.ArgumentParser(description="全部基准测试(每项与其下限对比),结果写入 docs/performance.md")
    parser.add_argument("--quick", action="store_true", help="约 2% 的规模,快速检查")
    parser.add_argument("--reuse", action="store_true", help="(默认即沿用)沿用 var/bench/ 中同样规模的已生成数据库")
    parser.add_argument("--regenerate", action="store_true", help="重新生成数据库,不沿用")
    parser.add_argument("--flat-only", action="store_true", help="只测固定成本表(1万件与100万件对比)")
    parser.add_argument("--flat-rounds", type=int, default=1, help="固定成本表:两个库交替测的轮数")
    parser.add_argument("--write", action="store_true", help="缩小规模时也写入 docs/performance.md")
    parser.add_argument("--no-write", action="store_true", help="不写 docs/performance.md")
    parser.add_argument("--skip-catalog", action="store_true", help="不测事项目录导入")
    parser.add_argument("--rounds", type=int, help="目录导入的轮数(默认:完整规模 2,缩小规模 1)")
    parser.add_argument("--runs", type=int, default=7, help="其余各项的运行次数(取中位数)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    scale = 0.02 if args.quick else float(os.environ.get("BENCH_SCALE", "1"))
    sizes = {key: max(200 if key == "items" else 1000, int(value * scale)) for key, value in FULL.items()}
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # This process only reads settings; its default database is a bench file, never var/db.sqlite3.
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'template.sqlite3'}"
    from bench.generate_catalog import django_setup

    django_setup()
    started = time.perf_counter()
    info = machine()
    say(f"规模 {scale:g}:{sizes['items']:,} 个事项,{sizes['cases']:,} 件办件,{sizes['history']:,} 行历史;{info['nproc']} 核 {info['cpu']}")
    template = template_database()
    reuse = not args.regenerate
    writes = (scale == 1 or args.write) and not args.no_write
    small_sizes = {key: max(200 if key == "items" else 1000, int(value * scale)) for key, value in SMALL.items()}
    small = volume(template, small_sizes, args.seed, reuse, name="volume-small")
    big = volume(template, sizes, args.seed, reuse)
    say(f"固定成本表:{small_sizes['cases']:,} 件与 {sizes['cases']:,} 件,交替 {args.flat_rounds} 轮,每轮每页 {args.runs} 次…")
    flat = flat_cost(small["database"], big["database"], args.runs, args.flat_rounds)
    flat_text = flat_report(info, flat, time.perf_counter() - started)
    print()
    print(flat_text)
    (BENCH_DIR / "flat.json").write_text(json.dumps(flat, ensure_ascii=False, indent=1))
    if writes:
        write_doc(flat_text, FLAT_BEGIN, FLAT_END, "## Flat cost with volume (`make bench`)")
        say(f"固定成本表已写入 {DOC.relative_to(ROOT)}")
    else:
        (BENCH_DIR / "flat-report.md").write_text(flat_text + "\n")
    if args.flat_only:
        return
    results = []
    if not args.skip_catalog:
        rounds = args.rounds or (2 if scale >= 1 else 1)
        results += catalog_results(catalog(template, sizes["items"], rounds))
    volume_data = big
    say("测量列表、统计、时间线和工作日计算…")
    measured = volume_benchmarks(volume_data["database"], args.runs, sizes["calls"])
    results += measured["results"]
    elapsed = time.perf_counter() - started
    text = report(
        info, results, volume_data, measured["sizes"], measured["profiles"], scale, elapsed, measured.get("filters", ())
    )
    print()
    print(text)
    (BENCH_DIR / "results.json").write_text(json.dumps({"machine": info, "results": results, "volume": measured["sizes"],
                                                          "generation": volume_data, "profiles": measured["profiles"]},
                                                         ensure_ascii=False, indent=1, default=str))
    if writes:
        write_doc(text)
        say(f"已写入 {DOC.relative_to(ROOT)}")
    else:
        (BENCH_DIR / "report.md").write_text(text + "\n")
        say(f"缩小规模:结果写入 {(BENCH_DIR / 'report.md').relative_to(ROOT)}(docs/performance.md 不变)")
    say(f"完成,共 {elapsed / 60:.1f} 分钟")


if __name__ == "__main__":
    main()
