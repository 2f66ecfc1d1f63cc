"""Login accounts in the admin: Django's user admin, with the rules of services.accounts.

A non-superuser cannot open a superuser's account or password page (403), and the change form
refuses, with a message on the field, any change of superuser or staff status, direct permissions,
or a role that the acting user may not give.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
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


ACTIONS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission) -> str:
    """「组织与考勤 | 工作人员 | 修改」: a permission as the people who give it read it. The stored name is
    English for Django's own actions (「Can change 工作人员」); the actions of our own are Chinese already."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is None:
        return permission.name
    if action in ACTIONS and model_name == model._meta.model_name:
        original = getattr(model, "instance_type", None)  # a django-simple-history model
        name = f"{original._meta.verbose_name}的变更记录" if original else model._meta.verbose_name
        label = f"{ACTIONS[action]}{name}"
    else:
        label = permission.name
    return f"{model._meta.app_config.verbose_name} | {label}"


class PermissionLabels:
    """The permission pickers of accounts and roles list each permission in Chinese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(PermissionLabels, GroupAdmin):
    pass


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(PermissionLabels, UserAdmin):
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
