"""Reads of the item catalog that are more than a filter: the printed guides and notices (S1.6, S1.7, S5.3)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from staffing.models import Window

from .models import ItemCoDepartment, ItemHall, ItemStatus, ServiceItem


def items_for_print(queryset: QuerySet | None = None) -> QuerySet:
    """Items with everything a printed guide shows, in a fixed number of queries whatever their count."""
    queryset = ServiceItem.objects.all() if queryset is None else queryset
    return queryset.select_related("department", "window", "window__department").prefetch_related(
        "materials",
        "steps",
        Prefetch("co_department_links", queryset=ItemCoDepartment.objects.select_related("department")),
    )


def window_items_for_print(
    *, window: Window, include_inactive: bool = False, queryset: QuerySet | None = None
) -> QuerySet:
    """A window's items for its guide binder: only 在用 items unless drafts and suspended ones are asked for."""
    queryset = (ServiceItem.objects.all() if queryset is None else queryset).filter(window=window)
    if not include_inactive:
        queryset = queryset.filter(status=ItemStatus.ACTIVE)
    return items_for_print(queryset).order_by("code")


def windows_for_print() -> QuerySet:
    """Windows in use, each with how many of its items are 在用 and how many it has in all."""
    return (
        Window.objects.filter(is_active=True)
        .select_related("department")
        .annotate(
            item_count=Count("service_items"),
            active_item_count=Count("service_items", filter=Q(service_items__status=ItemStatus.ACTIVE)),
        )
        .order_by("number")
    )


def item_hall_ids(item: ServiceItem) -> set[int]:
    """The halls where `item` is offered: its 办理场所, or the center's own hall when it names none."""
    from halls.models.hall import center_hall_id

    ids = set(ItemHall.objects.filter(item=item).values_list("hall_id", flat=True))
    return ids or {center_hall_id()}


def item_offered_at(item: ServiceItem, hall_id: int) -> bool:
    return hall_id in item_hall_ids(item)


def item_halls(item: ServiceItem) -> list:
    """The halls where `item` is offered, the center's own first (for the guide's 场所 choice)."""
    from halls.models import Hall, HallKind

    halls = Hall.objects.filter(pk__in=item_hall_ids(item))
    return sorted(halls, key=lambda hall: (hall.kind != HallKind.CENTER, hall.sort_order, hall.name))
