"""`make loadtest`: the center under load: gunicorn on a generated volume, driven by locust (bench/locustfile.py).

    .venv/bin/python bench/loadtest.py --users 50 --seconds 180                # PostgreSQL, 5 workers
    .venv/bin/python bench/loadtest.py --db sqlite --users 50 --seconds 180    # SQLite, 1 worker (contrast)
    .venv/bin/python bench/loadtest.py --users 50 --seconds 60 --wait 1-3      # capacity: 50 users clicking every 1–3 s

1. The database: PostgreSQL `loadtest` (LOADTEST_DATABASE_URL to change it) or var/bench/loadtest.sqlite3;
   migrated, and filled by `generate_volume --cases N` when it has no cases (kept for the next run).
2. Logins: a password for generate_volume's window staff, leaders and inspector (they have none), and
   for each clerk the items of their window and some cases of their department: var/bench/loadtest-users.json.
3. gunicorn (DEBUG off, as deployed behind a TLS proxy) with N workers on a free port; locust headless
   for the given users and seconds; gunicorn stopped.
4. `manage.py check_case_numbers --since <today>`: the numbers the load took are gap-free per window and day.
5. p50 / p95 / p99 and errors per page group; exit status 1 when the goal is missed: any error, a gap,
   or p95 above 300 ms for the lists and the case pages.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
PASSWORD = "Load-Test#2026"
GOAL_MS = 300
WARM_UP = 15
GOAL_GROUPS = ("列表", "办件页")
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/loadtest"


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(db) -> str:
    if db == "sqlite":
        return f"sqlite:///{BENCH_DIR / 'loadtest.sqlite3'}"
    return os.environ.get("LOADTEST_DATABASE_URL", PG_DEFAULT)


def manage(env, *arguments, check=True, capture=False):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, check=check,
                          text=True, capture_output=capture)


def ensure_postgres_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            say(f"创建 PostgreSQL 数据库 {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def ensure_volume(env, db, cases) -> dict:
    """Migrate; generate the volume when the database has no cases. Returns the sidecar facts."""
    if db != "sqlite":
        ensure_postgres_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", capture=True)
    sidecar = BENCH_DIR / f"loadtest-{db}.json"
    count = int(manage(env, "shell", "-c", "from casework.models import Case; print(Case.objects.count())",
                       capture=True).stdout.split()[-1])
    if count and sidecar.exists():
        facts = json.loads(sidecar.read_text())
        say(f"沿用已生成的数据:{count:,} 件办件(生成用时 {facts['seconds']:.0f} 秒)")
        return {**facts, "cases_now": count}
    if count:
        say(f"数据库已有 {count:,} 件办件,沿用")
        return {"cases": count, "seconds": 0, "cases_now": count}
    say(f"generate_volume --cases {cases:,} …")
    started = time.monotonic()
    manage(env, "generate_volume", "--items", "10000", "--cases", str(cases), "--history", str(cases * 2), "--force")
    facts = {"cases": cases, "seconds": time.monotonic() - started}
    sidecar.write_text(json.dumps(facts))
    return {**facts, "cases_now": cases}


def prepare_logins(path: Path) -> dict:
    """Runs inside Django (--prepare): passwords and the per-clerk items and cases for the locustfile."""
    from bench.generate_catalog import django_setup

    django_setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from casework import selectors
    from casework.models import Case
    from staffing import roles
    from staffing.models import Staff

    def staff_of(*role_names):
        return list(Staff.objects.filter(user__groups__name__in=role_names, is_active=True).select_related("user").distinct())

    clerks = staff_of(roles.WINDOW_STAFF)[:60]
    leaders = staff_of(roles.MAIN_LEADER, roles.LEADER_IN_CHARGE)
    inspectors = staff_of(roles.INSPECTOR)
    everyone = clerks + leaders + inspectors
    # One hash for all (each make_password costs the hasher's full work).
    User.objects.filter(pk__in=[s.user_id for s in everyone]).update(password=make_password(PASSWORD), is_active=True)
    # A signed-in session per login and locust user, made here: 50 users signing in through the form at
    # once would spend the run hashing passwords (PBKDF2, about a second of CPU each on this machine),
    # which is not the traffic measured. The login form is still exercised by the warm-up's first users.
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    def sessions_for(staff, n=1):
        user = User.objects.get(pk=staff.user_id)
        keys = []
        for _ in range(n):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            keys.append(session.session_key)
        return keys

    clerk_rows = []
    for staff in clerks:
        items = list(selectors.receivable_items(staff.user).filter(window_id=staff.window_id).values_list("pk", flat=True)[:5])
        cases = list(Case.objects.filter(department_id=staff.department_id).order_by("-pk").values_list("pk", flat=True)[:30])
        if items and cases:
            clerk_rows.append({"username": staff.user.username, "items": items, "cases": cases, "sessions": sessions_for(staff)})
    followed = list(Case.history.filter(history_type="~").order_by("-history_id").values_list("id", flat=True)[:200])
    data = {
        "password": PASSWORD,
        "clerks": clerk_rows,
        "leaders": [{"username": s.user.username, "sessions": sessions_for(s, 20)} for s in leaders],
        "inspectors": [{"username": s.user.username, "sessions": sessions_for(s, 40)} for s in inspectors],
        "followed_cases": sorted(set(followed)) or [Case.objects.order_by("-pk").values_list("pk", flat=True).first()],
    }
    path.write_text(json.dumps(data, ensure_ascii=False))
    return data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn 未能启动")


def read_stats(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append({
                "name": row["Name"] if row["Name"] != "Aggregated" else "合计", "method": row["Type"],
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0), "p95": float(row["95%"] or 0), "p99": float(row["99%"] or 0),
                "rps": float(row["Requests/s"] or 0),
            })
    return rows


def group_rows(rows) -> list[dict]:
    """GET and POST of the same name together would mix two distributions: kept apart, POST labelled."""
    out = []
    for row in rows:
        name = row["name"] if row["method"] in ("GET", "") or row["name"] == "合计" else f"{row['name']}(提交)"
        out.append({**row, "name": name})
    return out


def main():
    parser = argparse.ArgumentParser(description="负载测试:gunicorn + locust,之后核对办件编号")
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--cases", type=int, default=200_000, help="数据库为空时生成的办件数")
    parser.add_argument("--workers", type=int, help="gunicorn 进程数(默认 PostgreSQL 5,SQLite 1)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--wait", default="5-15", help="每个用户两次请求之间等待的秒数范围,如 5-15(默认)或 1-3")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare_logins(Path(args.prepare))
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    workers = args.workers or (1 if args.db == "sqlite" else 5)
    env = {**os.environ, "DATABASE_URL": database_url(args.db), "SECRET_KEY": "loadtest-only-" + "x" * 40}
    volume = ensure_volume(env, args.db, args.cases)
    users_file = BENCH_DIR / "loadtest-users.json"
    subprocess.run([sys.executable, __file__, "--prepare", str(users_file)], env=env, cwd=ROOT, check=True)
    logins = json.loads(users_file.read_text())
    say(f"登录账号:窗口人员 {len(logins['clerks'])},领导 {len(logins['leaders'])},督查 {len(logins['inspectors'])}")
    today = manage(env, "shell", "-c", "from django.utils import timezone; print(timezone.localdate())", capture=True).stdout.split()[-1]

    port = free_port()
    server_env = {**env, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                  "CONN_MAX_AGE": "60", "DJANGO_SETTINGS_MODULE": "bench.loadtest_settings"}
    bin_dir = Path(sys.executable).parent
    gunicorn = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "project.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120", "--preload",
         "--access-logfile", "-" if os.environ.get("LOADTEST_ACCESS_LOG") else "/dev/null"],
        env=server_env, cwd=ROOT,
    )
    load = {}
    try:
        wait_for(port)
        prefix = BENCH_DIR / f"loadtest-{args.db}"

        def locust(users, seconds, csv_prefix, extra_env=None):
            # --reset-stats: the figures start once every user is logged in (the logins' password
            # hashing, at the start only, is not the traffic measured).
            subprocess.run(
                [str(bin_dir / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
                 "-r", str(args.spawn_rate), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--reset-stats",
                 "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
                env={**env, "LOADTEST_USERS": str(users_file), "LOADTEST_WAIT": args.wait, **(extra_env or {})}, cwd=ROOT, check=False,
                stdout=subprocess.DEVNULL if csv_prefix != prefix else None,
            )

        say(f"gunicorn {workers} 个进程,端口 {port};预热 {WARM_UP} 秒(每个进程的模板、数据库缓存;登录表单)")
        locust(min(args.users, 10), WARM_UP, BENCH_DIR / "loadtest-warmup", {"LOADTEST_SIGN_IN": "1"})
        say(f"locust {args.users} 个用户,每次点击间隔 {args.wait} 秒,{args.seconds} 秒")
        load["start"] = os.getloadavg()
        locust(args.users, args.seconds, prefix)
        load["end"] = os.getloadavg()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    rows = group_rows(read_stats(prefix))
    numbers = manage(env, "check_case_numbers", "--since", today, check=False, capture=True)
    gap_free = numbers.returncode == 0
    print()
    print(f"| 页面组 | 请求数 | 错误 | p50 | p95 | p99 | 每秒请求 |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['name']} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} ms | {row['p95']:.0f} ms "
              f"| {row['p99']:.0f} ms | {row['rps']:.1f} |")
    print()
    print((numbers.stdout + numbers.stderr).strip())
    errors = sum(row["failures"] for row in rows if row["name"] != "合计")
    slow = [row for row in rows if row["name"] in GOAL_GROUPS and row["p95"] > GOAL_MS]
    met = not errors and gap_free and not slow
    result = {
        "db": args.db, "workers": workers, "users": args.users, "seconds": args.seconds, "wait": args.wait, "volume": volume,
        "rows": rows, "errors": errors, "gap_free": gap_free, "met": met, "load": load, "date": str(today),
        "nproc": os.cpu_count(),
    }
    (BENCH_DIR / f"loadtest-{args.db}-result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    verdict = "达到" if met else "未达到"
    say(f"目标({args.users} 个用户,每次点击间隔 {args.wait} 秒,无错误,列表和办件页 p95 ≤ {GOAL_MS} ms,编号连续):{verdict}"
        + (f";错误 {errors} 个" if errors else "") + ("" if gap_free else ";编号不连续")
        + "".join(f";{row['name']} p95 {row['p95']:.0f} ms" for row in slow))
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
