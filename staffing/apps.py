from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staffing"
    verbose_name = "组织与考勤"

    def ready(self):
        from . import roles
        from .defaults import reload_when_empty

        # Infrastructure, not domain: keeps the role groups in step with permissions of models added later.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="staffing.sync_roles")
        show_users_by_name()
        reload_when_empty(
            self, "ApprovalRule", [("0005_default_approval_rules", "load_rules"), ("0007_default_fund_rules", "load")]
        )


def show_users_by_name():
    """People are known by name at the center, not by login: every page that prints an account (分发人,
    修改人 in the history, …) prints the staff member's name; an account without one keeps its login."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ObjectDoesNotExist

    def user_str(user):
        try:
            staff = user.staff
        except ObjectDoesNotExist:
            staff = None
        return staff.name if staff is not None else user.get_username()

    get_user_model().__str__ = user_str
