"""Login accounts in the admin: Django's user admin, with the rules of services.accounts.

A non-superuser cannot open a superuser's account or password page (403), and the change form
refuses, with a message on the field, any change of superuser or staff status, direct permissions,
or a role that the acting user may not give.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext

from admin_interface.admin import ThemeAdmin
from admin_interface.models import Theme

from ..services import accounts

User = get_user_model()


class PasswordSummary(ReadOnlyPasswordHashWidget):
    """Whether a password is set, not its hasher, salt and hash (「pbkdf2_sha256 … 盐 …」 told nobody anything)."""

    template_name = "staffing/widgets/password_summary.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["usable_password"] = bool(value) and not value.startswith(UNUSABLE_PASSWORD_PREFIX)
        return context


class AccountChangeForm(UserChangeForm):
    actor = None  # the acting user, set by AccountAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordSummary()

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
    return f"{gettext(str(model._meta.app_config.verbose_name))} | {label}"


PERMISSION_FIELDS = ("permissions", "user_permissions")


class PermissionLabels:
    """The permission pickers of accounts and roles list each permission in Chinese; read-only (an
    inspector), the permissions show as the same Chinese list."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in PERMISSION_FIELDS:
            field.label_from_instance = permission_label
        return field

    def _read_only_permissions(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._read_only_permissions(request, obj):
            return fieldsets
        swapped = []
        for name, options in fieldsets:
            fields = ["permission_list" if f in PERMISSION_FIELDS else f for f in options["fields"]]
            swapped.append((name, {**options, "fields": list(dict.fromkeys(fields))}))
        return swapped

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "permission_list"] if self._read_only_permissions(request, obj) else readonly

    @admin.display(description="权限")
    def permission_list(self, obj):
        permissions = getattr(obj, "permissions", None) or obj.user_permissions
        labels = [permission_label(p) for p in permissions.select_related("content_type")]
        return format_html_join("", "<div>{}</div>", ((label,) for label in labels)) if labels else "无"


class SuperuserThemeAdmin(ThemeAdmin):
    """The theme editor (界面主题) is django-admin-interface's own, in English: for superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


admin.site.unregister(Theme)
admin.site.register(Theme, SuperuserThemeAdmin)
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
