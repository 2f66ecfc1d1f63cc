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


# --- 我的已办: what the user did lately, from the history tables -----------------------------------

DONE_DAYS = 30
# Written by the system on the user's behalf, not work the user did.
DONE_SKIPPED = {"project.LoginEvent"}


@dataclasses.dataclass(frozen=True)
class DoneLine:
    label: str  # the record type, e.g. 「办件管理 · 办件」
    actions: int  # history rows written by the user
    records: int  # distinct records they touched
    url: str  # the timeline filtered to the user, that record type and the period


def done_counts(user, days: int = DONE_DAYS) -> list[DoneLine]:
    """Per record type, what `user` changed in the last `days` days (django-simple-history rows with
    history_user = the user), in one query whatever the number of history tables."""
    if not user.is_authenticated:
        return []
    from django.utils import timezone

    from .history import model_choices, tracked_models

    since = timezone.now() - timezone.timedelta(days=days)
    parts, params, models = [], [], []
    quote = connection.ops.quote_name
    for model, history_model in tracked_models():
        if model._meta.label in DONE_SKIPPED:
            continue
        table = quote(history_model._meta.db_table)
        parts.append(
            f"SELECT {len(models)}, COUNT(*), COUNT(DISTINCT {quote('id')}) FROM {table} "
            f"WHERE {quote('history_user_id')} = %s AND {quote('history_date')} >= %s"
        )
        params.extend([user.pk, since])
        models.append(model)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    labels = dict(model_choices())
    try:
        timeline = reverse("history_timeline")
    except NoReverseMatch:
        timeline = ""
    start = timezone.localtime(since).date().isoformat()
    lines = []
    for index, actions, records in sorted(rows):
        if not actions:
            continue
        label = models[index]._meta.label
        url = f"{timeline}?user={user.pk}&model={label}&start={start}" if timeline else ""
        lines.append(DoneLine(label=labels.get(label, str(models[index]._meta.verbose_name)), actions=actions, records=records, url=url))
    return lines
