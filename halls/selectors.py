"""Reads of the halls app: which halls a user's work is scoped to, and the hall choices of the filters."""

from django.core.cache import cache
from django.db.models import Exists, Q, QuerySet

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
            ids = set(_staff_halls(staff).values_list("pk", flat=True).distinct())
            cached = ids or None
        user._hall_ids = cached
    return cached


def _staff_halls(staff) -> QuerySet:
    return Hall.objects.filter(Q(windows__staff=staff) | Q(head=staff)).values("pk")


def hall_scope(user, hall_path: str = "hall") -> Q | None:
    """The condition of halls_of as SQL, so that a scoped list costs no query of its own: the row's hall
    is one of the user's halls, or the user has none (None: no condition)."""
    if not user.is_authenticated or staffing_selectors.user_sees_all_departments(user):
        return None
    staff = getattr(user, "staff", None)
    if staff is None:
        return None
    halls = _staff_halls(staff)
    return Q(**{f"{hall_path}__in": halls}) | ~Exists(halls)


def scope_to_hall(queryset: QuerySet, user, hall_path: str = "hall") -> QuerySet:
    """Row-level hall scoping used by every list of hall work (cases, deadlines, ratings)."""
    condition = hall_scope(user, hall_path)
    return queryset if condition is None else queryset.filter(condition)


def hall_choices() -> list[tuple[int, str]]:
    """(pk, name) of every hall that works in the system, in the system's order, so that the 服务场所
    filters add no query to the lists. Cached for a minute: a saved hall clears this process's copy
    (halls.apps), other processes see it within CHOICES_SECONDS."""
    choices = cache.get(CHOICES_CACHE_KEY)
    if choices is None:
        choices = list(Hall.objects.filter(uses_system=True).values_list("pk", "name"))
        cache.set(CHOICES_CACHE_KEY, choices, CHOICES_SECONDS)
    return choices


def filter_hall_choices(user) -> list[tuple[int, str]]:
    """The choices of the 服务场所 filters: every hall for center roles and for staff without a window;
    none for window staff, who work at one hall (a filter adds no query: hall_choices is cached)."""
    staff = getattr(user, "staff", None)
    if not staffing_selectors.user_sees_all_departments(user) and staff is not None and staff.window_id is not None:
        return []
    return hall_choices()


def clear_hall_choices(**kwargs) -> None:
    cache.delete(CHOICES_CACHE_KEY)


from .inspection_selectors import WAITING  # noqa: F401  (待整改, 待复查: project.inbox reads halls.selectors.WAITING)
