from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"
    verbose_name = "办件管理"

    def ready(self):
        from staffing import calendar_hooks
        from staffing.defaults import reload_when_empty

        from .services import recompute_open_cases_for_calendar

        calendar_hooks.register(recompute_open_cases_for_calendar)

        from bidding.selectors import register_complaint_figures

        from .statistics import bidding_complaint_figures

        # S1.1-g: the bidding complaints of this register count in 招投标监督统计.
        register_complaint_figures(bidding_complaint_figures)
        reload_when_empty(
            self,
            "NoticeTemplate",
            [
                ("0002_notice_templates", "load_templates"),
                ("0003_correction_notice_one_list", "one_list"),
                ("0014_notice_templates_full_width", "forwards"),
            ],
        )
