"""Who may change a login account (issue 21).

Only a superuser grants superuser or staff status or direct permissions, and only a superuser edits a
superuser's account (its password included). Everyone else with the right to change accounts (the
center administrator) manages them through the project's roles: any of the eight roles for another
account, but for their own account only a role whose every permission they already hold.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from .. import roles

# Fields of an account that only a superuser may change, with the names the admin shows.
SUPERUSER_ONLY_FIELDS = {"is_superuser": "超级用户状态", "is_staff": "职员状态", "user_permissions": "用户权限"}


def account_may_edit(*, actor, account) -> bool:
    return actor.is_superuser or not account.is_superuser


def account_check_editable(*, actor, account) -> None:
    if not account_may_edit(actor=actor, account=account):
        raise PermissionDenied(f"「{account.get_username()}」是超级用户,只有超级用户可以修改其账号和密码。")


def account_check_change(*, actor, account, changed_fields, groups) -> None:
    """Refuse, field by field, what `actor` may not change on `account`; `groups` are the roles asked for."""
    account_check_editable(actor=actor, account=account)
    if actor.is_superuser:
        return
    errors = {
        field: f"只有超级用户可以更改「{label}」。"
        for field, label in SUPERUSER_ONLY_FIELDS.items()
        if field in changed_fields
    }
    if "groups" in changed_fields:
        held = set(account.groups.all()) if account.pk else set()
        refused = [_role_refusal(actor, account, group) for group in groups if group not in held]
        refused = [message for message in refused if message]
        if refused:
            errors["groups"] = refused
    if errors:
        raise ValidationError(errors)


def _role_refusal(actor, account, group) -> str:
    if group.name not in roles.ALL_ROLES:
        return f"「{group.name}」不是本系统的角色,只有超级用户可以授予。"
    if account.pk == actor.pk:
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        if not granted <= actor.get_all_permissions():
            return f"不能给自己授予角色「{group.name}」:该角色含有您本人没有的权限。"
    return ""
