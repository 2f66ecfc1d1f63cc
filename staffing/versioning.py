"""Optimistic locking: a record edited by several people carries a version that every save increments.

A change form remembers the version it was opened at; on save it locks the row and compares (see
staffing.admin.versioning). A service that changes the record saves it, so its save increments the
version too, and a form opened before the transition is refused instead of overwriting it.

simple-history copies the version into every history row: the row of the version a user opened and
the rows after it tell what changed since, from what to what, and who changed it.
"""

import dataclasses
import datetime

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator

VERSION = "version"


class Versioned(models.Model):
    version = models.PositiveIntegerField("版本", default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], VERSION}
        super().save(*args, **kwargs)


def is_versioned(model) -> bool:
    return issubclass(model, Versioned)


def locked_version(obj) -> int | None:
    """The committed version of `obj`'s row, locked for the rest of the transaction (where the database can)."""
    queryset = type(obj)._base_manager.filter(pk=obj.pk)
    if transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.values_list(VERSION, flat=True).first()


@dataclasses.dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    by: str


def user_name(user) -> str:
    if user is None:
        return "系统"
    staff = getattr(user, "staff", None)
    return staff.name if staff is not None else user.get_username()


def _display(record, field) -> str:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "(空)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return Truncator(str(value)).chars(40)


def changes_since(obj, version: int) -> list[Change]:
    """What changed in `obj` after `version`: each field's label, the value then, the value now, and
    who changed it last, read from the history rows."""
    history = obj.history.order_by("history_date", "history_id")
    seen = history.filter(version__lte=version).last()
    later = list(history.filter(version__gt=version).select_related("history_user__staff"))
    if seen is None or not later:
        return []
    kept = {f.attname for f in history.model._meta.concrete_fields}  # some models leave derived fields out
    fields = [f for f in type(obj)._meta.concrete_fields if f.attname in kept and f.name != VERSION and not f.primary_key]
    changed_by, previous = {}, seen
    for record in later:
        for field in fields:
            if getattr(record, field.attname) != getattr(previous, field.attname):
                changed_by[field.name] = user_name(record.history_user)
        previous = record
    return [
        Change(str(field.verbose_name), _display(seen, field), _display(previous, field), changed_by[field.name])
        for field in fields
        if field.name in changed_by and getattr(seen, field.attname) != getattr(previous, field.attname)
    ]


def conflict_message(obj, version: int) -> str:
    """The Chinese message of a refused save: what changed since the user opened the page, and by whom."""
    changes = changes_since(obj, version)
    opts = type(obj)._meta
    head = f"{opts.verbose_name}「{obj}」在您打开本页后已被他人修改,您的修改没有保存。"
    if changes:
        head += "其间的修改:" + ";".join(f"{c.label}:{c.old} → {c.new}({c.by}修改)" for c in changes) + "。"
    return head + "请核对后再次保存(将以您的内容为准),或重新打开本页。"
