"""Login accounts in the admin: Django's user admin, with the rules of services.accounts.

A non-superuser cannot open a superuser's account or password page (403), and the change form
refuses, with a message on the field, any change of superuser or staff status, direct permissions,
or a role that the acting user may not give.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError

from ..services import accounts

User = get_user_model()


class AccountChangeForm(UserChangeForm):
    actor = None  # the acting user, set by AccountAdmin.get_form

    def clean(self):
        cleaned_data = super().clean()
        try:
            accounts.account_check_change(
                actor=self.actor, account=self.instance, changed_fields=self.changed_data,
                groups=cleaned_data.get("groups") or [],
            )
        except ValidationError as error:
            self.add_error(None, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return cleaned_data


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    form = AccountChangeForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user  # a new class on every call: nothing is shared between requests
        return form

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def _may_edit(self, request, obj) -> bool:
        return obj is None or accounts.account_may_edit(actor=request.user, account=obj)
