"""What the admin pages of every app do with a service's answer, and the add page a service saves.

The services refuse with ValidationError (what the user typed breaks a rule) or PermissionDenied
(the user may not do this). The admin pages put that refusal back on the form with
`add_service_error`, or into a message with `service_message`. `add_page_context` is the context
of an add page whose form a service saves (rendered by the admin's own change form), and
`ServiceAddMixin` is such an add page for a ModelAdmin.

Shared by staffing, casework, meetings and documents (staffing is the ground floor). The page
with one form that a service answers is the template admin/service_form_page.html.
"""

from django import forms
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError

NO_PERMISSION = "您没有办理该业务的权限。"


def add_service_error(form: forms.BaseForm, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, else on top."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or NO_PERMISSION)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def service_message(error: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one line for a message."""
    if isinstance(error, PermissionDenied):
        return str(error) or NO_PERMISSION
    return ";".join(error.messages)


def add_page_context(model_admin, request, form, fieldsets, title: str, extra_context=None, **context) -> dict:
    """The context of `render_change_form(..., add=True)` for an add page whose form a service saves.

    `context` adds the page's own entries; the view's `extra_context` comes last, as in the admin.
    """
    admin_form = helpers.AdminForm(form, fieldsets, {}, (), model_admin=model_admin)
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "adminform": admin_form,
        "object_id": None,
        "original": None,
        "is_popup": False,
        "to_field": None,
        "media": model_admin.media + admin_form.media,
        "inline_admin_formsets": [],
        "errors": helpers.AdminErrorList(form, []),
        "preserved_filters": model_admin.get_preserved_filters(request),
        **context,
        **(extra_context or {}),
    }


class ServiceAddMixin:
    """An add page whose form is saved by a service, not by `save_model()`.

    The service's ValidationError goes back onto the form (on the field it names) and nothing is
    saved; the admin's usual log entry is written only after the service succeeded.
    Subclasses implement `add_through_service(request, form)` (the form is valid; they read
    `form.cleaned_data`) and may override `add_title(request)`.
    """

    def add_through_service(self, request, form):
        raise NotImplementedError

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form_class = self.get_form(request, None, change=False)
        if request.method == "POST":
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                try:
                    obj = self.add_through_service(request, form)
                except (ValidationError, PermissionDenied) as error:
                    add_service_error(form, error)
                else:
                    self.log_addition(request, obj, [{"added": {}}])
                    return self.response_add(request, obj)
        else:
            form = form_class(initial=self.get_changeform_initial_data(request))
        fieldsets = list(self.get_fieldsets(request))
        context = add_page_context(self, request, form, fieldsets, self.add_title(request), extra_context)
        request.current_app = self.admin_site.name
        return self.render_change_form(request, context, add=True, form_url=form_url)

    def add_title(self, request) -> str:
        return f"新增{self.opts.verbose_name}"
