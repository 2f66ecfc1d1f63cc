"""Uploaded files are served through the admin, scoped like the page of the record they belong to.

MEDIA_URL is not served (it answers 404): a file of a record opens only through its admin, which first
finds the record in its own (scoped) queryset, so a file of another department's record is "not found"
like the record itself. The same shape as the document attachments (documents.admin.documents).

- `FileServingAdminMixin` on the ModelAdmin that owns the files adds `<id>/file/<kind>/[<row id>/]`;
  `protected_files` names each kind: the record's own file field, or a file field of its inline rows.
- `ProtectedFileInlineMixin` on an inline with a file field links the current file to that view, in
  the upload widget and, where the row is read-only, in its place.
- `file_link` is the read-only link for a file field of the record itself.
"""

import posixpath

from django import forms
from django.contrib.admin.utils import unquote
from django.forms.models import _get_foreign_key
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html


def file_name(field_file) -> str:
    return posixpath.basename(field_file.name) if field_file else ""


def file_response(field_file) -> FileResponse:
    """The stored file as a download under its own name; "not found" when the field is empty or the file gone."""
    name = field_file.name if field_file else ""
    if not name or not field_file.storage.exists(name):
        raise Http404("附件文件不存在。")
    return FileResponse(field_file.storage.open(name, "rb"), as_attachment=True, filename=posixpath.basename(name))


def file_url(model_admin_or_model, object_id, kind: str, row_id=None) -> str:
    opts = model_admin_or_model._meta if hasattr(model_admin_or_model, "_meta") else model_admin_or_model.opts
    args = [object_id, kind] if row_id is None else [object_id, kind, row_id]
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_file", args=args)


def file_link(url: str, field_file):
    if not field_file:
        return "—"
    return format_html('<a href="{}">{}</a>', url, file_name(field_file))


class FileServingAdminMixin:
    """`protected_files = {kind: (relation, field)}`: relation "" is the record's own field, else the
    related manager of the rows (materials, attachments) that hold the file field."""

    protected_files: dict[str, tuple[str, str]] = {}

    def get_urls(self):
        view = self.admin_site.admin_view(self.file_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_file"
        return [
            path("<path:object_id>/file/<str:kind>/<int:row_id>/", view, name=name),
            path("<path:object_id>/file/<str:kind>/", view, name=name),
        ] + super().get_urls()

    def file_owner_queryset(self, request):
        """The records whose files the user may open: by default those their list shows."""
        return self.get_queryset(request)

    def file_view(self, request, object_id, kind, row_id=None):
        if kind not in self.protected_files:
            raise Http404("没有这种附件。")
        obj = self.file_owner_queryset(request).filter(pk=unquote(object_id)).first()
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("记录不存在或不在您的权限范围内。")
        relation, field = self.protected_files[kind]
        if relation:
            obj = getattr(obj, relation).filter(pk=row_id).first() if row_id is not None else None
            if obj is None:
                raise Http404("没有找到该附件。")
        return file_response(getattr(obj, field))


class ProtectedFileInput(forms.ClearableFileInput):
    """The current file links to the protected download view, never to the storage URL."""

    download_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.download_url:
            context["widget"]["value"] = _Link(posixpath.basename(str(value)), self.download_url)
        return context


class _Link:
    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


class ProtectedFileInlineMixin:
    """An inline whose rows hold a file served by the parent admin (a FileServingAdminMixin) as `file_kind`."""

    file_field = "file"
    file_kind = ""

    def row_file_url(self, row) -> str:
        parent_id = getattr(row, _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name).attname)
        return file_url(self.parent_model, parent_id, self.file_kind, row.pk)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        def file_download(row):
            return file_link(self.row_file_url(row), getattr(row, self.file_field)) if row.pk else "—"

        # The read-only column in place of the file field, labelled like it.
        file_download.short_description = self.model._meta.get_field(self.file_field).verbose_name
        self.file_download = file_download

    def get_fields(self, request, obj=None):
        """Where the rows are read-only, the file field is shown as a link to the view."""
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields = ["file_download" if name == self.file_field else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "file_download"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        inline, field = self, self.file_field

        class Form(formset.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if field in self.fields and self.instance.pk and getattr(self.instance, field):
                    widget = ProtectedFileInput(attrs=self.fields[field].widget.attrs)
                    widget.download_url = inline.row_file_url(self.instance)
                    self.fields[field].widget = widget

        formset.form = Form
        return formset
