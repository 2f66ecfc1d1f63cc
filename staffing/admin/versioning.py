"""Change forms that two people may post: the version the page was opened at travels in a hidden field.

On save the form locks the record's row and compares (inside the admin's transaction, so that the
lock holds until the save commits): when the record changed since the page was opened, the page comes
back with the user's input kept, a message naming what changed, from what to what and by whom, and
nothing saved. The hidden field then carries the current version: saving again is the user's
deliberate choice to overwrite. A form posted without the field (a script) is not checked.

`VersionedAdminMixin` goes on a ModelAdmin of a `staffing.versioning.Versioned` model, and
`VersionedInlineMixin` on an inline of one (each row of a checklist has its own version).
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError

from ..versioning import VERSION, conflict_message, locked_version


class VersionCheckedForm:
    """Mixed into the admin's ModelForm; `version` is declared by `versioned_form`."""

    check_version = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION].initial = self.instance.version

    def clean(self):
        data = super().clean()
        posted = self.cleaned_data.get(VERSION)
        if self.check_version and self.instance.pk is not None and posted is not None:
            current = locked_version(self.instance)
            if current is not None and current != posted:
                self.data = self.data.copy()
                self.data[self.add_prefix(VERSION)] = current
                self._bound_fields_cache.pop(VERSION, None)  # it cached the posted value while cleaning
                raise ValidationError(conflict_message(self.instance, posted), code="version_conflict")
            self.instance.version = current
        return data


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False  # bookkeeping, not the user's input: an untouched row stays unchanged


def versioned_form(form_class, check=True):
    field = VersionField(required=False, min_value=0)
    return type(form_class.__name__, (VersionCheckedForm, form_class), {VERSION: field, "check_version": check})


def _with_version(fieldsets):
    """The fieldsets with the hidden version in the first one (the admin renders only what they list)."""
    if VERSION in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], VERSION]}), *rest]


def _without_version(fields):
    return None if fields is None else [name for name in fields if name != VERSION]


class VersionedAdminMixin:
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # A read-only page has nothing to save, and would show the version as a field.
        return _with_version(fieldsets) if obj is not None and self.has_change_permission(request, obj) else fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != VERSION]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = _without_version(kwargs.get("fields"))
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        # Restoring a history version (simple-history's revert) overwrites on purpose.
        return versioned_form(form, check=getattr(request, "_revert_version", None) is None)


class VersionedInlineMixin:
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return _with_version(fieldsets) if self.has_change_permission(request, obj) else fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != VERSION]

    def get_formset(self, request, obj=None, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = _without_version(kwargs["fields"])
        kwargs["form"] = versioned_form(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)
