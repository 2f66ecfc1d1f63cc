"""The supply catalog from Excel (S3.7): 名称, 规格, 单位, 最低库存, 期初数量, 期初金额.

Same standards as the organisation import (staffing.resources): Chinese column names, strict widgets
whose errors name the value, the Excel row number, and all or nothing — one bad row and nothing is
written. A supply is keyed by 名称 + 规格. The opening stock is not a field: it becomes an 期初 stock
movement through `services.supply_opening_stock`, once; importing the same workbook again changes
nothing.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models.fields import NOT_PROVIDED
from import_export import fields
from import_export.widgets import Widget

from staffing.import_widgets import RequiredCharWidget, TextWidget, _DefaultMixin, cell_text
from staffing.resources import ExcelModelResource, column

from . import services
from .models import MovementKind, Supply

MODEL_FIELDS = ("name", "specification", "unit", "reorder_level")


class StrictDecimalWidget(_DefaultMixin, Widget):
    """A non-negative amount or quantity with at most two decimals; 「二十」 or 「-3」 is an error naming the value."""

    def __init__(self, default=NOT_PROVIDED, max_digits=12, **kwargs):
        self.default, self.max_digits = default, max_digits
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.empty()
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number.adjusted() >= self.max_digits - 2:
            raise ValueError(f"「{text}」不是有效的数字,请填写阿拉伯数字(如 12 或 3.5)。")
        if number < 0:
            raise ValueError(f"「{text}」不能为负数。")
        if number != number.quantize(Decimal("0.01")):
            raise ValueError(f"「{text}」最多保留两位小数。")
        return number.quantize(Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(Decimal(value).normalize(), "f")


class SupplyResource(ExcelModelResource):
    name = column(Supply, "name", RequiredCharWidget())
    specification = column(Supply, "specification", TextWidget())
    unit = column(Supply, "unit", RequiredCharWidget())
    reorder_level = column(Supply, "reorder_level", StrictDecimalWidget(default=Decimal(0), max_digits=10))
    opening_quantity = fields.Field(attribute="opening_quantity", column_name="期初数量", widget=StrictDecimalWidget(default=None, max_digits=10))
    opening_amount = fields.Field(attribute="opening_amount", column_name="期初金额", widget=StrictDecimalWidget(default=None))

    class Meta:
        model = Supply
        import_id_fields = ["name", "specification"]
        fields = ("name", "specification", "unit", "reorder_level", "opening_quantity", "opening_amount")
        import_order = export_order = fields

    def before_import(self, dataset, **kwargs):
        self.seen_rows: dict[tuple[str, str], int] = {}
        self.row_number = 0
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        self.row_number = self.excel_row(kwargs.get("row_number", 1))
        super().before_import_row(row, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        instance.opening_quantity = instance.opening_amount = None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "name" not in errors:
            key = (instance.name, instance.specification)
            first = self.seen_rows.setdefault(key, self.row_number)
            if first != self.row_number:
                errors["name"] = [f"「{instance}」与第{first}行重复(名称和规格相同)。"]
        if not errors:  # a duplicate or a bad cell says enough; the opening stock is checked on a sound row
            errors.update(self.check_opening(instance))
        if errors:
            raise ValidationError(errors)

    def check_opening(self, instance) -> dict:
        """期初数量 and 期初金额 go together; an opening stock is recorded once, before any other movement."""
        quantity, amount = instance.opening_quantity or Decimal(0), instance.opening_amount
        instance.opening_pending = False
        if amount is not None and amount > 0 and quantity == 0:
            return {"opening_quantity": ["填写了期初金额时须填写期初数量。"]}
        if quantity == 0:
            return {}
        if amount is None:
            return {"opening_amount": ["填写了期初数量时须填写期初金额。"]}
        if instance.pk is None:
            instance.opening_pending = True
            return {}
        movements = list(instance.movements.values_list("kind", "quantity", "amount"))
        openings = [(q, a) for kind, q, a in movements if kind == MovementKind.OPENING]
        if openings == [(quantity, amount)] and len(movements) == 1:
            return {}  # the same workbook again
        if openings:
            q, a = openings[0]
            return {"opening_quantity": [f"「{instance}」已登记期初库存(数量{_plain(q)},金额{_plain(a)}),不能再次导入期初数。"]}
        if movements:
            return {"opening_quantity": [f"「{instance}」已有出入库记录,不能再导入期初库存。"]}
        instance.opening_pending = True
        return {}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if all(cell_text(value) == "" for value in row.values()):
            return True
        if import_validation_errors or getattr(instance, "opening_pending", False) or original is None or original.pk is None:
            return False
        return all(getattr(instance, name) == getattr(original, name) for name in MODEL_FIELDS)

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "opening_pending", False):
            services.supply_opening_stock(
                supply=instance, quantity=instance.opening_quantity, amount=instance.opening_amount, user=kwargs.get("user")
            )

    def dehydrate_opening_quantity(self, supply):
        return None

    def dehydrate_opening_amount(self, supply):
        return None


def _plain(number) -> str:
    return format(number.normalize(), "f")
