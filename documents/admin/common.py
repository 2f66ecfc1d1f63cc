"""What the documents admins share: read-only inlines, one-form pages, buttons that post, Excel export."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from staffing.admin.base import HistoryAdmin
from staffing.admin.service_forms import service_message
from staffing.list_exports import workbook_response

NO_SAVE_BUTTONS = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}


class RecordInline(admin.TabularInline):
    """Part of the parent's record (lines, recipients, reminders), shown read-only on its page.

    The parent admin has already decided that the user may see the page, so the inline needs no
    permission of its own; it changes only through the page's buttons.
    """

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdminPagesMixin:
    """The extra pages of an admin: one-form pages, report pages, and buttons that post to their URL."""

    def admin_url(self, name: str, *args) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def change_url(self, obj) -> str:
        return self.admin_url("change", obj.pk)

    def page(self, request, template: str, title: str, **context):
        return TemplateResponse(
            request, template, {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context}
        )

    def form_page(self, request, obj, form, label: str, submit_label: str = "", **context):
        """The one-form page of a step (分发办理, 反馈办理结果, 交办 …): the record above, the form below."""
        return self.page(
            request,
            "admin/documents/form_page.html",
            f"{label}:{obj}",
            label=label,
            submit_label=submit_label or label,
            record=obj,
            record_url=self.change_url(obj),
            form=form,
            media=self.media + form.media,
            **context,
        )

    def run_button(self, request, obj, label: str, call) -> HttpResponseRedirect | HttpResponseNotAllowed:
        """A one-click button posted to its own URL: the service's answer comes back as a message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            message = call()
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"未能{label}:{service_message(error)}", messages.ERROR)
        else:
            self.log_change(request, obj, label)
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(obj))


class RecordAdmin(AdminPagesMixin, HistoryAdmin):
    """A record written by services: read-only page, no actions, nothing to save."""

    actions = None

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [name for _, options in self.fieldsets for name in _flatten(options["fields"])]

    def save_model(self, request, obj, form, change):
        """Nothing to save: every field is read-only; changes go through the page's buttons."""

    # simple-history's pages fall back to the stored record when the (scoped) queryset hides the row:
    # whatever the list does not show, its history does not show either.

    def _require_listed(self, request, object_id):
        if self.get_object(request, unquote(str(object_id))) is None:
            raise Http404("记录不存在或不在您的权限范围内。")

    def history_view(self, request, object_id, extra_context=None):
        self._require_listed(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_listed(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _flatten(fields):
    for field in fields:
        if isinstance(field, (list, tuple)):
            yield from field
        else:
            yield field


def plain(number) -> str:
    """4.00 → 4, 2.50 → 2.5: quantities as people write them."""
    if number is None:
        return ""
    return format(number.normalize(), "f")


def xlsx_response(file_name: str, sheets: list[tuple[str, list[str], list[list]]]) -> HttpResponse:
    """A workbook of (sheet title, headers, rows); text is escaped, numbers stay numbers."""
    return workbook_response(file_name, sheets)


def export_link(request) -> str:
    query = request.GET.copy()
    query["format"] = "xlsx"
    return f"?{query.urlencode()}"


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"
