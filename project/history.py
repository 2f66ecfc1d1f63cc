"""One timeline of every change to every record (history review, issue 10).

It reads the history tables of all project models. A page is built without COUNT and without a
scan: each history table gives its newest keys after the cursor through its history_date index, one
UNION ALL of those short lists picks the page, and only the tables on the page are read for the rows
and their previous versions. The number of queries depends on the tables on the page, never on the
number of rows.
"""

import dataclasses
import datetime
import functools

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from simple_history.models import registered_models

PROJECT_APPS = ("project", "staffing", "registry", "casework", "meetings", "documents")
KIND_LABELS = {"+": "新增", "~": "修改", "-": "删除"}
SKIPPED_FIELDS = {"version", "history_id", "history_date", "history_change_reason", "history_type", "history_user", "history_user_id"}


@functools.cache
def tracked_models():
    """(model, historical model) for every project model with history, in a stable order.

    Cached: the set of models is fixed once the apps are loaded, and simple-history builds a new
    manager on every `model.history` access."""
    pairs = []
    for model in registered_models.values():
        if model._meta.app_label in PROJECT_APPS:
            pairs.append((model, model.history.model))
    return tuple(sorted(pairs, key=lambda pair: pair[0]._meta.label))


@dataclasses.dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclasses.dataclass
class Entry:
    model: type
    row: object
    previous: object | None
    changes: list
    cursor: "Cursor"

    @property
    def kind(self):
        return KIND_LABELS.get(self.row.history_type, self.row.history_type)

    @property
    def when(self):
        return self.row.history_date

    @property
    def user(self):
        return self.row.history_user

    @property
    def record_label(self):
        return f"{self.model._meta.verbose_name}:{self.row.instance}"

    @property
    def object_id(self):
        return self.row.id

    @property
    def reason(self):
        return self.row.history_change_reason or ""

    def link(self):
        opts = self.model._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.row.id])
        except NoReverseMatch:
            return ""

    def history_link(self):
        opts = self.model._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[self.row.id, self.row.history_id])
        except NoReverseMatch:
            return ""


@dataclasses.dataclass
class Filters:
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    user_id: int | None = None
    department_id: int | None = None
    app_label: str = ""
    model_label: str = ""
    kind: str = ""
    text: str = ""
    object_id: int | None = None


def display_value(field, value, related_names) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return related_names.get((field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS and f.attname not in SKIPPED_FIELDS]


def _filter(history_model, model, filters: Filters, visible):
    qs = history_model.objects.all()
    if filters.start:
        qs = qs.filter(history_date__gte=filters.start)
    if filters.end:
        qs = qs.filter(history_date__lt=filters.end)
    if filters.user_id:
        qs = qs.filter(history_user_id=filters.user_id)
    if filters.department_id:
        qs = qs.filter(history_user__staff__department_id=filters.department_id)
    if filters.kind:
        qs = qs.filter(history_type=filters.kind)
    if filters.object_id:
        qs = qs.filter(id=filters.object_id)
    if filters.text:
        text_fields = [f.name for f in _fields(model) if f.get_internal_type() in ("CharField", "TextField") and not f.choices]
        condition = Q(history_change_reason__icontains=filters.text)
        for name in text_fields[:6]:
            condition |= Q(**{f"{name}__icontains": filters.text})
        qs = qs.filter(condition)
    restriction = visible.get(model._meta.label) if visible else None
    if restriction is not None:
        qs = qs.filter(restriction)
    return qs


@dataclasses.dataclass(frozen=True)
class Cursor:
    """Where a page ends: the timeline's order is (history_date, table, history_id), newest first.

    The table and the id break ties: an import writes all its history rows with one date."""

    when: datetime.datetime
    table: int  # the position of the model in tracked_models()
    history_id: int

    def __str__(self):
        return f"{self.when.isoformat()}~{tracked_models()[self.table][0]._meta.label}~{self.history_id}"

    @classmethod
    def parse(cls, text: str):
        """A cursor from the link of the previous page (None if it is not one)."""
        from django.utils.dateparse import parse_datetime

        when, _, rest = text.partition("~")
        label, _, history_id = rest.partition("~")
        try:
            moment = parse_datetime(when)
        except ValueError:
            return None
        labels = [model._meta.label for model, _ in tracked_models()]
        if moment is None or label not in labels or not history_id.isdigit() or len(history_id) > 18:
            return None
        return cls(moment, labels.index(label), int(history_id))


def _after_cursor_sql(table: int, cursor: Cursor) -> tuple[str, list]:
    """The rows of history table number `table` that come after `cursor` in timeline order."""
    db_table = connection.ops.quote_name(tracked_models()[table][1]._meta.db_table)
    when = connection.ops.adapt_datetimefield_value(cursor.when)
    if table < cursor.table:
        return f"{db_table}.history_date <= %s", [when]
    if table > cursor.table:
        return f"{db_table}.history_date < %s", [when]
    return (
        f"({db_table}.history_date < %s OR ({db_table}.history_date = %s AND {db_table}.history_id < %s))",
        [when, when, cursor.history_id],
    )


def _key_query(table: int, filters: Filters, cursor, size: int, visible) -> tuple[str, list]:
    """The SQL of one table's newest `size` keys (history_date, history_id) that pass the filters.

    Written directly when the filters are on the columns every history table has: compiling 76
    querysets through the ORM cost more than running the whole union. The text search and the
    secrecy restrictions, which differ per model, go through the ORM (`_filter`)."""
    model, history = tracked_models()[table]
    restriction = visible.get(model._meta.label) if visible else None
    if filters.text or restriction is not None:
        qs = _filter(history, model, filters, visible)
        if cursor is not None:
            qs = qs.filter(RawSQL(*_after_cursor_sql(table, cursor), output_field=BooleanField()))
        return qs.order_by("-history_date", "-history_id").values_list("history_date", "history_id")[:size].query.sql_with_params()
    moment = connection.ops.adapt_datetimefield_value
    conditions, params = [], []
    if filters.start:
        conditions.append("history_date >= %s")
        params.append(moment(filters.start))
    if filters.end:
        conditions.append("history_date < %s")
        params.append(moment(filters.end))
    if filters.user_id:
        conditions.append("history_user_id = %s")
        params.append(filters.user_id)
    if filters.department_id:
        from staffing.models import Staff

        staff_table, user_column = Staff._meta.db_table, Staff._meta.get_field("user").column
        conditions.append(f'history_user_id IN (SELECT "{user_column}" FROM "{staff_table}" WHERE department_id = %s)')
        params.append(filters.department_id)
    if filters.kind:
        conditions.append("history_type = %s")
        params.append(filters.kind)
    if filters.object_id:
        conditions.append("id = %s")
        params.append(filters.object_id)
    if cursor is not None:
        condition, cursor_params = _after_cursor_sql(table, cursor)
        conditions.append(condition)
        params += cursor_params
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = f'SELECT history_date, history_id FROM "{history._meta.db_table}"{where} ORDER BY history_date DESC, history_id DESC LIMIT {int(size)}'
    return sql, params


def _page_keys(tables, filters: Filters, cursor, size: int, visible) -> list[tuple[int, int]]:
    """(table, history_id) of the page's rows, in timeline order, from one query.

    Each table gives its newest `size` keys through its history_date index; the union of those short
    lists is sorted and cut in the database."""
    parts, params = [], []
    for table in tables:
        try:
            sql, part_params = _key_query(table, filters, cursor, size, visible)
        except EmptyResultSet:
            continue
        parts.append(f"SELECT k.*, {table} AS t FROM ({sql}) k")
        params.extend(part_params)
    if not parts:
        return []
    union = " UNION ALL ".join(parts)
    with connection.cursor() as db:
        db.execute(f"SELECT t, history_id FROM ({union}) u ORDER BY history_date DESC, t DESC, history_id DESC LIMIT %s", [*params, size])
        return db.fetchall()


def timeline_page(filters: Filters, *, before: Cursor | None = None, size: int = 50, visible=None) -> list[Entry]:
    """The newest `size` changes after the cursor `before` that pass `filters`, with their field diffs.

    Queries: one for the page's keys, then two for each table on the page (its rows, with the id of
    each row's previous version, and those versions) and one per related model named in the diffs."""
    tables = [
        table
        for table, (model, _) in enumerate(tracked_models())
        if (not filters.app_label or model._meta.app_label == filters.app_label)
        and (not filters.model_label or model._meta.label == filters.model_label)
    ]
    keys = _page_keys(tables, filters, before, size, visible)
    chosen: dict[int, list[int]] = {}
    for table, history_id in keys:
        chosen.setdefault(table, []).append(history_id)
    related_wanted: dict = {}
    prepared = {}
    for table, history_ids in chosen.items():
        model, history = tracked_models()[table]
        previous_id = history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id").values("history_id")[:1]
        rows = list(history.objects.filter(history_id__in=history_ids).select_related("history_user__staff__department").annotate(previous_id=Subquery(previous_id)))
        previous = {p.history_id: p for p in history.objects.filter(history_id__in=[r.previous_id for r in rows if r.previous_id])}
        for row in rows:
            before_row = previous.get(row.previous_id)
            diffs = []
            for field in _fields(model):
                new = getattr(row, field.attname, None)
                old = getattr(before_row, field.attname, None) if before_row is not None else None
                if row.history_type == "~" and before_row is not None and old == new:
                    continue
                if row.history_type == "+" and new in (None, ""):
                    continue
                if row.history_type == "-":
                    continue
                diffs.append((field, old, new))
                if field.is_relation:
                    related_wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v is not None)
            prepared[(table, row.history_id)] = (model, row, before_row, diffs)
    related_names = {}
    for related_model, ids in related_wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, obj.pk)] = str(obj)
    entries = []
    for table, history_id in keys:
        model, row, before_row, diffs = prepared[(table, history_id)]
        changes = [
            Change(field.name, str(field.verbose_name), display_value(field, old, related_names), display_value(field, new, related_names))
            for field, old, new in diffs
        ]
        entries.append(Entry(model=model, row=row, previous=before_row, changes=changes, cursor=Cursor(row.history_date, table, history_id)))
    return entries


def secrecy_restrictions(user) -> dict:
    """History of documents outside the user's scope stays hidden (S3.6-b)."""
    from documents.selectors import documents_visible_to

    visible_ids = documents_visible_to(user).values("pk")
    document_rows = Q(id__in=visible_ids)
    child_rows = Q(document_id__in=visible_ids)
    # 收文 (S3.6-g) are secret in the same way.
    from documents.selectors import incoming_visible_to

    incoming_ids = incoming_visible_to(user).values("pk")
    return {
        "documents.Document": document_rows,
        "documents.DocumentAttachment": child_rows,
        "documents.Circulation": child_rows | Q(incoming_id__in=incoming_ids),
        "documents.DocumentScopeStaff": child_rows,
        "documents.DocumentScopeDepartment": child_rows,
        "documents.IncomingDocument": Q(id__in=incoming_ids),
        "documents.IncomingAttachment": Q(incoming_id__in=incoming_ids),
    }


def version_as_of(model, object_id, moment: datetime.datetime):
    """The record as it stood at `moment` (None if it did not exist yet)."""
    return model.history.filter(id=object_id, history_date__lte=moment).order_by("-history_date", "-history_id").first()


def model_choices():
    return [(model._meta.label, f"{apps.get_app_config(model._meta.app_label).verbose_name} · {model._meta.verbose_name}") for model, _ in tracked_models()]
