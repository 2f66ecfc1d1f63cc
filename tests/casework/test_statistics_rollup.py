"""The daily statistics rollups equal a recount of the cases after any sequence of transitions, and
`rebuild_statistics` rebuilds and checks it."""

import datetime
import itertools
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from casework import rollup, services, statistics
from casework.models import Case, CaseDayItemStatistics, CaseDayStatistics, CaseMonthStatistics, CaseStatus
from staffing import roles
from staffing.models import CalendarDay, DayKind
from staffing.services import calendar_day_save
from tests.casework.conftest import PERSON, at

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 27)  # a Friday
DAYS = [D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 10), D(2026, 11, 16), D(2026, 11, 23)]


@pytest.fixture
def office(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="赖美玲")


def refuse(case, clerk, stage):
    return services.case_refuse(case=case, user=clerk.user, stage=stage, category="not_allowed", reason="条件不符", legal_basis="第十一条")


def operations(case, clerk, office, rng):
    """The transitions a case can go through; each may be refused by its service, which changes nothing."""

    def accept():
        for material in case.materials.filter(required=True):
            services.case_check_material(material=material, user=clerk.user, state="received")
        services.case_accept(case=case, user=clerk.user, accepted_on=max(case.received_on, DAYS[0]))

    def overturn():
        refusal = case.refusals.filter(status="effective").last()
        if refusal is None:
            raise ValidationError("无可申诉的否定")
        appeal = services.appeal_file(refusal=refusal, user=office.user, appellant="张三", grounds="已整改")
        services.appeal_decide(appeal=appeal, user=office.user, overturn=True, note="撤销")

    return {
        "accept": accept,
        "correction": lambda: services.case_request_correction(case=case, user=clerk.user, note="补正"),
        "start": lambda: services.case_start(case=case, user=clerk.user),
        "approve": lambda: services.case_approve(case=case, user=clerk.user, completed_on=rng.choice([d for d in DAYS + [TODAY] if d >= case.received_on])),
        "disapprove": lambda: refuse(case, clerk, "disapproved"),
        "not_accept": lambda: refuse(case, clerk, "not_accepted"),
        "overturn": overturn,
        "deliver": lambda: services.case_deliver(case=case, user=clerk.user),
        "deem": lambda: services.case_deem_accepted(case=case, today=TODAY),
    }


def recount_by(field, start, end) -> dict:
    """The statistics' case figures straight from the cases, as before the rollups."""
    completed = Q(completed_on__isnull=False)
    rows = Case.objects.filter(received_on__range=(start, end)).values(field).annotate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
        completed=Count("pk", filter=completed),
        on_time=Count("pk", filter=completed & Q(overdue=False)),
        overdue=Count("pk", filter=Q(overdue=True)),
        refused=Count("pk", filter=Q(status__in=[CaseStatus.NOT_ACCEPTED, CaseStatus.DISAPPROVED])),
    )
    return {row.pop(field): row for row in rows}


# Paths a case takes in a center; the walk follows one, with random other steps thrown in.
PATHS = [
    ["accept", "start", "approve", "deliver"],
    ["not_accept", "overturn", "accept", "approve"],
    ["correction", "accept", "start", "disapprove", "deliver"],
    ["deem", "start", "approve"],
    ["accept", "approve", "deliver"],
]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_rollup_equals_a_recount_after_random_transitions(
    seed, travel, official_calendar, committed_item, immediate_item, market_window, clerk, office
):
    rng = random.Random(seed)
    travel(TODAY)
    done = []
    for n in range(10):
        item = rng.choice([committed_item, immediate_item])
        case = services.case_receive(item=item, window=market_window, user=clerk.user, received_at=at(rng.choice(DAYS)), **PERSON)
        ops = operations(case, clerk, office, rng)
        walk = list(rng.choice(PATHS))
        for _ in range(rng.randint(0, 3)):
            walk.insert(rng.randint(0, len(walk)), rng.choice(list(ops)))
        for name in walk[: rng.randint(1, len(walk))]:
            try:
                ops[name]()
                done.append(name)
            except (ValidationError, PermissionDenied):
                pass
            case.refresh_from_db()
        if n == 5:  # a holiday declared: the open cases' due dates are recomputed
            calendar_day_save(day=CalendarDay(date=D(2026, 11, 25), kind=DayKind.HOLIDAY, note="临时休假"))
    assert {"accept", "approve", "deliver"} <= set(done), done  # the walk went through the main transitions
    assert rollup.differences() == []
    groupings = [("department", "department__name"), ("item", "item__name"), ("window", "window__number")]
    periods = [(D(2026, 11, 1), D(2026, 11, 30)), (D(2026, 11, 3), D(2026, 11, 16)), (D(2026, 10, 15), D(2026, 11, 20))]
    for (by, field), (start, end) in itertools.product(groupings, periods):
        figures = {row["key"]: row for row in statistics.case_statistics(start, end, by=by)}
        recounted = recount_by(field, start, end)
        assert set(figures) == set(recounted), (by, start, end)
        for key, counted in recounted.items():
            assert {name: figures[key][name] for name in counted} == counted


def test_an_overturned_refusal_moves_the_case_out_of_the_refused_count(
    travel, official_calendar, committed_item, market_window, clerk, office
):
    travel(TODAY)
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=at(DAYS[0]), **PERSON)
    refusal = refuse(case, clerk, "not_accepted")
    assert CaseDayStatistics.objects.get().refused == 1
    appeal = services.appeal_file(refusal=refusal, user=office.user, appellant="张三", grounds="已整改")
    services.appeal_decide(appeal=appeal, user=office.user, overturn=True, note="撤销")
    row = CaseDayStatistics.objects.get()
    assert (row.received, row.refused) == (1, 0)


def test_a_refused_transition_leaves_the_rollup_as_it_was(travel, official_calendar, committed_item, market_window, clerk):
    travel(TODAY)
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=at(DAYS[0]), **PERSON)
    with pytest.raises(ValidationError):
        services.case_approve(case=case, user=clerk.user)  # not accepted yet
    row = CaseDayStatistics.objects.get()
    assert (row.received, row.accepted, row.completed) == (1, 0, 0)


def test_rebuild_statistics_rebuilds_idempotently_and_check_reports_a_difference(
    travel, official_calendar, committed_item, market_window, clerk, capsys
):
    travel(TODAY)
    for day in DAYS[:3]:
        services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=at(day), **PERSON)
    call_command("rebuild_statistics", "--check")
    assert "办件日统计与办件一致(全部)。" in capsys.readouterr().out

    CaseDayStatistics.objects.filter(day=DAYS[1]).update(received=5)
    with pytest.raises(CommandError, match="办件日统计有1行与办件不一致"):
        call_command("rebuild_statistics", "--check")
    assert "2026-11-03" in capsys.readouterr().out

    call_command("rebuild_statistics", "--from", "2026-11-03")
    assert "办件日统计已重新计算(2026年11月3日起):5行。" in capsys.readouterr().out
    before = list(CaseDayStatistics.objects.order_by("day").values_list("day", "received"))
    call_command("rebuild_statistics")
    assert list(CaseDayStatistics.objects.order_by("day").values_list("day", "received")) == before == [
        (DAYS[0], 1), (DAYS[1], 1), (DAYS[2], 1)
    ]
    with pytest.raises(CommandError, match="日期「11/03」格式不对"):
        call_command("rebuild_statistics", "--from", "11/03")


def test_a_period_is_read_as_its_whole_months_and_the_days_at_its_edges():
    day, month, item = CaseDayStatistics, CaseMonthStatistics, CaseDayItemStatistics
    assert statistics.rollup_periods(D(2026, 1, 1), D(2026, 12, 31), "department") == [(month, D(2026, 1, 1), D(2026, 12, 31))]
    assert statistics.rollup_periods(D(2025, 12, 6), D(2026, 12, 5), "month") == [
        (month, D(2026, 1, 1), D(2026, 11, 30)), (day, D(2025, 12, 6), D(2025, 12, 31)), (day, D(2026, 12, 1), D(2026, 12, 5))
    ]
    assert statistics.rollup_periods(D(2026, 11, 3), D(2026, 11, 16), "window") == [(day, D(2026, 11, 3), D(2026, 11, 16))]
    assert statistics.rollup_periods(D(2026, 2, 1), D(2026, 2, 28), "window") == [(month, D(2026, 2, 1), D(2026, 2, 28))]
    assert statistics.rollup_periods(D(2026, 11, 3), D(2026, 11, 16), "item") == [(item, D(2026, 11, 3), D(2026, 11, 16))]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_cases_received_at_once_by_several_clerks_are_all_counted(committed_item, market_window, clerk):
    """The first cases of a day race to create the day's rows: the loser adds to the winner's row."""
    from tests.casework.test_numbering_concurrency import take_numbers_concurrently

    day = D(2026, 11, 26)
    counter = iter(range(1000))

    def receive():
        return Case.objects.create(
            number=f"R-{next(counter):04d}", item=committed_item, department=committed_item.department, window=market_window,
            applicant_name="张三", first_inquiry_staff=clerk, handler=clerk, handling_mode=committed_item.handling_mode,
            received_on=day,
        ).number

    numbers, errors = take_numbers_concurrently(receive)
    assert errors == []
    assert len(numbers) == 40
    assert [row.received for row in CaseDayStatistics.objects.all()] == [40]
    assert [row.received for row in CaseMonthStatistics.objects.all()] == [40]
    assert rollup.differences() == []


@pytest.mark.parametrize("seed", [3, 4])
def test_statistics_split_by_hall_equal_a_recount_even_after_a_window_moves_to_another_hall(
    seed, travel, official_calendar, committed_item, immediate_item, market_window, clerk, office, make_staff, two_departments
):
    from halls.models import Hall, HallKind
    from registry.models import ItemHall
    from staffing.models import Window

    rng = random.Random(seed)
    travel(TODAY)
    center = Hall.objects.get(kind=HallKind.CENTER)
    branch = Hall.objects.create(name="县市场监督管理局登记分中心", kind=HallKind.BRANCH, department=two_departments[0])
    branch_window = Window.objects.create(number="F01", name="登记(分中心)", department=two_departments[0], hall=branch)
    branch_clerk = make_staff(two_departments[0], role=roles.WINDOW_STAFF, window=branch_window)
    for item in (committed_item, immediate_item):
        item.window = None  # handled by the department's windows at both halls
        item.save()
        for hall in (center, branch):
            ItemHall.objects.create(item=item, hall=hall)
    moved = []
    for n in range(12):
        if n == 6:  # window 01 moves to the branch: the cases it received so far stay with the center hall
            moved = list(Case.objects.filter(window=market_window).values_list("pk", flat=True))
            market_window.hall = branch
            market_window.save()
        window, person = rng.choice([(market_window, clerk), (branch_window, branch_clerk)])
        item = rng.choice([committed_item, immediate_item])
        case = services.case_receive(item=item, window=window, user=person.user, received_at=at(rng.choice(DAYS)), **PERSON)
        ops = operations(case, person, office, rng)
        for name in rng.choice(PATHS)[: rng.randint(1, 4)]:
            try:
                ops[name]()
            except (ValidationError, PermissionDenied):
                pass
            case.refresh_from_db()
    assert moved and set(Case.objects.filter(pk__in=moved).values_list("hall_id", flat=True)) == {center.pk}
    after_move = services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=at(DAYS[-1]), **PERSON)
    assert after_move.hall == branch
    assert rollup.differences() == []
    call_command("rebuild_statistics", "--check")
    for start, end in [(D(2026, 11, 1), D(2026, 11, 30)), (D(2026, 11, 3), D(2026, 11, 16)), (D(2026, 10, 15), D(2026, 11, 20))]:
        figures = {row["key"]: row for row in statistics.case_statistics(start, end, by="hall")}
        recounted = recount_by("hall__name", start, end)
        assert set(figures) == set(recounted)
        for key, counted in recounted.items():
            assert {name: figures[key][name] for name in counted} == counted
        for hall in (center, branch):  # the hall filter reads the same figures
            only = statistics.case_statistics(start, end, by="department", hall_ids=[hall.pk])
            assert sum(row["received"] for row in only) == Case.objects.filter(received_on__range=(start, end), hall=hall).count()
