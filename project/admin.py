from django.contrib import admin, messages

from staffing.admin.base import HistoryAdmin, register_control_panel

from .models import LoginEvent, LoginEventKind, SecuritySettings


@admin.register(LoginEvent)
class LoginEventAdmin(HistoryAdmin):
    """Sign-ins, failures and sign-outs: read by inspectors, written only by the system."""

    list_display = ["at", "username", "who", "kind", "address"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter), ("user__staff__department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username__exact", "address", "user__staff__name"]
    list_select_related = ["user__staff__department"]
    show_full_result_count = False
    actions = ["unlock"]

    @admin.action(description="解除所选记录中账号在该地址的登录锁定", permissions=["unlock"])
    def unlock(self, request, queryset):
        from .security import sign_in_unlock

        pairs = sorted(set(queryset.exclude(kind=LoginEventKind.UNLOCKED).values_list("username", "address")), key=str)
        for username, address in pairs:
            sign_in_unlock(username=username, address=address)
        names = "、".join(f"{username}({address or '地址不明'})" for username, address in pairs)
        self.message_user(request, f"已解除 {len(pairs)} 个账号/地址的登录锁定:{names}。", messages.SUCCESS)

    @admin.display(description="用户", ordering="user")
    def who(self, obj):
        from .history import user_label

        return user_label(obj.user) if obj.user_id else "—"

    def has_unlock_permission(self, request):
        return request.user.has_perm("project.unlock_signin")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_control_panel(SecuritySettings)

# Locked-out accounts are told so at the login page (the lock itself is django-axes', see security.py).
from .security import CenterLoginForm  # noqa: E402

admin.site.login_form = CenterLoginForm
