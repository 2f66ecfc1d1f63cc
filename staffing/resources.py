"""Excel (XLSX) import/export of the organisation and the working calendar.

Column names are the models' Chinese verbose names; every column has a strict widget from
`import_widgets`. Rows are saved one by one (not `use_bulk`) so that each gets its
django-simple-history row with the importing user.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources

from . import calendar_hooks, services
from .import_widgets import (
    ChoiceLabelWidget,
    NamedForeignKeyWidget,
    OptionalCodeWidget,
    RequiredCharWidget,
    StrictDateWidget,
    StrictIntegerWidget,
    TextWidget,
    YesNoWidget,
    cell_text,
)
from .models import CalendarDay, DayKind, Department, DepartmentKind, LeaderRole, Staff, Window

IMPORT_CHANGE_REASON = "Excel导入"
PROGRESS_EVERY = 200  # rows between two progress reports of a background check


def column(model, name, widget):
    """A resource field whose column name is the model field's verbose_name."""
    return fields.Field(attribute=name, column_name=str(model._meta.get_field(name).verbose_name), widget=widget)


class ExcelModelResource(resources.ModelResource):
    """What every Excel import shares: errors keyed by Chinese column, history user, blank rows skipped.

    `import_data(..., user=...)` (the admin passes `user=request.user`) is recorded as the
    history user of every saved row.
    """

    class Meta:
        skip_unchanged = True
        report_skipped = False
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True

    progress = None  # a background job's `Progress`, told every PROGRESS_EVERY rows while checking

    def import_data(self, dataset, *args, **kwargs):
        self.excel_rows = getattr(dataset, "excel_rows", None)  # set by spreadsheet.sheet_dataset
        return super().import_data(dataset, *args, **kwargs)

    def check_data(self, dataset, *, progress=None, **kwargs):
        """Every check of `import_data` on every row, and nothing written: the rows are cleaned and
        validated but not saved, outside any transaction (django-import-export's dry run without
        transactions), so that a background job's progress is committed as it is told."""
        self.excel_rows = getattr(dataset, "excel_rows", None)
        self.progress = progress
        try:
            return self.import_data_inner(
                dataset, dry_run=True, raise_errors=False, using_transactions=False, collect_failed_rows=False, **kwargs
            )
        finally:
            self.progress = None

    @staticmethod
    def writes(kwargs) -> bool:
        """Whether this pass saves rows (not `check_data`)."""
        return not (kwargs.get("dry_run") and not kwargs.get("using_transactions"))

    def excel_row(self, number) -> int:
        """The row number Excel shows for the dataset's row `number` (from 1): the header is row 1."""
        return self.excel_rows[number - 1] if self.excel_rows else number + 1

    def column_names(self) -> list[str]:
        return [field.column_name for field in self.get_import_fields()]

    def before_import(self, dataset, **kwargs):
        if dataset.headers:
            dataset.headers = [cell_text(header) for header in dataset.headers]
        headers = dataset.headers or []
        missing = [
            self.fields[name].column_name
            for name in self.get_import_id_fields()
            if self.fields[name].column_name not in headers
        ]
        if missing:
            raise ValueError(
                f"缺少「{'」「'.join(missing)}」列。第1行应为表头:{'、'.join(self.column_names())}。"
            )

    def after_import(self, dataset, result, **kwargs):
        for row in [*result.invalid_rows, *result.error_rows]:
            row.number = self.excel_row(row.number)

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An invalid key cell: treat the row as new, import_instance then reports the cell.
            return None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if all(cell_text(value) == "" for value in row.values()):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        number = kwargs.get("row_number") or 0
        if self.progress and number % PROGRESS_EVERY == 0:
            self.progress(f"已校验 {number} 行…", checked=number)
        error = row_result.validation_error
        if error is not None and hasattr(error, "error_dict"):
            # Errors come keyed by model field; the user knows the Excel column.
            columns = {field.attribute: field.column_name for field in self.fields.values()}
            row_result.validation_error = ValidationError(
                {columns.get(key, key): errors for key, errors in error.error_dict.items()}
            )
        return row_result

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if user is not None:
            instance._history_user = user
        instance._change_reason = IMPORT_CHANGE_REASON


class DepartmentResource(ExcelModelResource):
    name = column(Department, "name", RequiredCharWidget())
    code = column(Department, "code", OptionalCodeWidget())
    kind = column(Department, "kind", ChoiceLabelWidget(DepartmentKind.choices, default=DepartmentKind.STATIONED))
    phone = column(Department, "phone", TextWidget())
    sort_order = column(Department, "sort_order", StrictIntegerWidget(default=0))
    is_active = column(Department, "is_active", YesNoWidget(default=True))

    class Meta:
        model = Department
        import_id_fields = ["name"]
        fields = ("name", "code", "kind", "phone", "sort_order", "is_active")
        import_order = export_order = fields


class WindowResource(ExcelModelResource):
    number = column(Window, "number", RequiredCharWidget())
    name = column(Window, "name", RequiredCharWidget())
    department = column(Window, "department", NamedForeignKeyWidget(Department, "name", label="部门"))
    location = column(Window, "location", TextWidget())
    is_active = column(Window, "is_active", YesNoWidget(default=True))

    class Meta:
        model = Window
        import_id_fields = ["number"]
        fields = ("number", "name", "department", "location", "is_active")
        import_order = export_order = fields


class StaffResource(ExcelModelResource):
    """Staff by 工号. A new badge number gets its admin login (username = 工号, random password)."""

    badge_no = column(Staff, "badge_no", RequiredCharWidget())
    name = column(Staff, "name", RequiredCharWidget())
    department = column(Staff, "department", NamedForeignKeyWidget(Department, "name", label="部门"))
    window = column(Staff, "window", NamedForeignKeyWidget(Window, "number", default=None))
    position = column(Staff, "position", TextWidget())
    phone = column(Staff, "phone", TextWidget())
    leader_role = column(Staff, "leader_role", ChoiceLabelWidget(LeaderRole.choices, default=LeaderRole.NONE))
    is_active = column(Staff, "is_active", YesNoWidget(default=True))

    class Meta:
        model = Staff
        import_id_fields = ["badge_no"]
        fields = ("badge_no", "name", "department", "window", "position", "phone", "leader_role", "is_active")
        import_order = export_order = fields

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A new staff member has no login yet: it is created just before saving (before_save_instance).
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | ({"user"} if instance.user_id is None else set())
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.user_id is None and self.writes(kwargs):
            instance.user = services.staff_login_create(badge_no=instance.badge_no, name=instance.name)
        super().before_save_instance(instance, row, **kwargs)


class CalendarDayResource(ExcelModelResource):
    """Calendar days by 日期. After a real (not dry-run) import, stored deadlines are recomputed."""

    date = column(CalendarDay, "date", StrictDateWidget())
    kind = column(CalendarDay, "kind", ChoiceLabelWidget(DayKind.choices))
    name = column(CalendarDay, "name", TextWidget())
    note = column(CalendarDay, "note", TextWidget())

    class Meta:
        model = CalendarDay
        skip_html_diff = False  # a year is a few dozen rows: the preview shows each row's date, kind and name
        import_id_fields = ["date"]
        fields = ("date", "kind", "name", "note")
        import_order = export_order = fields

    def before_import(self, dataset, **kwargs):
        self.changed_dates = set()
        super().before_import(dataset, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            self.changed_dates.add(instance.date)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Runs inside the import's transaction: if the import is rolled back, so are the recomputations.
        calendar_hooks.calendar_changed(self.changed_dates)
