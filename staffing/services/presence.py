"""Who is at their post, and who acts for whom (去向牌 S1.10-b, AB岗 S1.9-b)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from ..models import Post, Staff, Whereabouts, WhereaboutsStatus


def away_entries(at: datetime.datetime):
    """The whereabouts entries in force at `at` (not yet ended)."""
    return Whereabouts.objects.filter(starts_at__lte=at, returns_at__gt=at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=at)
    ).exclude(status=WhereaboutsStatus.PRESENT)


def away_staff_ids(at: datetime.datetime | None = None) -> set[int]:
    return set(away_entries(at or timezone.now()).values_list("staff_id", flat=True))


def acting_holder(post: Post, at: datetime.datetime | None = None, away: set[int] | None = None) -> Staff | None:
    """A when present; else the first B holder, in order, who is present; None when nobody is."""
    away = away_staff_ids(at) if away is None else away
    if post.a_holder_id not in away:
        return post.a_holder
    for substitute in post.substitutes.select_related("staff").order_by("order"):
        if substitute.staff_id not in away and substitute.staff.is_active:
            return substitute.staff
    return None


def acting_for(staff: Staff, at: datetime.datetime | None = None) -> list[Staff]:
    """The A holders that `staff` currently stands in for."""
    away = away_staff_ids(at)
    posts = Post.objects.filter(substitutes__staff=staff, a_holder_id__in=away).select_related("a_holder").distinct()
    return [post.a_holder for post in posts if acting_holder(post, away=away) == staff]


def current_whereabouts(staff_ids, at: datetime.datetime | None = None) -> dict[int, Whereabouts]:
    entries = away_entries(at or timezone.now()).filter(staff_id__in=staff_ids).order_by("starts_at")
    return {entry.staff_id: entry for entry in entries}
