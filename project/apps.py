from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CenterAdminConfig(admin_apps.AdminConfig):
    """Makes the center's AdminSite the default `admin.site`."""

    default = False
    default_site = "project.admin_site.CenterAdminSite"


class ProjectConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "project"
    verbose_name = "系统与安全"

    def ready(self):
        from django.db.models.signals import post_migrate

        from staffing.defaults import reload_when_empty

        from . import security  # noqa: F401  (connects the sign-in signal receivers)
        from .baseline import record_baseline_after_migrate

        post_migrate.connect(record_baseline_after_migrate, dispatch_uid="project.record_baseline")
        # The index sections per role (issue 17), back after a flush of a test database.
        reload_when_empty(
            self,
            "IndexSection",
            [
                ("0006_index_sections", "create_defaults"),
                ("0007_bidding_index_sections", "add_sections"),
                ("halls.migrations.0002_hall_index_entries", "add_entries"),
                ("halls.migrations.0005_index_sections_inspections", "create"),
            ],
        )
