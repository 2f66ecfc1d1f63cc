from django.contrib import admin

from staffing.admin.base import HistoryAdmin, register_control_panel

from .models import LoginEvent, SecuritySettings


@admin.register(LoginEvent)
class LoginEventAdmin(HistoryAdmin):
    """Sign-ins, failures and sign-outs: read by inspectors, written only by the system."""

    list_display = ["at", "username", "user", "kind", "address"]
    list_filter = ["kind"]
    search_fields = ["username__exact", "address"]
    list_select_related = ["user"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_control_panel(SecuritySettings)

# Locked-out accounts are told so at the login page (the lock itself is in the authentication backend).
from .security import CenterLoginForm  # noqa: E402

admin.site.login_form = CenterLoginForm
