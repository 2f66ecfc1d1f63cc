"""`manage.py generate_volume` (issue 11): consistent generated data, on a small scale.

Every case's fields agree with its status, its item and the official calendar; its history tells
the same story as the case; the admin pages work on the result; the next real receipt numbers on.
Also: the cached calendar that the generator (and the services) count with agrees with counting
day by day.
"""

import datetime
import io
import random
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from casework import selectors
from casework import services as casework_services
from casework.models import Case, CaseStatus, CaseworkSettings
from registry.models import HandlingMode, ItemStatus, Material, ProcedureStep, ServiceItem
from staffing import roles
from staffing.models import Staff
from staffing.working_days import WorkCalendar

pytestmark = pytest.mark.django_db

S = CaseStatus
ITEMS, CASES, HISTORY = 40, 3000, 9000
CLOSED = {S.APPROVED, S.DISAPPROVED, S.DELIVERED}


@pytest.fixture
def generated(db):
    """A small volume: the command's output (every test gets its own, in its own transaction)."""
    output = io.StringIO()
    # Tests run with DEBUG off, which the command refuses without --force.
    call_command("generate_volume", items=ITEMS, cases=CASES, history=HISTORY, seed=3, force=True, stdout=output)
    return output.getvalue()


def test_it_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("generate_volume", items=0, cases=0, history=0, stdout=io.StringIO())


def test_it_reports_progress_and_what_it_made(generated):
    assert "组织机构" in generated and "事项目录" in generated and "办件计划" in generated
    assert f"办件 {CASES:,} / {CASES:,}" in generated
    assert re.search(r"完成,用时 [\d.]+ 秒", generated)


def test_the_catalog_has_materials_steps_and_history(generated):
    items = ServiceItem.objects.filter(code__startswith="GV")
    assert items.count() == ITEMS
    assert Material.objects.filter(item__in=items).count() == ITEMS * 6
    assert ProcedureStep.objects.filter(item__in=items).count() == ITEMS * 3
    assert ServiceItem.history.filter(code__startswith="GV", history_type="+").count() == ITEMS
    assert {item.handling_mode for item in items} == set(HandlingMode.values)
    for item in items:
        item.full_clean()  # valid under the catalog rules


@pytest.mark.date_sensitive  # the period's first day: a month's end and a leap day once broke it
def test_cases_cover_every_status_and_handling_mode_over_three_years(generated):
    assert Case.objects.count() == CASES
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert set(statuses) == set(S.values), statuses
    assert set(Case.objects.values_list("handling_mode", flat=True)) == set(HandlingMode.values)
    today, calendar = timezone.localdate(), WorkCalendar()
    first = Case.objects.order_by("received_on").values_list("received_on", flat=True).first()
    last = Case.objects.order_by("-received_on").values_list("received_on", flat=True).first()
    assert today - datetime.timedelta(days=3 * 366) < first < today - datetime.timedelta(days=3 * 365 - 10)
    last_working_day = calendar.add_working_days(today + datetime.timedelta(days=1), -1)
    assert last in (last_working_day, calendar.add_working_days(last_working_day, -1))  # before 9:00, yesterday's
    open_share = sum(statuses[s] for s in (S.RECEIVED, S.CORRECTION, S.ACCEPTED, S.IN_PROGRESS)) / CASES
    assert 0.03 < open_share < 0.07, statuses


def test_every_case_is_consistent_with_its_status_item_window_and_the_calendar(generated):
    calendar = WorkCalendar()
    deemed = CaseworkSettings.load().deemed_acceptance_days
    window_staff = {}
    for staff_id, window_id in Staff.objects.values_list("pk", "window_id"):
        window_staff.setdefault(window_id, set()).add(staff_id)
    numbers = set()
    today = timezone.localdate()
    for case in Case.objects.select_related("item", "window"):
        where = f"{case.number} ({case.status})"
        assert case.handling_mode == case.item.handling_mode, where
        assert case.department_id == case.item.department_id == case.window.department_id, where
        assert case.handler_id in window_staff[case.window_id], where
        assert case.committed_limit_days == case.item.committed_limit_days, where
        assert case.number.startswith(f"{case.window.number}-{case.received_on:%Y%m%d}-") and case.number not in numbers, where
        numbers.add(case.number)
        assert timezone.localdate(case.received_at) == case.received_on <= today, where
        assert calendar.is_working_day(case.received_on), where
        assert case.acceptance_deadline == calendar.add_working_days(case.received_on, deemed), where
        if case.status in (S.RECEIVED, S.CORRECTION, S.NOT_ACCEPTED):
            assert case.accepted_on is None and case.committed_due_date is None and case.completed_on is None, where
            continue
        assert case.received_on <= case.accepted_on <= today, where
        assert case.committed_due_date == calendar.add_working_days(case.accepted_on, case.committed_limit_days), where
        assert case.statutory_due_date == calendar.add_working_days(case.accepted_on, case.statutory_limit_days), where
        if case.status in (S.ACCEPTED, S.IN_PROGRESS):
            assert case.completed_on is None and case.delivered_on is None, where
            continue
        assert case.accepted_on <= case.completed_on <= today, where
        assert case.overdue == (case.completed_on > case.committed_due_date), where
        if case.handling_mode == HandlingMode.IMMEDIATE:
            assert case.same_day_missed == (case.completed_on != case.received_on), where
        assert (case.delivered_on is not None) == (case.status == S.DELIVERED), where
        if case.delivered_on:
            assert case.completed_on <= case.delivered_on <= today, where
        if case.handling_mode == HandlingMode.REPORT_UP:
            assert case.reported_up_on and case.report_authority and case.report_result, where


def test_the_history_tells_the_same_story_in_time_order_by_the_handler(generated):
    assert "历史合计" in generated
    total = int(re.search(r"历史合计 ([\d,]+)", generated).group(1).replace(",", ""))
    assert HISTORY * 0.9 < total <= HISTORY
    rows = list(
        Case.history.order_by("history_id").values_list("id", "history_type", "status", "history_date", "history_user_id")
    )
    dates = [row[3] for row in rows]
    assert dates == sorted(dates)  # ids follow dates, as in a live system
    last = {}
    for case_id, kind, status, _, _ in rows:
        assert kind in "+~"
        if kind == "+":
            assert case_id not in last and status == S.RECEIVED
        last[case_id] = status
    cases = dict(Case.objects.values_list("pk", "status"))
    users = dict(Case.objects.values_list("pk", "handler__user_id"))
    with_life = [case_id for case_id, kind, *_ in rows if kind == "~"]
    assert with_life, "the newest cases have their whole life in the history"
    for case_id in with_life:
        assert last[case_id] == cases[case_id]
    assert all(user == users[case_id] for case_id, _, _, _, user in rows)


def test_the_admin_works_on_the_generated_data(generated, client):
    admin_user = Staff.objects.get(position="系统管理员").user
    inspector = Staff.objects.get(position="督查员").user
    client.force_login(admin_user)
    for params in ({}, {"deadline": "overdue"}, {"deadline": "deemed"}):
        response = client.get(reverse("admin:casework_case_changelist"), params)
        assert response.status_code == 200 and response.context["cl"].result_list, params
    # Due soon: two working days ahead, of a few thousand cases, may hold none on a Saturday.
    response = client.get(reverse("admin:casework_case_changelist"), {"deadline": "due_soon"})
    expected = selectors.cases_due_soon(Case.objects.all(), selectors.due_window())
    assert response.status_code == 200
    assert response.context["cl"].result_count == expected.count()
    case = Case.objects.filter(status=S.IN_PROGRESS).first()
    assert client.get(reverse("admin:casework_case_change", args=[case.pk])).status_code == 200
    client.force_login(inspector)
    followed = Case.history.filter(history_type="~").order_by("-history_id").first().id
    response = client.get(reverse("history_timeline"), {"model": "casework.Case", "object": followed})
    assert response.status_code == 200
    kinds = [entry.kind for entry in response.context["entries"]]
    assert kinds[-1] == "新增" and "修改" in kinds


def test_a_new_receipt_numbers_after_the_generated_cases(generated):
    item = ServiceItem.objects.filter(
        code__startswith="GV", status=ItemStatus.ACTIVE, handling_mode=HandlingMode.COMMITTED
    ).first()
    clerk = Staff.objects.filter(window=item.window, user__groups__name=roles.WINDOW_STAFF).first()
    today = timezone.localdate()
    taken = set(Case.objects.filter(window=item.window, received_on=today).values_list("number", flat=True))
    case = casework_services.case_receive(
        item=item, window=item.window, user=clerk.user, applicant_name="新申请人", id_type="resident_id",
        id_number="11010519491231002X",
    )
    assert case.number not in taken and case.number.startswith(f"{item.window.number}-{today:%Y%m%d}-")


def test_running_it_again_adds_a_second_volume_beside_the_first(generated):
    call_command("generate_volume", items=5, cases=50, history=100, seed=4, force=True, stdout=io.StringIO())
    assert Case.objects.count() == CASES + 50
    assert ServiceItem.objects.filter(code__startswith="GV").count() == ITEMS + 5


def test_the_cached_calendar_agrees_with_counting_day_by_day(official_calendar):
    day_by_day = WorkCalendar()

    def count_forward(start, n):
        step = datetime.timedelta(days=1 if n >= 0 else -1)
        day, left = start, abs(n)
        while left:
            day += step
            if day_by_day.is_working_day(day):
                left -= 1
        return day

    cached = WorkCalendar()
    rng = random.Random(5)
    for _ in range(3000):
        start = datetime.date(2024, 6, 1) + datetime.timedelta(days=rng.randrange(1000))
        n = rng.randrange(-40, 41)
        assert cached.add_working_days(start, n) == count_forward(start, n), (start, n)
        end = start + datetime.timedelta(days=rng.randrange(-60, 61))
        low = min(start, end)
        between = sum(1 for k in range(1, abs((end - start).days) + 1) if day_by_day.is_working_day(low + datetime.timedelta(days=k)))
        assert cached.working_days_between(start, end) == (between if end >= start else -between), (start, end)


# ---------------------------------------------------------------- the benchmark scripts, on small data


def test_the_volume_benchmarks_measure_every_path_against_its_floor(generated, settings):
    from bench import bench_volume

    measured = bench_volume.run(runs=1, profile=True, calls=2000)
    settings.DEBUG = False  # run() turns it off; put the test's setting back in place
    names = [result["name"] for result in measured["results"]]
    assert len(names) == 10 and names[0].startswith("办件列表")
    for result in measured["results"]:
        assert result["seconds"] > 0 and result["queries"] >= 0, result
        assert result["met"] in (True, False), result
        if result["floor"] is not None:
            assert result["ratio"] == pytest.approx(result["seconds"] / result["floor"])
    assert measured["sizes"]["cases"] == CASES and measured["sizes"]["biggest_history_table"] == "casework_historicalcase"
    for name, profile in measured["profiles"].items():  # the paths that missed, with where their time went
        assert profile["layers"] and profile["functions"], name


def test_the_catalog_floors_insert_with_history_and_update_only_the_changed_rows(db, tmp_path):
    from django.contrib.auth import get_user_model

    from bench import bench_import
    from bench.generate_catalog import generate, reference_data

    reference_data()
    user = get_user_model().objects.create_superuser(bench_import.BENCH_USER, password="bench-only-password")
    generate(tmp_path / "catalog.xlsx", items=40)
    generate(tmp_path / "catalog-changed.xlsx", items=40, change_every=10)

    floor = bench_import.run_phase("floor-history", tmp_path)
    assert floor["rows"] == floor["history_rows"] == {"items": 40, "materials": 240, "steps": 120, "co_departments": 10}
    reimport = bench_import.run_reimport_floor(tmp_path / "catalog-changed.xlsx", user)
    assert (reimport["items_updated"], reimport["materials_updated"]) == (4, 4)
    item = ServiceItem.objects.get(code="BENCH-000010")
    assert item.committed_limit_days == 8 and item.materials.get(order=1).name == "申请材料1(新版)"
    assert item.history.count() == 2


def test_the_report_is_written_between_its_markers(tmp_path, monkeypatch):
    from bench import bench_all

    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\nkept\n\n{bench_all.BEGIN}\nold table\n{bench_all.END}\n\nkept too\n")
    monkeypatch.setattr(bench_all, "DOC", doc)
    info = {"date": "2026-11-26", "nproc": 2, "cpu": "AMD EPYC", "memory": "23 GB", "machine": "x86_64", "python": "3.11.7",
            "sqlite": "3.40.1", "django": "5.2", "load": (1.0, 1.0, 1.0)}
    results = [{"name": "办件列表", "size": "1,000,000 件办件", "seconds": 0.06, "floor": 0.008, "ratio": 7.5, "queries": 13,
                "target": {"ratio": 3, "queries": 12}, "met": False, "note": ""}]
    sizes = {"cases": 1_000_000, "open": 50_000, "overdue": 9_000, "due_soon": 1_300, "history_rows": 2_000_000,
             "biggest_history_table": "casework_historicalcase", "biggest_history_rows": 1_900_000}
    text = bench_all.report(info, results, {"seconds": 200, "bytes": 2e9}, sizes, {}, 1, 700)
    bench_all.write_doc(text)
    content = doc.read_text()
    assert "old table" not in content and "kept" in content and "kept too" in content
    assert "| 办件列表 | 1,000,000 件办件 | 60.0 ms | 8.0 ms | 7.50× | 13 | ≤ 3×,≤ 12 次查询 | ❌ 未达标 |" in content
    assert "2 cores (AMD EPYC" in content and "SQLite 3.40.1" in content
