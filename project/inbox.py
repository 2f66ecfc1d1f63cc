"""待我办理: one registry of what waits for whom.

Each app declares its own waiting work in its `selectors` module, as a list named `WAITING` of
`WaitingKind`. A kind says, for a signed-in user, which records wait for that user (a queryset, or None
when the kind is not the user's business) and which list shows them. The index counts every kind the
user has in one query, whatever the number of kinds and records (`waiting_counts`).
"""

import dataclasses
from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse


@dataclasses.dataclass(frozen=True)
class WaitingKind:
    key: str  # unique, e.g. "casework.refusal_approval"
    label: str  # what the index shows, e.g. 「重大事项否定报备待审批」
    records: Callable  # (user, staff) -> QuerySet | None
    url_name: str  # admin URL name of the list, e.g. "admin:casework_refusal_changelist"
    query: str = ""  # the list's filter that narrows it to these records, e.g. "awaiting=me"
    permission: str = ""  # the user must hold it, e.g. "casework.change_refusal"

    def url(self) -> str:
        try:
            url = reverse(self.url_name)
        except NoReverseMatch:
            return ""
        return f"{url}?{self.query}" if self.query else url


@dataclasses.dataclass(frozen=True)
class WaitingLine:
    key: str
    label: str
    count: int
    url: str


_kinds: list[WaitingKind] | None = None


def kinds() -> list[WaitingKind]:
    """Every app's `selectors.WAITING`, in the order of INSTALLED_APPS."""
    global _kinds
    if _kinds is None:
        found = []
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.selectors")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.selectors":
                    raise
                continue
            found.extend(getattr(module, "WAITING", []))
        keys = [kind.key for kind in found]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            raise RuntimeError(f"待办类型重复登记:{sorted(duplicates)}")
        _kinds = found
    return _kinds


def waiting_querysets(user) -> list[tuple[WaitingKind, QuerySet]]:
    """The user's kinds with the records waiting in each (not yet counted)."""
    staff = getattr(user, "staff", None)
    if staff is None or not user.is_active:
        return []
    chosen = []
    for kind in kinds():
        if kind.permission and not user.has_perm(kind.permission):
            continue
        queryset = kind.records(user, staff)
        if queryset is not None:
            chosen.append((kind, queryset))
    return chosen


def waiting_counts(user) -> list[WaitingLine]:
    """One line per kind with records waiting for the user, counted in a single query."""
    chosen = waiting_querysets(user)
    if not chosen:
        return []
    counts = count_all([queryset for _, queryset in chosen])
    return [
        WaitingLine(key=kind.key, label=kind.label, count=count, url=kind.url())
        for (kind, _), count in zip(chosen, counts)
        if count
    ]


def count_all(querysets: list[QuerySet]) -> list[int]:
    """COUNT(*) of each queryset, all in one SELECT of scalar subqueries."""
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, inner_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # .none(), or pk__in=[]
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS waiting_{len(parts)})")
        params.extend(inner_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [int(value) for value in cursor.fetchone()]
