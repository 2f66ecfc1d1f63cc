"""One timeline of every change to every record (history review, issue 10).

It reads the history tables of all project models. A page is built without COUNT and without a
UNION: each history table gives its newest rows before the cursor through its history_date index,
the rows are merged, and the page is cut; the previous version of each row comes from one query per
table. The number of queries depends on the number of models, never on the number of rows.
"""

import dataclasses
import functools
import datetime
import heapq

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from simple_history.models import registered_models

PROJECT_APPS = ("project", "staffing", "registry", "casework", "meetings", "documents")
KIND_LABELS = {"+": "新增", "~": "修改", "-": "删除"}
SKIPPED_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user", "history_user_id"}


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


def timeline_page(filters: Filters, *, before: datetime.datetime | None = None, size: int = 50, visible=None) -> list[Entry]:
    """The newest `size` changes before `before` that pass `filters`, with their field diffs."""
    pairs = [
        (model, history)
        for model, history in tracked_models()
        if (not filters.app_label or model._meta.app_label == filters.app_label)
        and (not filters.model_label or model._meta.label == filters.model_label)
    ]
    per_model = []
    for model, history in pairs:
        qs = _filter(history, model, filters, visible)
        if before:
            qs = qs.filter(history_date__lt=before)
        previous_id = history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id").values("history_id")[:1]
        rows = list(qs.select_related("history_user__staff__department").annotate(previous_id=Subquery(previous_id)).order_by("-history_date", "-history_id")[:size])
        per_model.append((model, history, rows))
    merged = heapq.nlargest(
        size, ((row.history_date, row.history_id, index, row) for index, (_, _, rows) in enumerate(per_model) for row in rows),
        key=lambda item: (item[0], item[1]),
    )
    chosen = {}
    for _, _, index, row in merged:
        chosen.setdefault(index, []).append(row)
    entries = []
    related_wanted: dict = {}
    prepared = []
    for index, rows in chosen.items():
        model, history, _ = per_model[index]
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
            prepared.append((model, row, before_row, diffs))
    related_names = {}
    for related_model, ids in related_wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, obj.pk)] = str(obj)
    for model, row, before_row, diffs in prepared:
        changes = [
            Change(field.name, str(field.verbose_name), display_value(field, old, related_names), display_value(field, new, related_names))
            for field, old, new in diffs
        ]
        entries.append(Entry(model=model, row=row, previous=before_row, changes=changes))
    entries.sort(key=lambda e: (e.row.history_date, e.row.history_id), reverse=True)
    return entries


def secrecy_restrictions(user) -> dict:
    """History of documents outside the user's scope stays hidden (S3.6-b)."""
    from documents.selectors import documents_visible_to

    visible_ids = documents_visible_to(user).values("pk")
    document_rows = Q(id__in=visible_ids)
    child_rows = Q(document_id__in=visible_ids)
    return {
        "documents.Document": document_rows,
        "documents.DocumentAttachment": child_rows,
        "documents.Circulation": child_rows,
        "documents.DocumentScopeStaff": child_rows,
        "documents.DocumentScopeDepartment": child_rows,
    }


def version_as_of(model, object_id, moment: datetime.datetime):
    """The record as it stood at `moment` (None if it did not exist yet)."""
    return model.history.filter(id=object_id, history_date__lte=moment).order_by("-history_date", "-history_id").first()


def model_choices():
    return [(model._meta.label, f"{apps.get_app_config(model._meta.app_label).verbose_name} · {model._meta.verbose_name}") for model, _ in tracked_models()]
