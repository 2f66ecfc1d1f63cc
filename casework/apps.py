from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"
    verbose_name = "办件管理"

    def ready(self):
        from staffing import calendar_hooks

        from .services import recompute_open_cases_for_calendar

        calendar_hooks.register(recompute_open_cases_for_calendar)
