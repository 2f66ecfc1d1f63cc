"""The pages timed for the flat-cost table of `make bench` (bench/bench_all.py runs this on two volumes).

    DATABASE_URL=sqlite:///var/bench/volume.sqlite3 .venv/bin/python bench/bench_flat.py [--runs 7]

Each page is requested through Django's test Client (middleware, admin, templates) by a logged-in
center administrator (the inspector for the timeline), once to warm up, then `runs` times; the median is
kept. The pages read the same kind of rows on any volume (the newest page, the rollups, indexed ranges),
so their time should not grow with the number of cases: bench_all.py divides the big volume's medians by
the small one's. Prints one JSON line.
"""

import argparse
import datetime
import json
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


def run(runs: int) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from casework.models import Case

    settings.DEBUG = False
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
        request()
        samples = [timed(request) for _ in range(runs)]
        results[key] = {
            "label": label, "seconds": statistics.median(samples), "samples": samples, "queries": count_queries(request),
            "target": target,
        }
    return {"cases": Case.objects.count(), "results": results}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    django_setup()
    print(json.dumps(run(args.runs), ensure_ascii=False))


if __name__ == "__main__":
    main()
