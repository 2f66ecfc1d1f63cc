"""One timeline of every change to every record (history review, issue 10).

It reads the history tables of all project models. A page is built without COUNT and without a
scan: each history table gives its newest keys after the cursor through its history_date index, one
UNION ALL of those short lists picks the page, and only the tables on the page are read for the rows
and their previous versions. The number of queries depends on the tables on the page, never on the
number of rows.
"""

import dataclasses
import datetime
import difflib
import functools
import os
import re

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import BooleanField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from simple_history.models import registered_models

from .history_names import history_names, names_of

PROJECT_APPS = ("project", "staffing", "registry", "casework", "meetings", "documents")
KIND_LABELS = {"+": "新增", "~": "修改", "-": "删除"}
EMPTY = "空"
SIGN_INS = "project.LoginEvent"  # sign-ins have their own view (登录记录); the timeline leaves them out
SECRET_TITLE = "(涉密文件)"
LONG_TEXT = 60  # text longer than this gets a word-level diff instead of old → new
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
    diff: str = ""  # a word-level diff (safe HTML) for long text; empty for short values
    source: bool = False  # the value is source text (a template, a numbering pattern): shown as code

    @property
    def is_long(self) -> bool:
        """A long value is shown shortened, the whole text on request."""
        return len(self.old) > LONG_TEXT or len(self.new) > LONG_TEXT

    def mask(self, masker):
        self.old, self.new = masker(self.old), masker(self.new)
        if self.diff:
            self.diff = mark_safe(masker(str(self.diff)))


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

    label: str = ""

    @property
    def record_label(self):
        return self.label or f"{self.model._meta.verbose_name}:{self.row.instance}"

    @property
    def user_label(self):
        return user_label(self.user)

    @property
    def object_id(self):
        return self.row.id

    reason_text: str | None = None

    @property
    def reason(self):
        if self.reason_text is not None:
            return self.reason_text
        return self.row.history_change_reason or ""

    def timeline_link(self):
        return f"{reverse('history_timeline')}?model={self.model._meta.label}&object={self.row.id}"

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
    include_sign_ins: bool = False
    reason_prefix: str = ""
    # A business key (case number, document number, item code, badge number) resolved to records:
    # {model label: [ids]}; the records themselves and every record pointing at them are shown.
    keyed: dict | None = None


def chinese_date(value) -> str:
    """2026年12月5日 (a date) or 2026年12月5日 14:03 (a moment, in local time)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


def user_label(user) -> str:
    """A person by name and department (蓝晓燕(督查室)); 系统 for changes made by no one."""
    if user is None:
        return "系统"
    staff = getattr(user, "staff", None)  # a superuser may have no staff record
    if staff is not None:
        return f"{staff.name}({staff.department.name})" if staff.department_id else staff.name
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


# Fields whose stored value is source text an administrator writes (a notice template, a numbering
# pattern): their history is shown as code, variables and placeholders as they were typed.
SOURCE_FIELDS = {
    "casework.NoticeTemplate.body",
    "documents.DocumentCategory.number_pattern",
    "documents.DocumentsSettings.incoming_number_pattern",
}


def _approver_labels(value: str) -> str:
    from staffing.models import ApproverRole

    labels = dict(ApproverRole.choices)
    return "、".join(str(labels.get(code.strip(), code.strip())) for code in value.split(",") if code.strip())


def _index_entry_labels(value: str) -> str:
    from django.contrib import admin

    from .admin_site import index_entry_choices

    labels = dict(index_entry_choices(admin.site))
    return "、".join(labels.get(key.strip(), key.strip()).split(" · ")[-1] for key in value.split(",") if key.strip())


# Stored codes that read as labels: {"app.Model.field": value → text}.
VALUE_LABELS = {
    "staffing.ApprovalRule.approvers": _approver_labels,
    "project.IndexSection.entries": _index_entry_labels,
}


def field_key(field) -> str:
    model = getattr(field.model, "instance_type", field.model)  # a history model's field: its record's model
    return f"{model._meta.label}.{field.name}"


def display_value(field, value, related_names) -> str:
    if value is None or value == "":
        return EMPTY
    labels = VALUE_LABELS.get(field_key(field))
    if labels is not None and isinstance(value, str):
        return labels(value)
    if isinstance(field, models.FileField):
        return os.path.basename(str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        if field.related_model is not None and field.related_model._meta.label == "auth.User":
            return related_names.get((field.related_model, value), "已删除的用户")
        return related_names.get((field.related_model, value), f"{field.related_model._meta.verbose_name}(已删除)")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return chinese_date(value)
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    return str(value)


_TOKEN = re.compile(r"[A-Za-z0-9_.@-]+|\s+|.", re.S)
CONTEXT_TOKENS = 12


def _is_long(field, old, new) -> bool:
    if not isinstance(old, str) or not isinstance(new, str) or field.choices:
        return False
    return field.get_internal_type() == "TextField" or len(old) + len(new) > LONG_TEXT


def _merged(opcodes):
    """Changes separated by one or two unchanged tokens become one change: 「十五」→「二十」 reads as
    one replaced word, not as 「二」 added and 「五」 removed around a shared 「十」."""
    result = []
    for op in opcodes:
        tag, i1, i2, j1, j2 = op
        if (
            tag != "equal" and len(result) >= 2 and result[-1][0] == "equal" and result[-2][0] != "equal"
            and result[-1][2] - result[-1][1] <= 2
        ):
            result.pop()
            previous = result.pop()
            op = ("replace", previous[1], i2, previous[3], j2)
        elif tag != "equal" and result and result[-1][0] != "equal":
            previous = result.pop()
            op = ("replace", previous[1], i2, previous[3], j2)
        result.append(op)
    return result


def word_diff(old: str, new: str) -> str:
    """Safe HTML marking only the changed words (<del>/<ins>), with a little context around each
    change and 「…」 for the unchanged text between; Chinese text is compared character by character."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = _merged(matcher.get_opcodes())
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            same = a[i1:i2]
            first, last = n == 0, n == len(opcodes) - 1
            if len(same) <= 2 * CONTEXT_TOKENS or (first and len(same) <= CONTEXT_TOKENS) or (last and len(same) <= CONTEXT_TOKENS):
                parts.append(escape("".join(same)))
            else:
                head = "" if first else escape("".join(same[:CONTEXT_TOKENS]))
                tail = "" if last else escape("".join(same[-CONTEXT_TOKENS:]))
                parts.append(f'{head}<span class="diff-gap">…</span>{tail}')
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))


def _fields(model):
    return [
        f for f in model._meta.concrete_fields
        if f.name not in SKIPPED_FIELDS and f.attname not in SKIPPED_FIELDS and not f.primary_key
    ]


def _keyed_condition(model, filters: Filters):
    """Q for the rows of `model` that are, or point at, the records a business key named (None: none)."""
    condition = None
    for label, ids in (filters.keyed or {}).items():
        if model._meta.label == label:
            condition = Q(id__in=ids) if condition is None else condition | Q(id__in=ids)
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is not None and field.related_model._meta.label == label:
                part = Q(**{f"{field.attname}__in": ids})
                condition = part if condition is None else condition | part
    return condition


def _filter(history_model, model, filters: Filters, visible):
    qs = history_model.objects.all()
    if filters.keyed is not None:
        keyed = _keyed_condition(model, filters)
        qs = qs.filter(keyed) if keyed is not None else qs.none()
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
    if filters.reason_prefix:
        qs = qs.filter(history_change_reason__startswith=filters.reason_prefix)
    if filters.object_id:
        qs = qs.filter(id=filters.object_id)
    if filters.text:
        stored = {f.name for f in history_model._meta.concrete_fields}
        text_fields = [f.name for f in _fields(model) if f.get_internal_type() in ("CharField", "TextField") and not f.choices and f.name in stored]
        condition = Q(history_change_reason__icontains=filters.text)
        for name in text_fields[:6]:
            condition |= Q(**{f"{name}__icontains": filters.text})
        qs = qs.filter(condition)
        # The search must not find a record through the title of a secret document the reader
        # may not see: rows quoting such a title are left out when the words searched are in it.
        needle = filters.text.casefold()
        for title in (visible or {}).get(HIDDEN_TITLES, ()):
            if needle in title.casefold() or title.casefold() in needle:
                quoting = Q(history_change_reason__icontains=title)
                for name in text_fields:
                    quoting |= Q(**{f"{name}__icontains": title})
                qs = qs.exclude(quoting)
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
    if filters.text or restriction is not None or filters.keyed is not None:
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
    if filters.reason_prefix:
        conditions.append("history_change_reason LIKE %s")
        params.append(filters.reason_prefix.replace("%", "").replace("_", "") + "%")
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
    each row's previous version, and those versions), one for each relation the records' names read
    (history_names.py), and one to three per related model named in the diffs: never one per row."""
    keys = _page_keys(_tables(filters), filters, before, size, visible)
    return _entries(keys, visible)


def _tables(filters: Filters) -> list[int]:
    """The numbers of the history tables the filters can find rows in."""
    return [
        table
        for table, (model, _) in enumerate(tracked_models())
        if (not filters.app_label or model._meta.app_label == filters.app_label)
        and (not filters.model_label or model._meta.label == filters.model_label)
        and (model._meta.label != SIGN_INS or filters.include_sign_ins or filters.model_label == SIGN_INS)
        and (filters.keyed is None or _keyed_condition(model, filters) is not None)
    ]


def timeline_count(filters: Filters, *, at_most: int, visible=None) -> int:
    """How many changes pass `filters`, counted up to `at_most` (one query, each table through its
    history_date index and no further than `at_most` rows)."""
    parts, params = [], []
    for table in _tables(filters):
        try:
            sql, part_params = _key_query(table, filters, None, at_most, visible)
        except EmptyResultSet:
            continue
        parts.append(f"SELECT 1 AS one FROM ({sql}) k")
        params.extend(part_params)
    if not parts:
        return 0
    with connection.cursor() as db:
        db.execute(f"SELECT COUNT(*) FROM (SELECT one FROM ({' UNION ALL '.join(parts)}) u LIMIT %s) c", [*params, at_most])
        return db.fetchone()[0]


def entries_for(table: int, history_ids, *, visible=None) -> list[Entry]:
    """Timeline entries for the given history rows of table number `table`, in the given order."""
    return _entries([(table, history_id) for history_id in history_ids], visible)


def _entries(keys, visible) -> list[Entry]:
    chosen: dict[int, list[int]] = {}
    for table, history_id in keys:
        chosen.setdefault(table, []).append(history_id)
    prepared = {}
    labels = {}
    for table, history_ids in chosen.items():
        model, history = tracked_models()[table]
        previous_id = history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id").values("history_id")[:1]
        rows = list(history.objects.filter(history_id__in=history_ids).select_related("history_user__staff__department").annotate(previous_id=Subquery(previous_id)))
        previous = {p.history_id: p for p in history.objects.filter(history_id__in=[r.previous_id for r in rows if r.previous_id])}
        for row in rows:
            prepared[(table, row.history_id)] = (model, row, previous.get(row.previous_id))
        for history_id, name in history_names(model, rows).items():
            labels[(table, history_id)] = record_label(model, name)
    described = describe([(model, row, before_row) for model, row, before_row in prepared.values()])
    masker = Masker((visible or {}).get(HIDDEN_TITLES, ()))
    entries = []
    for table, history_id in keys:
        model, row, before_row = prepared[(table, history_id)]
        changes = described[(model, row.history_id)]
        entry = Entry(
            model=model, row=row, previous=before_row, changes=changes, cursor=Cursor(row.history_date, table, history_id),
            label=labels[(table, history_id)],
        )
        masker.entry(entry)
        entries.append(entry)
    return entries


def record_label(model, name) -> str:
    """办件:GY20261205001 — the record's kind and its name (the kind alone if it cannot be named)."""
    return f"{model._meta.verbose_name}:{name}" if name is not None else str(model._meta.verbose_name)


def _diffs(model, row, before_row):
    diffs = []
    for field in _fields(model):
        new = getattr(row, field.attname, None)
        old = getattr(before_row, field.attname, None) if before_row is not None else None
        if row.history_type == "-":
            continue
        if before_row is not None and old == new:
            continue
        if before_row is None and new in (None, ""):
            continue  # a creation (or a row with no earlier version) lists what it was given
        diffs.append((field, old, new))
    return diffs


def related_names_for(wanted: dict) -> dict:
    """{(model, pk): name} for the related records named in a page of diffs: one query per model;
    users by name and department; a deleted record by the name its last history row had."""
    from django.contrib.auth import get_user_model

    names = {}
    for related_model, ids in wanted.items():
        if not ids:
            continue
        if related_model is get_user_model():
            for user in related_model._default_manager.filter(pk__in=ids).select_related("staff__department"):
                names[(related_model, user.pk)] = user_label(user)
            continue
        objects = list(related_model._default_manager.filter(pk__in=ids))
        for obj, name in zip(objects, names_of(objects)):
            names[(related_model, obj.pk)] = name if name is not None else str(related_model._meta.verbose_name)
        missing = [pk for pk in ids if (related_model, pk) not in names]
        manager = getattr(related_model, "history", None) if missing else None
        if manager is not None:
            versions = list(manager.filter(id__in=missing, history_type="-"))
            deleted = history_names(related_model, versions)
            for version in versions:
                if deleted[version.history_id] is not None:  # None: its own related rows are gone too
                    names[(related_model, version.id)] = f"{deleted[version.history_id]}(已删除)"
    return names


THEN_CHUNK = 200  # pairs per query (SQLite allows 500 SELECTs in one UNION)


def names_then(wanted: dict) -> dict:
    """{(model, pk, moment): name} — a related record by its name as it stood at `moment`, from its
    history: per related model, one UNION ALL of one-row lookups (each through the record's
    history), then one query for those rows. Bounded by the page, whatever the history's size."""
    from django.contrib.auth import get_user_model

    tracked = {model: history for model, history in tracked_models()}
    names = {}
    for related_model, pairs in wanted.items():
        history_model = tracked.get(related_model)
        if history_model is None or related_model is get_user_model() or not pairs:
            continue
        table = connection.ops.quote_name(history_model._meta.db_table)
        pairs = sorted(pairs, key=lambda pair: (pair[0], pair[1]))
        for start in range(0, len(pairs), THEN_CHUNK):
            chunk = pairs[start:start + THEN_CHUNK]
            parts, params = [], []
            for n, (pk, moment) in enumerate(chunk):
                parts.append(
                    f"SELECT * FROM (SELECT {n} AS p, history_id FROM {table} WHERE id = %s AND history_date <= %s "
                    "ORDER BY history_date DESC, history_id DESC LIMIT 1) x"
                )
                params += [pk, connection.ops.adapt_datetimefield_value(moment)]
            with connection.cursor() as db:
                db.execute(" UNION ALL ".join(parts), params)
                found = dict(db.fetchall())
            versions = history_model.objects.in_bulk([h for h in found.values()], field_name="history_id") if found else {}
            standing = [version for version in versions.values() if version.history_type != "-"]
            then = history_names(related_model, standing)  # None: a name that needs a record since deleted
            for n, history_id in found.items():
                if then.get(history_id) is not None:
                    pk, moment = chunk[n]
                    names[(related_model, pk, moment)] = then[history_id]
    return names


class _NamesAt(dict):
    """The names for one moment: the name then where the history has it, else today's name."""

    def __init__(self, now, then, moment):
        super().__init__()
        self.now, self.then, self.moment = now, then, moment

    def get(self, key, default=None):
        model, pk = key
        return self.then.get((model, pk, self.moment)) or self.now.get(key, default)


def describe(rows) -> dict:
    """{(model, history_id): [Change]} for (model, history row, previous history row or None).

    Related records are named as they stood at the time of the change where their history has it."""
    wanted: dict = {}
    wanted_then: dict = {}
    diffs = {}
    moments = {}
    for model, row, before_row in rows:
        found = _diffs(model, row, before_row)
        diffs[(model, row.history_id)] = found
        moments[(model, row.history_id)] = row.history_date
        for field, old, new in found:
            if field.is_relation:
                values = {v for v in (old, new) if v is not None}
                wanted.setdefault(field.related_model, set()).update(values)
                wanted_then.setdefault(field.related_model, set()).update((v, row.history_date) for v in values)
    now = related_names_for(wanted)
    then = names_then(wanted_then)
    result = {}
    for key, found in diffs.items():
        names = _NamesAt(now, then, moments[key])
        changes = []
        for field, old, new in found:
            change = Change(field.name, str(field.verbose_name), display_value(field, old, names), display_value(field, new, names))
            change.source = field_key(field) in SOURCE_FIELDS
            if old not in (None, "") and _is_long(field, old, new):
                change.diff = word_diff(old, new)
            changes.append(change)
        result[key] = changes
    return result


HIDDEN_TITLES = "__hidden_titles__"  # the key of secrecy_restrictions() holding the titles to mask


class Masker:
    """Replaces the titles of secret documents the reader may not see by 「(涉密文件)」 (S3.6-b)."""

    def __init__(self, titles):
        self.titles = sorted({t for t in titles if t}, key=len, reverse=True)

    def __call__(self, text):
        if not self.titles or not text:
            return text
        text = str(text)
        for title in self.titles:
            if title in text:
                text = text.replace(title, SECRET_TITLE)
        return text

    def __bool__(self):
        return bool(self.titles)

    def entry(self, entry):
        if not self.titles:
            return
        entry.label = self(entry.record_label)
        entry.reason_text = self(entry.reason)
        for change in entry.changes:
            change.mask(self)


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
        HIDDEN_TITLES: hidden_titles(user),
        "documents.Document": document_rows,
        "documents.DocumentAttachment": child_rows,
        "documents.Circulation": child_rows | Q(incoming_id__in=incoming_ids),
        "documents.DocumentScopeStaff": child_rows,
        "documents.DocumentScopeDepartment": child_rows,
        "documents.IncomingDocument": Q(id__in=incoming_ids),
        "documents.IncomingAttachment": Q(incoming_id__in=incoming_ids),
    }


def hidden_titles(user) -> list[str]:
    """Every title (now or earlier) of the secret documents outside `user`'s scope."""
    from documents.selectors import secret_titles_hidden_from

    return secret_titles_hidden_from(user)


def version_as_of(model, object_id, moment: datetime.datetime):
    """The record as it stood at `moment` (None if it did not exist yet)."""
    return model.history.filter(id=object_id, history_date__lte=moment).order_by("-history_date", "-history_id").first()


def model_choices():
    return [(model._meta.label, f"{apps.get_app_config(model._meta.app_label).verbose_name} · {model._meta.verbose_name}") for model, _ in tracked_models()]


def changes_today() -> int:
    """The number of changes made today in every history table but sign-ins: one query of
    COUNTs over each table's history_date index."""
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    moment = connection.ops.adapt_datetimefield_value(start)
    parts, params = [], []
    for model, history in tracked_models():
        if model._meta.label == SIGN_INS:
            continue
        parts.append(f"SELECT COUNT(*) AS n FROM {connection.ops.quote_name(history._meta.db_table)} WHERE history_date >= %s")
        params.append(moment)
    with connection.cursor() as db:
        db.execute(f"SELECT SUM(n) FROM ({' UNION ALL '.join(parts)}) c", params)
        return db.fetchone()[0] or 0
