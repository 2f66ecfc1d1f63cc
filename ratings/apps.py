from django.apps import AppConfig


class RatingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ratings"
    verbose_name = "好差评"

    def ready(self):
        from staffing import assessment_facts

        from .selectors import staff_month_rating_facts

        # S1.1-c: the staff assessment sheet takes the month's rating figures (R1.5).
        assessment_facts.register(staff_month_rating_facts)
