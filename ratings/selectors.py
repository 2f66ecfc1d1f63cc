"""Reads of the 好差评 rules: the figures by window, department, staff and month (R1.5), the monthly
window ranking, the month's facts for the assessment sheet, and what waits in whose inbox.

Every figure costs a fixed number of aggregate queries, whatever the number of cases and ratings."""

import datetime

from django.db.models import Count, Q

from casework.models import Case
from casework.statistics import COMPLETED, add_months, fold_months
from project.inbox import WaitingKind
from staffing import selectors as staffing_selectors

from .models import (
    BAD_LEVELS,
    CENTER_STATUSES,
    GOOD_LEVELS,
    UNIT_STATUSES,
    BadRatingTicket,
    Rating,
    RatingSettings,
    TicketOutcome,
    TicketStatus,
)

# group → (rating field, case field, label); ticket rows are grouped through their rating.
GROUPINGS = {
    "window": ("window__number", "window__number", "窗口"),
    "department": ("department__name", "department__name", "部门"),
    "hall": ("case__hall__name", "hall__name", "服务场所"),  # the hall where the case was received
    "staff": ("staff__name", "handler__name", "工作人员"),
    "month": ("rated_on", "completed_on", "月份"),
}
GOOD = Q(level__in=GOOD_LEVELS)
BAD = Q(level__in=BAD_LEVELS)
# 整改到位: fixed at once, fixed by the deadline, or (no legal basis) explained.
RECTIFIED = Q(ticket__rectified_on__isnull=False) | Q(ticket__outcome=TicketOutcome.EXPLAIN, ticket__visited_on__isnull=False)


def counted_ratings():
    """Ratings that count: an upheld appeal keeps the rating in history but out of the figures (R1.4)."""
    return Rating.objects.filter(excluded=False)


def _percent(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else None


def rating_figures(
    start: datetime.date, end: datetime.date, by: str = "window", department_ids=None, hall_ids=None
) -> list[dict]:
    """评价率, 好评率, 差评率, 实名差评回访率, 整改率 per group, for ratings made and cases completed in
    [start, end]. Two aggregate queries."""
    rating_field, case_field, _label = GROUPINGS[by]
    ratings = counted_ratings().filter(rated_on__range=(start, end))
    cases = Case.objects.filter(completed_on__range=(start, end), status__in=COMPLETED)
    if department_ids is not None:
        ratings = ratings.filter(department_id__in=department_ids)
        cases = cases.filter(department_id__in=department_ids)
    if hall_ids is not None:
        ratings = ratings.filter(case__hall_id__in=hall_ids)
        cases = cases.filter(hall_id__in=hall_ids)
    rating_rows = ratings.values(rating_field).annotate(
        ratings=Count("pk"),
        rated_cases=Count("case", distinct=True),
        good=Count("pk", filter=GOOD),
        bad=Count("pk", filter=BAD),
        real_bad=Count("pk", filter=BAD & Q(real_name=True)),
        real_bad_visited=Count("pk", filter=BAD & Q(real_name=True, ticket__visited_on__isnull=False)),
        bad_rectified=Count("pk", filter=BAD & RECTIFIED),
    )
    case_rows = cases.values(case_field).annotate(completed=Count("pk"))
    group = fold_months if by == "month" else _keyed
    rows, completed = group(rating_rows, rating_field), group(case_rows, case_field)
    keys = sorted(set(rows) | set(completed), key=lambda key: (key is None, str(key)))
    return [_figures(key, rows.get(key), completed.get(key, {}).get("completed", 0)) for key in keys]


def _keyed(rows, field: str) -> dict:
    return {row[field]: {name: value for name, value in row.items() if name != field} for row in rows}


EMPTY = {"ratings": 0, "rated_cases": 0, "good": 0, "bad": 0, "real_bad": 0, "real_bad_visited": 0, "bad_rectified": 0}


def _figures(key, row, completed: int) -> dict:
    row = row or EMPTY
    return {
        "key": key,
        "completed": completed,
        **row,
        "rating_rate": _percent(row["rated_cases"], completed),
        "good_rate": _percent(row["good"], row["ratings"]),
        "bad_rate": _percent(row["bad"], row["ratings"]),
        "visit_rate": _percent(row["real_bad_visited"], row["real_bad"]),
        "rectify_rate": _percent(row["bad_rectified"], row["bad"]),
    }


def totals(rows: list[dict]) -> dict:
    summed = {name: sum(row[name] for row in rows) for name in ("completed", *EMPTY)}
    return _figures("合计", {name: summed[name] for name in EMPTY}, summed["completed"])


def month_range(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, add_months(first, 1) - datetime.timedelta(days=1)


# --- The monthly window ranking (R1.5) -------------------------------------------------------------


def _rank_key(row):
    # Best first: the highest 好评率, then the lowest 差评率, then the most ratings.
    return (-(row["good_rate"] or 0), row["bad_rate"] or 0, -row["ratings"], str(row["key"]))


def window_ranking(month: datetime.date, months: int | None = None) -> dict:
    """The month's windows ranked by their ratings, and the windows last in each of the last N months
    (N = RatingSettings.talk_months) listed for a talk (约谈). One aggregate query for all N months."""
    months = months or RatingSettings.load().talk_months
    first = add_months(month, -(months - 1))
    last_day = month_range(month)[1]
    rows = (
        counted_ratings()
        .filter(rated_on__range=(first, last_day))
        .values("window__number", "window__name", "rated_on")
        .annotate(ratings=Count("pk"), good=Count("pk", filter=GOOD), bad=Count("pk", filter=BAD))
    )
    per_month: dict[datetime.date, dict] = {}
    names = {}
    for row in rows:
        names[row["window__number"]] = row["window__name"]
        key = row["rated_on"].replace(day=1)
        counts = per_month.setdefault(key, {}).setdefault(row["window__number"], {"ratings": 0, "good": 0, "bad": 0})
        for name in counts:
            counts[name] += row[name]
    ranked = {}
    for key, windows in per_month.items():
        ranked[key] = sorted(
            (
                {
                    "key": number,
                    "name": names[number],
                    **counts,
                    "good_rate": _percent(counts["good"], counts["ratings"]),
                    "bad_rate": _percent(counts["bad"], counts["ratings"]),
                }
                for number, counts in windows.items()
            ),
            key=_rank_key,
        )
    this_month = ranked.get(month.replace(day=1), [])
    for position, row in enumerate(this_month, start=1):
        row["rank"] = position
    lasts = [ranked.get(add_months(first, n), [None])[-1] if ranked.get(add_months(first, n)) else None for n in range(months)]
    talk = []
    if lasts and all(last is not None for last in lasts) and len({last["key"] for last in lasts}) == 1:
        # Only a window that came last among several: a single rated window is not "last".
        if all(len(ranked[add_months(first, n)]) > 1 for n in range(months)):
            talk = [{"key": lasts[-1]["key"], "name": lasts[-1]["name"], "months": months}]
    return {"month": month.replace(day=1), "ranking": this_month, "talk": talk, "months": months}


def window_label(number, name="") -> str:
    return f"{number}号窗口 {name}".strip() if number else "—"


# --- The assessment sheet (S1.1-c) -----------------------------------------------------------------


def staff_month_rating_facts(staff, year: int, month: int) -> dict:
    first = datetime.date(year, month, 1)
    counts = counted_ratings().filter(staff=staff, rated_on__range=month_range(first)).aggregate(
        ratings_count=Count("pk"), ratings_good=Count("pk", filter=GOOD), ratings_bad=Count("pk", filter=BAD)
    )
    return counts


# --- The index: this month's rates for leaders and inspectors --------------------------------------


def index_rates(user, today: datetime.date) -> dict | None:
    if not user.has_perm("ratings.view_rating"):
        return None
    names = staffing_selectors.user_role_names(user)
    from staffing import roles

    if not (user.is_superuser or names & {roles.MAIN_LEADER, roles.LEADER_IN_CHARGE, roles.INSPECTOR}):
        return None
    department_ids = None if staffing_selectors.user_sees_all_departments(user) else staffing_selectors.user_department_ids(user)
    start, end = month_range(today)
    rows = rating_figures(start, end, by="month", department_ids=department_ids)
    return {"month": start, **(rows[0] if rows else _figures(start, None, 0))}


# --- 待我办理 (project.inbox) ----------------------------------------------------------------------


def tickets_waiting_for_unit(user, staff):
    """Tickets waiting for the handling unit: visit back, rectify, reply; for its department heads."""
    from staffing import roles

    if staffing_selectors.user_sees_all_departments(user):
        return None  # the center reviews; it does not do the unit's steps
    if not staffing_selectors.user_role_names(user) & {roles.WINDOW_HEAD, roles.SECTION_HEAD}:
        return None
    return BadRatingTicket.objects.filter(status__in=UNIT_STATUSES, department_id__in=staffing_selectors.user_department_ids(user))


def tickets_waiting_for_center(user, staff):
    return BadRatingTicket.objects.filter(status__in=CENTER_STATUSES)


WAITING = [
    WaitingKind(
        key="ratings.ticket_unit",
        label="差评工单待回访核实、整改或答复",
        permission="ratings.handle_badratingticket",
        records=tickets_waiting_for_unit,
        url_name="admin:ratings_badratingticket_changelist",
        query="todo=unit",
    ),
    WaitingKind(
        key="ratings.ticket_center",
        label="差评工单待中心审核或申诉复核",
        permission="ratings.review_badratingticket",
        records=tickets_waiting_for_center,
        url_name="admin:ratings_badratingticket_changelist",
        query="todo=center",
    ),
]


def open_tickets():
    return BadRatingTicket.objects.exclude(status__in=(TicketStatus.CLOSED, TicketStatus.APPEAL_UPHELD))


def device_home(user) -> str | None:
    """A pad's device account (no staff record, a RatingPad) opens on the pad page, wherever it lands."""
    from django.urls import reverse

    from .models import RatingPad

    if not user.is_authenticated or getattr(user, "staff", None) is not None:
        return None
    if RatingPad.objects.filter(user=user).exists():
        return reverse("admin:ratings_pad")
    return None
