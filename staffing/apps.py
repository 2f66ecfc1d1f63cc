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
        reload_when_empty(
            self, "ApprovalRule", [("0005_default_approval_rules", "load_rules"), ("0007_default_fund_rules", "load")]
        )
