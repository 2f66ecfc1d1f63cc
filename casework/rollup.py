"""The daily statistics rollups: each case adds its present state to the rows of the day it was received,
per hall and window (CaseDayStatistics), per month, hall and window (CaseMonthStatistics) and per day and item
(CaseDayItemStatistics).

Case.save calls `case_saved`, so every path that changes a case — the services' transitions, reopening on
appeal, a calendar recomputation — keeps the rollups in its own transaction. Bulk writers that bypass
save (generate_volume) rebuild them afterwards.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from .models.case import Case, CaseStatus
from .models.statistics import COUNTED, CaseDayItemStatistics, CaseDayStatistics, CaseMonthStatistics

CASE_KEY = ("received_on", "department_id", "hall_id", "window_id", "handling_mode", "item_id")
STATE_FIELDS = ("status", "accepted_on", "completed_on", "overdue", "deemed_accepted", "same_day_missed")
REFUSED = (CaseStatus.NOT_ACCEPTED, CaseStatus.DISAPPROVED)



def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def same_day(day: datetime.date) -> datetime.date:
    return day


# Each rollup: its model, its key (a prefix of CASE_KEY, in the rollup's own field names) and what its
# `day` is made of the day of receipt.
ROLLUPS = [
    (CaseDayStatistics, ("day", "department_id", "hall_id", "window_id", "handling_mode"), same_day),
    (CaseMonthStatistics, ("day", "department_id", "hall_id", "window_id", "handling_mode"), first_of_month),
    (CaseDayItemStatistics, ("day", "department_id", "hall_id", "window_id", "handling_mode", "item_id"), same_day),
]

Key = tuple
Counts = tuple[int, ...]


def contribution(values) -> tuple[Key, Counts]:
    """What one case adds to its day's rows. `values`: the case, or a dict of CASE_KEY + STATE_FIELDS."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    completed = get("completed_on") is not None
    counts = (
        1,
        get("accepted_on") is not None,
        completed,
        completed and not get("overdue"),
        bool(get("overdue")),
        get("status") in REFUSED,
        bool(get("deemed_accepted")),
        bool(get("same_day_missed")),
    )
    return tuple(get(name) for name in CASE_KEY), tuple(int(n) for n in counts)


def stored_contribution(pk) -> tuple[Key, Counts] | None:
    row = Case.objects.filter(pk=pk).values(*CASE_KEY, *STATE_FIELDS).first()
    return contribution(row) if row else None


def case_saved(before: tuple[Key, Counts] | None, case: Case) -> None:
    after = contribution(case)
    if before == after:
        return
    if before is not None:
        add(before[0], tuple(-n for n in before[1]))
    add(after[0], after[1])


def add(case_key: Key, counts: Counts) -> None:
    """Add `counts` to the rows of `case_key`, creating them. Two transactions creating the same row: the
    second waits on the unique key, fails inside its savepoint, and adds to the row the first one made."""
    if not any(counts):
        return
    increments = {name: F(name) + n for name, n in zip(COUNTED, counts) if n}
    for model, fields, period in ROLLUPS:
        lookup = dict(zip(fields, (period(case_key[0]), *case_key[1:])))
        if model.objects.filter(**lookup).update(**increments):
            continue
        try:
            with transaction.atomic():
                model.objects.create(**lookup, **dict(zip(COUNTED, counts)))
        except IntegrityError:
            model.objects.filter(**lookup).update(**increments)


# --- Rebuilding and checking ----------------------------------------------------------------------


def recount(fields, period, since: datetime.date | None = None) -> dict[Key, Counts]:
    """A rollup as the cases give it today: one aggregate query grouped by day, folded into `period` here
    (SQLite has no month function)."""
    cases = Case.objects.all() if since is None else Case.objects.filter(received_on__gte=period(since))
    case_fields = CASE_KEY[: len(fields)]
    completed = Q(completed_on__isnull=False)
    rows = cases.values(*case_fields).order_by().annotate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
        completed=Count("pk", filter=completed),
        on_time=Count("pk", filter=completed & Q(overdue=False)),
        overdue=Count("pk", filter=Q(overdue=True)),
        refused=Count("pk", filter=Q(status__in=REFUSED)),
        deemed_accepted=Count("pk", filter=Q(deemed_accepted=True)),
        same_day_missed=Count("pk", filter=Q(same_day_missed=True)),
    )
    totals: dict[Key, list[int]] = {}
    for row in rows.iterator():
        key = (period(row["received_on"]), *(row[name] for name in case_fields[1:]))
        total = totals.setdefault(key, [0] * len(COUNTED))
        for index, name in enumerate(COUNTED):
            total[index] += row[name]
    return {key: tuple(total) for key, total in totals.items()}


def stored(model, fields, period, since: datetime.date | None = None) -> dict[Key, Counts]:
    rows = model.objects.all() if since is None else model.objects.filter(day__gte=period(since))
    return {
        tuple(row[name] for name in fields): tuple(row[name] for name in COUNTED)
        for row in rows.values(*fields, *COUNTED).iterator()
        if any(row[name] for name in COUNTED)
    }


def differences(since: datetime.date | None = None) -> list[tuple[str, Key, Counts | None, Counts | None]]:
    """(rollup name, key, stored, recounted) for every row where a rollup and the cases disagree."""
    found = []
    for model, fields, period in ROLLUPS:
        have, want = stored(model, fields, period, since), recount(fields, period, since)
        for key in sorted(set(have) | set(want), key=str):
            if have.get(key) != want.get(key):
                found.append((model._meta.verbose_name, key, have.get(key), want.get(key)))
    return found


@transaction.atomic
def rebuild(since: datetime.date | None = None) -> int:
    """Replace the rows from `since` (all rows without it; the month rollup from the first of that month)
    by a recount. Idempotent; returns the row count."""
    written = 0
    for model, fields, period in ROLLUPS:
        (model.objects.all() if since is None else model.objects.filter(day__gte=period(since))).delete()
        fresh = (
            model(**dict(zip(fields, key)), **dict(zip(COUNTED, counts)))
            for key, counts in recount(fields, period, since).items()
        )
        written += len(model.objects.bulk_create(fresh, batch_size=2000))
    return written
