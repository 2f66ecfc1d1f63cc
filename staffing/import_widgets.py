"""Strict django-import-export widgets shared by every app's Excel imports.

Each widget raises `ValueError` with a Chinese message naming the offending value: import-export
turns a `ValueError` into a row-level error on that column, while anything else becomes a
traceback. The stock widgets are too lenient for us (`BooleanWidget` reads 「是」 as False,
`DateWidget` passes Excel datetimes through so unchanged rows never compare equal).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db.models.fields import NOT_PROVIDED
from import_export.widgets import CachedForeignKeyWidget, CharWidget, Widget

REQUIRED_MESSAGE = "不能为空。"


def cell_text(value) -> str:
    """A cell as text: stripped, and 1.0 from a number cell read as 「1」."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(CharWidget):
    """Free text; empty cells become "" (our text fields are blank=True, never NULL)."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class OptionalCodeWidget(TextWidget):
    """A code that is unique when given: empty cells become NULL, so many rows may leave it blank."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value) or None


class RequiredCharWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(REQUIRED_MESSAGE)
        return text


class _DefaultMixin:
    """Empty cell: the default when one is given, otherwise 「不能为空」."""

    def empty(self):
        if self.default is NOT_PROVIDED:
            raise ValueError(REQUIRED_MESSAGE)
        return self.default


class StrictIntegerWidget(_DefaultMixin, Widget):
    def __init__(self, default=NOT_PROVIDED, **kwargs):
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.empty()
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        # adjusted() bounds the magnitude: int() of 1E999999 would be very slow.
        if number is None or not number.is_finite() or number.adjusted() > 15 or number != number.to_integral_value():
            raise ValueError(f"「{text}」不是整数,请填写阿拉伯数字。")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class YesNoWidget(_DefaultMixin, Widget):
    """「是」/「否」 ↔ True/False; nothing else, not even TRUE/1/Y."""

    def __init__(self, default=NOT_PROVIDED, **kwargs):
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.empty()
        if text == "是":
            return True
        if text == "否":
            return False
        raise ValueError(f"「{text}」无效,只能填写「是」或「否」。")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "是" if value else "否"


class ChoiceLabelWidget(_DefaultMixin, Widget):
    """The Chinese labels of a `TextChoices` (法定节假日 ↔ holiday), in both directions."""

    def __init__(self, choices, default=NOT_PROVIDED, **kwargs):
        self.to_value = {str(label): value for value, label in choices}
        self.to_label = {value: str(label) for value, label in choices}
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.empty()
        if text not in self.to_value:
            allowed = "、".join(f"「{label}」" for label in self.to_value)
            raise ValueError(f"「{text}」无效,只能填写{allowed}。")
        return self.to_value[text]

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return self.to_label.get(value, value)


# Year, month, day with one consistent separator: 2027-10-01, 2027/10/1, 2027年10月1日.
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"),
]


class StrictDateWidget(_DefaultMixin, Widget):
    """A date cell (Excel gives a datetime: we keep the date) or date text; impossible dates are rejected."""

    def __init__(self, default=NOT_PROVIDED, **kwargs):
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            if value.time() != datetime.time(0):
                raise ValueError(f"「{value:%Y-%m-%d %H:%M}」带有时间,请只填写日期。")
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return self.empty()
        for pattern in DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    return datetime.date(*(int(part) for part in match.groups()))
                except ValueError:
                    raise ValueError(f"日期「{text}」无效:该月没有这一天(或月份不存在)。") from None
        raise ValueError(f"「{text}」不是有效的日期,请按「2027-10-01」的格式填写。")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()


class NamedForeignKeyWidget(_DefaultMixin, CachedForeignKeyWidget):
    """A foreign key looked up by a unique name-like field, e.g. a department by 名称.

    The related rows are loaded once per import (per resource instance), so a sheet that refers to
    rows imported by an earlier sheet of the same workbook must use a fresh resource instance.
    """

    def __init__(self, model, field="name", label=None, default=NOT_PROVIDED, **kwargs):
        self.label = label or str(model._meta.verbose_name)
        self.default = default
        super().__init__(model, field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.empty()
        try:
            return super().clean(text, row, **kwargs)
        except self.model.DoesNotExist:
            field_label = self.model._meta.get_field(self.field).verbose_name
            raise ValueError(f"找不到{field_label}为「{text}」的{self.label}。") from None
