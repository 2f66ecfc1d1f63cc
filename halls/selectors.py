"""Reads of the halls app: which halls a user's work is scoped to, and the hall choices of the filters."""

from django.core.cache import cache
from django.db.models import Q, QuerySet

from staffing import selectors as staffing_selectors

from .models import Hall

CHOICES_CACHE_KEY = "halls:choices"
CHOICES_SECONDS = 60


def halls_of(user) -> set[int] | None:
    """The halls whose work `user` sees: None for every hall (center-wide roles, and staff without a
    window who head no hall), else the hall of their window and the halls they head.

    Hall scoping narrows department scoping, it never widens it."""
    if not user.is_authenticated or staffing_selectors.user_sees_all_departments(user):
        return None
    cached = getattr(user, "_hall_ids", False)
    if cached is False:
        staff = getattr(user, "staff", None)
        if staff is None:
            cached = None
        else:
            ids = set(Hall.objects.filter(Q(windows__staff=staff) | Q(head=staff)).values_list("pk", flat=True).distinct())
            cached = ids or None
        user._hall_ids = cached
    return cached


def scope_to_hall(queryset: QuerySet, user, hall_path: str = "hall") -> QuerySet:
    """Row-level hall scoping used by every list of hall work (cases, deadlines, ratings, complaints)."""
    hall_ids = halls_of(user)
    if hall_ids is None:
        return queryset
    return queryset.filter(**{f"{hall_path}__in": hall_ids})


def user_acts_for_hall(user, hall_id: int) -> bool:
    hall_ids = halls_of(user)
    return hall_ids is None or hall_id in hall_ids


def hall_choices() -> list[tuple[int, str]]:
    """(pk, name) of every hall that works in the system, in the system's order, so that the 服务场所
    filters add no query to the lists. Cached for a minute: a saved hall clears this process's copy
    (halls.apps), other processes see it within CHOICES_SECONDS."""
    choices = cache.get(CHOICES_CACHE_KEY)
    if choices is None:
        choices = list(Hall.objects.filter(uses_system=True).values_list("pk", "name"))
        cache.set(CHOICES_CACHE_KEY, choices, CHOICES_SECONDS)
    return choices


def visible_hall_choices(user) -> list[tuple[int, str]]:
    hall_ids = halls_of(user)
    return [(pk, name) for pk, name in hall_choices() if hall_ids is None or pk in hall_ids]


def clear_hall_choices(**kwargs) -> None:
    cache.delete(CHOICES_CACHE_KEY)
