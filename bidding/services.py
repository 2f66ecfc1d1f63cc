"""The writes of 招投标监督 (S1.1-g): registering an event, its status (已登记 → 已开标 → 已评标 → 已定标,
or 已中止 at any step before the award), and the irregularities the supervisor finds and follows up.

Every write runs the records' clean() (the date order 公告 ≤ 开标 ≤ 评标 ≤ 定标) and records the acting user."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .models import BiddingEvent, EventStatus, Irregularity

# status → the statuses it may move to (the one writer of BiddingEvent.status is event_set_status).
TRANSITIONS = {
    EventStatus.REGISTERED: (EventStatus.OPENED, EventStatus.SUSPENDED),
    EventStatus.OPENED: (EventStatus.EVALUATED, EventStatus.SUSPENDED),
    EventStatus.EVALUATED: (EventStatus.AWARDED, EventStatus.SUSPENDED),
    EventStatus.AWARDED: (),
    EventStatus.SUSPENDED: (),
}
# The date a transition stamps on the event.
STAMPED_DATE = {EventStatus.OPENED: "opening_on", EventStatus.EVALUATED: "evaluated_on", EventStatus.AWARDED: "awarded_on"}
EDITABLE_FIELDS = (
    "name", "number", "project_type", "method", "tenderer", "agency", "budget", "announced_on", "opening_on",
    "opening_time", "evaluated_on", "awarded_on", "venue", "supervisor", "winner", "note",
)  # fmt: skip


def _day(value: datetime.date) -> str:
    return date_format(value, "Y年n月j日")


def _check_permission(user, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied("您没有登记招投标监督的权限。")


def _save(event: BiddingEvent, user, reason: str = "") -> BiddingEvent:
    event.full_clean()
    event._history_user = user
    if reason:
        event._change_reason = reason
    event.save()
    return event


@transaction.atomic
def event_register(*, user, **fields) -> BiddingEvent:
    _check_permission(user, "bidding.add_biddingevent")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    event = BiddingEvent(**fields, status=EventStatus.REGISTERED, created_by=user)
    return _save(event, user, "登记招投标项目")


@transaction.atomic
def event_update(*, event: BiddingEvent, user, **fields) -> BiddingEvent:
    """Change the event's particulars (not its status)."""
    _check_permission(user, "bidding.change_biddingevent")
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not editable")
        setattr(event, name, value)
    return _save(event, user)


@transaction.atomic
def event_save(*, event: BiddingEvent, user) -> BiddingEvent:
    """The admin form's save of the particulars: a new event is registered; an existing one keeps its
    stored status (only event_set_status moves it)."""
    if event.pk is None:
        _check_permission(user, "bidding.add_biddingevent")
        event.status, event.created_by = EventStatus.REGISTERED, user
        return _save(event, user, "登记招投标项目")
    _check_permission(user, "bidding.change_biddingevent")
    event.status = BiddingEvent.objects.select_for_update().values_list("status", flat=True).get(pk=event.pk)
    return _save(event, user)


@transaction.atomic
def event_set_status(*, event: BiddingEvent, user, to: str, on: datetime.date | None = None, note: str = "", winner: str = "") -> BiddingEvent:
    """Move the event one step: 开标 needs its on-site supervisor, 定标 its winner, 中止 a reason."""
    _check_permission(user, "bidding.supervise_biddingevent")
    event = BiddingEvent.objects.select_for_update().get(pk=event.pk)
    to = EventStatus(to)
    if to not in TRANSITIONS[EventStatus(event.status)]:
        raise ValidationError(
            f"招投标项目「{event.name}」当前为“{event.get_status_display()}”,不能改为“{to.label}”。"
        )
    if to == EventStatus.OPENED and event.supervisor_id is None:
        raise ValidationError({"supervisor": f"招投标项目「{event.name}」未指派现场监督人员,不能登记开标。"})
    if to == EventStatus.AWARDED:
        winner = winner.strip() or event.winner
        if not winner:
            raise ValidationError({"winner": f"招投标项目「{event.name}」定标须填写中标人。"})
        event.winner = winner
    if to == EventStatus.SUSPENDED and not note.strip():
        raise ValidationError({"note": f"招投标项目「{event.name}」中止须说明原因。"})
    if field := STAMPED_DATE.get(to):
        setattr(event, field, on or getattr(event, field) or timezone.localdate())
    if note.strip():
        event.note = f"{event.note}\n{note.strip()}".strip()
    from_label = event.get_status_display()
    event.status = to
    return _save(event, user, f"{from_label} → {to.label} {note.strip()}".strip())


# --- 发现问题 and their follow-up ---------------------------------------------------------------------


def _save_irregularity(irregularity: Irregularity, user) -> Irregularity:
    irregularity.full_clean()
    irregularity._history_user = user
    irregularity.save()
    return irregularity


@transaction.atomic
def irregularity_record(*, event: BiddingEvent, user, description: str, found_on: datetime.date | None = None) -> Irregularity:
    _check_permission(user, "bidding.change_biddingevent")
    return _save_irregularity(Irregularity(event=event, description=description, found_on=found_on or timezone.localdate()), user)


@transaction.atomic
def irregularity_close(*, irregularity: Irregularity, user, follow_up: str, closed_on: datetime.date | None = None) -> Irregularity:
    _check_permission(user, "bidding.change_biddingevent")
    if irregularity.closed_on:
        raise ValidationError(f"问题「{irregularity.description[:20]}」已于{_day(irregularity.closed_on)}办结。")
    if not follow_up.strip():
        raise ValidationError({"follow_up": "请填写整改/处理情况。"})
    irregularity.follow_up, irregularity.closed_on = follow_up, closed_on or timezone.localdate()
    return _save_irregularity(irregularity, user)
