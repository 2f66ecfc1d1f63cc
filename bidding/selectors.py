"""Reads of 招投标监督 (S1.1-g): the opening calendar, what waits for a supervisor, and the figures.

The figures cost three aggregate queries, whatever the number of events: events, irregularities,
and the bidding complaints. The complaints live in casework's register, above this app: casework
registers the function that counts them (`register_complaint_figures`), so bidding never imports it."""

import datetime

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from project.inbox import WaitingKind
from staffing.working_days import add_working_days

from .models import BiddingEvent, BiddingSettings, EventStatus, Irregularity, ProjectType

HELD_STATUSES = (EventStatus.OPENED, EventStatus.EVALUATED, EventStatus.AWARDED)


# --- 开标日历 ---------------------------------------------------------------------------------------


def calendar_horizon(today: datetime.date, days: int | None = None) -> datetime.date:
    """The last day of the opening calendar: N working days after today (N = BiddingSettings.calendar_days)."""
    return add_working_days(today, BiddingSettings.load().calendar_days if days is None else days)


def upcoming_openings(today: datetime.date | None = None, days: int | None = None):
    """Events not yet opened whose opening falls from today to the calendar's horizon, earliest first."""
    today = today or timezone.localdate()
    return (
        BiddingEvent.objects.filter(status=EventStatus.REGISTERED, opening_on__range=(today, calendar_horizon(today, days)))
        .select_related("supervisor__department")
        .order_by("opening_on", "opening_time", "pk")
    )


def openings_needing_supervisor(today: datetime.date | None = None, days: int | None = None):
    """需要派员监督: upcoming openings without an on-site supervisor."""
    return upcoming_openings(today, days).filter(supervisor__isnull=True)


def openings_without_supervisor(today: datetime.date | None = None):
    """Every opening still ahead (today included) without an on-site supervisor, whatever its distance:
    the inbox's 待派员监督的开标. No settings and no calendar are read, so the inbox's count costs no
    query of its own (project.inbox counts every kind in one)."""
    return BiddingEvent.objects.filter(
        status=EventStatus.REGISTERED, supervisor__isnull=True, opening_on__gte=today or timezone.localdate()
    )


WAITING = [
    WaitingKind(
        key="bidding.needs_supervisor",
        label="待派员监督的开标",
        permission="bidding.change_biddingevent",
        records=lambda user, staff: openings_without_supervisor(),
        url_name="admin:bidding_biddingevent_changelist",
        query="supervision=needed",
    ),
]


# --- 招投标监督统计 ----------------------------------------------------------------------------------

GROUPINGS = {"month": "月份", "type": "项目类型"}
EVENT_FIGURES = ("events", "held", "suspended", "awarded", "budget")
IRREGULARITY_FIGURES = ("irregularities", "irregularities_closed")
COMPLAINT_FIGURES = ("complaints", "complaints_upheld", "complaints_closed", "complaints_on_time")
FIGURES = EVENT_FIGURES + IRREGULARITY_FIGURES + COMPLAINT_FIGURES

_complaint_providers = []


def register_complaint_figures(provider) -> None:
    """`provider(start, end, by) -> [{"key": ..., figure: value}]` for the bidding complaints received in
    [start, end], keyed by the day received (folded into months here) or the project type."""
    if provider not in _complaint_providers:
        _complaint_providers.append(provider)


def _group_expression(date_field: str, type_field: str, by: str):
    # By month the database groups by the day and the rows are folded into months here: SQLite has
    # no month function (casework.statistics.fold_months).
    return F(date_field) if by == "month" else F(type_field)


def _month_key(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1) if value else value


def bidding_figures(start: datetime.date, end: datetime.date, by: str = "month") -> list[dict]:
    """Per month (or project type): events opening in [start, end] — all, held under supervision,
    suspended, awarded, and the budget of those held; irregularities found in the period and how many
    of those are closed; bidding complaints received in the period, upheld, answered, answered on time."""
    if by not in GROUPINGS:
        raise ValueError(by)
    events = (
        BiddingEvent.objects.filter(opening_on__range=(start, end))
        .annotate(key=_group_expression("opening_on", "project_type", by))
        .values("key")
        .order_by()
        .annotate(
            events=Count("pk"),
            held=Count("pk", filter=Q(status__in=HELD_STATUSES)),
            suspended=Count("pk", filter=Q(status=EventStatus.SUSPENDED)),
            awarded=Count("pk", filter=Q(status=EventStatus.AWARDED)),
            budget=Sum("budget", filter=Q(status__in=HELD_STATUSES)),
        )
    )
    irregularities = (
        Irregularity.objects.filter(found_on__range=(start, end))
        .annotate(key=_group_expression("found_on", "event__project_type", by))
        .values("key")
        .order_by()
        .annotate(irregularities=Count("pk"), irregularities_closed=Count("pk", filter=Q(closed_on__isnull=False)))
    )
    rows: dict = {}

    def add(key, values):
        key = _month_key(key) if by == "month" else key
        row = rows.setdefault(key, dict.fromkeys(FIGURES, 0))
        for name, value in values.items():
            if name != "key":
                row[name] += value or 0

    for row in events:
        add(row["key"], row)
    for row in irregularities:
        add(row["key"], row)
    for provider in _complaint_providers:
        for row in provider(start, end, by):
            add(row["key"], row)
    order = [code for code, _ in ProjectType.choices]
    if by == "month":
        keys = sorted(rows, key=lambda key: (key is None, key or datetime.date.min))
    else:
        keys = sorted(rows, key=lambda key: (order.index(key) if key in order else len(order)))
    return [{"key": key, "label": group_label(by, key), **rows[key]} for key in keys]


def group_label(by: str, key) -> str:
    if key is None:
        return "(未关联项目)"
    if by == "month":
        return f"{key.year}年{key.month}月"
    return dict(ProjectType.choices).get(key, str(key))


def figure_totals(rows: list[dict]) -> dict:
    return {"key": None, "label": "合计", **{name: sum(row[name] for row in rows) for name in FIGURES}}
