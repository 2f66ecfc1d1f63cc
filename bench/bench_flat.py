"""The pages timed for the flat-cost table of `make bench` (bench/bench_all.py runs this on two volumes).

    DATABASE_URL=sqlite:///var/bench/volume.sqlite3 .venv/bin/python bench/bench_flat.py [--runs 7]

Each page is requested through Django's test Client (middleware, admin, templates) by a logged-in
center administrator (the inspector for the timeline), once to warm up, then `runs` times; the median is
kept. The pages read the same kind of rows on any volume (the newest page, the rollups, indexed ranges),
so their time should not grow with the number of cases: bench_all.py divides the big volume's medians by
the small one's. Prints one JSON line.

A ratio compares like with like only when both volumes show a full page: at 10,000 cases the generator
leaves about 3 cases due soon and 37 applicants named 王 (at 1,000,000: 496 and 8,342), so those pages
drew 3 and 37 rows against 50. `full_pages` first makes each list page of the table hold at least one
page of rows on any volume (it changes the due dates of some running cases and the surnames of some
applicants; a bench database only), and the table shows the rows each page drew.
"""

import argparse
import datetime
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_volume import bench_users, client_for, count_queries, page, timed  # noqa: E402
from bench.generate_catalog import django_setup  # noqa: E402

# (key, label, user, url, params, target ratio)
PAGES = [
    ("case_list", "办件列表", "admin", "/admin/casework/case/", {}, 1.3),
    ("overdue", "逾期列表", "admin", "/admin/casework/case/", {"deadline": "overdue"}, 1.3),
    ("due_soon", "即将到期列表", "admin", "/admin/casework/case/", {"deadline": "due_soon"}, 1.3),
    ("case_page", "办件页(最新一件办理中的办件)", "admin", None, {}, 1.3),
    ("timeline", "变更记录时间线(第一页)", "inspector", "/admin/history/", {}, 1.3),
    ("dashboard", "管理后台首页(仪表盘)", "admin", "/admin/", {}, 1.3),
    ("search", "按姓名搜索「王」", "admin", "/admin/casework/case/", {"q": "王"}, 1.5),
    ("statistics_department", "办件统计(近12个月,按部门)", "admin", "/admin/casework/case/statistics/", "department", 1.3),
    ("statistics_month", "办件统计(近12个月,按月)", "admin", "/admin/casework/case/statistics/", "month", 1.3),
]


SURNAME = "王"  # the name search of the table
ROW = re.compile(r'<th class="field-number')  # the first column of each row of the case lists


def full_pages(per_page: int = 50) -> dict:
    """At least `per_page` running cases due soon and `per_page` applicants named 王 (see the docstring).
    Returns how many cases it changed for each."""
    from casework import selectors
    from casework.models import Case

    window = selectors.due_window()
    running = Case.objects.filter(selectors.RUNNING)
    changed = {}
    missing = per_page - selectors.cases_due_soon(running, window).count()
    if missing > 0:
        ids = list(running.exclude(selectors.due_soon_q(window)).order_by("-pk").values_list("pk", flat=True)[:missing])
        changed["due_soon"] = Case.objects.filter(pk__in=ids).update(committed_due_date=window.soon_until)
    named = Case.objects.filter(applicant_name__startswith=SURNAME)
    missing = per_page - named.count()
    if missing > 0:
        others = Case.objects.exclude(applicant_name__startswith=SURNAME).order_by("-pk")[:missing]
        for case in others:
            Case.objects.filter(pk=case.pk).update(applicant_name=SURNAME + case.applicant_name[1:])
        changed["search"] = missing
    return changed


def run(runs: int) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from casework.models import Case

    settings.DEBUG = False
    filled = full_pages()
    admin_user, inspector = bench_users()
    clients = {"admin": client_for(admin_user), "inspector": client_for(inspector)}
    today = timezone.localdate()
    twelve_months = {"start": datetime.date(today.year - 1, today.month, 1).isoformat(), "end": today.isoformat()}
    newest_running = Case.objects.filter(status="in_progress").order_by("-pk").values_list("pk", flat=True).first()
    results = {}
    for key, label, who, url, params, target in PAGES:
        if key == "case_page":
            url = f"/admin/casework/case/{newest_running}/change/"
        if isinstance(params, str):
            params = {**twelve_months, "by": params}
        request = page(clients[who], url, params)
        rows = len(ROW.findall(request().content.decode())) if url == "/admin/casework/case/" else None
        samples = [timed(request) for _ in range(runs)]
        results[key] = {
            "label": label, "seconds": statistics.median(samples), "samples": samples, "queries": count_queries(request),
            "target": target, "rows": rows,
        }
    return {"cases": Case.objects.count(), "results": results, "filled": filled}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(args.runs), ensure_ascii=False))


if __name__ == "__main__":
    main()
