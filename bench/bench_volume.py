"""The benchmarks at volume, each path against its floor in the same process (docs/performance.md).

Run on a database filled by `manage.py generate_volume` (bench/bench_all.py does both):

    DATABASE_URL=sqlite:///var/bench/volume.sqlite3 .venv/bin/python bench/bench_volume.py [--runs 7]

Every path and its floor run alternately, after one warm-up run each; the medians are kept. Pages
go through Django's test Client (the whole request: middleware, admin, templates) as a logged-in
center administrator or inspector; floors are the least the database must do for the same answer:

- case list: the same page of the changelist's queryset fetched with the ORM alone (no count, no
  admin, no template);
- overdue / due-soon lists: one indexed range query for a page of those cases, in SQL;
- statistics: one aggregate over the period's cases, in SQL (what the page read before the rollups);
- history timeline: the newest page of the biggest history table alone, in SQL (for the filtered
  page: that record's newest page);
- working days: no floor; 1,000,000 calls of WorkCalendar.add_working_days on one cached calendar.

Prints one JSON line: the results, the sizes and, with --profile, where the time of each path that
misses its target goes.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate_catalog import django_setup  # noqa: E402

PAGE = 50
CASE_LIST_FILTERS = [
    {}, {"status__exact": "in_progress"}, {"status__exact": "delivered"}, {"handling_mode__exact": "report_up"},
    {"priority__exact": "1"}, {"department": "2"}, {"deadline": "overdue"}, {"deadline": "due_soon"},
    {"deadline": "deemed"}, {"deadline": "same_day"}, {"q": "G001-20261126-0001"}, {"q": "王"},
]


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def count_queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def compare(path, floor, runs):
    """Medians of `runs` alternate runs of path and floor, after a warm-up of each."""
    path(), floor()
    path_times, floor_times = [], []
    for _ in range(runs):
        path_times.append(timed(path))
        floor_times.append(timed(floor))
    return statistics.median(path_times), statistics.median(floor_times)


def raw(sql, params=()):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def bench_users():
    """A center administrator and an inspector with staff records (created once in the bench database)."""
    from django.contrib.auth.models import Group

    from staffing import roles, services
    from staffing.models import Department, Staff

    users = {}
    department = Department.objects.order_by("pk").first()
    for badge, name, role in (("BENCH-ADMIN", "基准管理员", roles.CENTER_ADMIN), ("BENCH-INSPECT", "基准督查员", roles.INSPECTOR)):
        staff = Staff.objects.filter(badge_no=badge).select_related("user").first()
        if staff is None:
            staff = services.staff_create(name=name, badge_no=badge, department=department)
            staff.user.groups.add(Group.objects.get(name=role))
        users[role] = staff.user
    return users[roles.CENTER_ADMIN], users[roles.INSPECTOR]


def client_for(user):
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def page(client, url, params=None):
    def get():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, params, response.status_code)
        return response

    return get


def changelist_queryset(user, params):
    """The queryset the case changelist pages through, built by the admin itself for `params`."""
    from django.contrib import admin
    from django.test import RequestFactory

    from casework.models import Case

    request = RequestFactory().get("/admin/casework/case/", params)
    request.user = user
    model_admin = admin.site.get_model_admin(Case)
    return model_admin.get_changelist_instance(request).queryset


def result(name, size, path_seconds, floor_seconds, queries, target, note=""):
    ratio = path_seconds / floor_seconds if floor_seconds else None
    met = None
    if target.get("ratio") is not None and ratio is not None:
        met = ratio <= target["ratio"]
    if target.get("queries") is not None:
        met = (met is not False) and queries <= target["queries"]
    if target.get("microseconds") is not None:
        met = path_seconds * 1e6 <= target["microseconds"]
    return {
        "name": name, "size": size, "seconds": path_seconds, "floor": floor_seconds, "ratio": ratio,
        "queries": queries, "target": target, "met": met, "note": note,
    }


def run(runs: int, profile: bool, calls: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from casework import selectors
    from casework.models import OPEN_STATUSES, Case, CaseStatus
    from casework.statistics import case_statistics
    from project.history import tracked_models
    from staffing.working_days import WorkCalendar, add_working_days

    settings.DEBUG = False
    admin_user, inspector = bench_users()
    admin_client, inspector_client = client_for(admin_user), client_for(inspector)
    today = timezone.localdate()
    window = selectors.due_window(today)
    table = Case._meta.db_table
    cases = Case.objects.count()
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES).count()
    overdue = selectors.cases_overdue(Case.objects.all(), today).count()
    due_soon = selectors.cases_due_soon(Case.objects.all(), window).count()
    history_sizes = {history._meta.db_table: history.objects.count() for _, history in tracked_models()}
    biggest = max(history_sizes, key=history_sizes.get)
    sizes = {
        "cases": cases, "open": open_cases, "overdue": overdue, "due_soon": due_soon,
        "history_rows": sum(history_sizes.values()), "biggest_history_table": biggest,
        "biggest_history_rows": history_sizes[biggest],
    }
    results, profiles = [], {}
    case_url = "/admin/casework/case/"
    size_cases = f"{cases:,} 件办件"

    # 1. The case list, default filters, as a center administrator.
    list_page = page(admin_client, case_url)
    queryset = changelist_queryset(admin_user, {})
    path_s, floor_s = compare(list_page, lambda: list(queryset.all()[:PAGE]), runs)
    results.append(result("办件列表(管理后台,默认筛选)", size_cases, path_s, floor_s, count_queries(list_page),
                          {"ratio": 3, "queries": 12}))
    profiles["case_list"] = list_page

    # 2. Overdue and due-soon lists: the page, and the list's own query through the ORM.
    # The floor: one range query on the due date of the running cases (the partial index case_running_due:
    # its condition is written with constants, as SQLite needs to use it), a page, no ordering.
    stopped = ", ".join(f"'{status}'" for status in CaseStatus.values if status not in selectors.RUNNING_STATUSES)
    columns = ", ".join(f'"{table}"."{f.column}"' for f in Case._meta.concrete_fields)
    running = f'NOT ("status" IN ({stopped}))'
    overdue_sql = f'SELECT {columns} FROM "{table}" WHERE {running} AND "committed_due_date" < %s LIMIT {PAGE}'
    due_soon_sql = f'SELECT {columns} FROM "{table}" WHERE {running} AND "committed_due_date" BETWEEN %s AND %s LIMIT {PAGE}'
    size_open = f"{cases:,} 件,未办结 {open_cases:,},逾期 {overdue:,} / 即将到期 {due_soon:,}"
    for key, label, sql, params in (
        ("overdue", "逾期", overdue_sql, (today.isoformat(),)),
        ("due_soon", "即将到期", due_soon_sql, (window.today.isoformat(), window.soon_until.isoformat())),
    ):
        floor = raw(sql, params)
        list_page = page(admin_client, case_url, {"deadline": key})
        path_s, floor_s = compare(list_page, floor, runs)
        results.append(result(f"{label}列表(管理后台)", size_open, path_s, floor_s, count_queries(list_page), {"ratio": 2}))
        profiles[f"{key}_page"] = list_page
        queryset = changelist_queryset(admin_user, {"deadline": key})
        orm_page = lambda queryset=queryset: list(queryset.all()[:PAGE])  # noqa: E731
        path_s, floor_s = compare(orm_page, floor, runs)
        results.append(result(f"{label}列表的查询(ORM,列表排序,一页)", size_open, path_s, floor_s, count_queries(orm_page),
                              {"ratio": 2}))
        profiles[f"{key}_query"] = orm_page

    # 3. Statistics of one year, by department.
    year = today.year - 1
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    in_year = Case.objects.filter(received_on__range=(start, end))
    size_year = f"{cases:,} 件,其中 {year} 年收件 {in_year.count():,} 件"
    # The floor: one aggregate over the year's cases, what the page ran before it read the rollups
    # (casework.rollup); the page is now expected well under it.
    from django.db.models import Count

    recount = in_year.values("department__name").annotate(received=Count("pk"))
    sql, params = recount.query.sql_with_params()
    floor = raw(sql, params)
    year_params = {"start": start.isoformat(), "end": end.isoformat(), "by": "department"}
    statistics_page = page(admin_client, f"{case_url}statistics/", year_params)
    path_s, floor_s = compare(statistics_page, floor, max(3, runs // 2))
    results.append(result(f"办件统计页({year}年,按部门)", size_year, path_s, floor_s, count_queries(statistics_page), {"ratio": 2}))
    profiles["statistics_page"] = statistics_page
    function = lambda: case_statistics(start, end, "department")  # noqa: E731
    path_s, floor_s = compare(function, floor, max(3, runs // 2))
    results.append(result("case_statistics()(同一年,按部门)", size_year, path_s, floor_s, count_queries(function), {"ratio": 2}))
    profiles["case_statistics"] = function

    # 4. The history timeline: the first page, and one case followed through time.
    history_table = biggest
    newest = raw(f'SELECT * FROM "{history_table}" ORDER BY "history_date" DESC, "history_id" DESC LIMIT {PAGE}')
    timeline = page(inspector_client, "/admin/history/")
    size_history = f"历史共 {sizes['history_rows']:,} 行(最大的表 {history_table} {sizes['biggest_history_rows']:,} 行)"
    path_s, floor_s = compare(timeline, newest, runs)
    results.append(result("变更记录时间线:第一页", size_history, path_s, floor_s, count_queries(timeline), {"ratio": 3}))
    profiles["timeline"] = timeline
    followed = Case.history.filter(history_type="~").order_by("-history_id").values_list("id", flat=True).first()
    filtered = page(inspector_client, "/admin/history/", {"model": "casework.Case", "object": followed})
    one_record = raw(
        f'SELECT * FROM "{history_table}" WHERE "id" = %s ORDER BY "history_date" DESC, "history_id" DESC LIMIT {PAGE}',
        (followed,),
    )
    path_s, floor_s = compare(filtered, one_record, runs)
    results.append(result("变更记录时间线:筛选一件办件(记录类型+编号)", size_history, path_s, floor_s, count_queries(filtered),
                          {"ratio": 3}, note=f"办件 id {followed}"))
    profiles["timeline_filtered"] = filtered

    # 5. Working days: a million calls on one cached calendar.
    rng = random.Random(11)
    first = today - datetime.timedelta(days=3 * 365)
    pairs = [(first + datetime.timedelta(days=rng.randrange(3 * 365)), rng.randrange(0, 31)) for _ in range(10_000)]
    calendar = WorkCalendar()
    for day, n in pairs:
        calendar.add_working_days(day, n)  # loads the years once
    add = calendar.add_working_days
    repeats = max(1, calls // len(pairs))
    started = time.perf_counter()
    for _ in range(repeats):
        for day, n in pairs:
            add(day, n)
    per_call = (time.perf_counter() - started) / (repeats * len(pairs))
    uncached = statistics.median(timed(lambda: add_working_days(day, n)) for day, n in pairs[:200])
    results.append(result(
        "加 N 个工作日(缓存的 WorkCalendar)", f"{repeats * len(pairs):,} 次调用", per_call, None, 0, {"microseconds": 2},
        note=f"不缓存(每次新建日历,含一次查询):{uncached * 1e6:,.0f} µs/次",
    ))

    # 6. For information: the case list with each of its filters and the search (no target, no floor).
    filters = []
    other_pages = [
        ("管理后台首页(仪表盘,含十二个月趋势)", "/admin/", {}),
        (f"办件统计页({year}年,按月)", f"{case_url}statistics/", {**year_params, "by": "month"}),
    ]
    for label, url, params in [(None, case_url, params) for params in CASE_LIST_FILTERS] + other_pages:
        list_page = page(admin_client, url, params)
        list_page()
        seconds = statistics.median(timed(list_page) for _ in range(3))
        filters.append({"label": label, "params": params, "seconds": seconds, "queries": count_queries(list_page)})

    missed = {}
    if profile:
        names = {
            "办件列表(管理后台,默认筛选)": "case_list", "逾期列表(管理后台)": "overdue_page", "即将到期列表(管理后台)": "due_soon_page",
            "逾期列表的查询(ORM,列表排序,一页)": "overdue_query", "即将到期列表的查询(ORM,列表排序,一页)": "due_soon_query",
            f"办件统计页({year}年,按部门)": "statistics_page", "case_statistics()(同一年,按部门)": "case_statistics",
            "变更记录时间线:第一页": "timeline", "变更记录时间线:筛选一件办件(记录类型+编号)": "timeline_filtered",
        }
        from bench.profiling import profile as run_profile

        for item in results:
            key = names.get(item["name"])
            if key and item["met"] is False:
                missed[item["name"]] = run_profile(profiles[key], runs=3)
    return {"sizes": sizes, "results": results, "profiles": missed, "runs": runs, "filters": filters}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true", help="profile the paths that miss their target")
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(args.runs, args.profile, args.calls), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
