from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class HallsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "halls"
    verbose_name = "服务场所"

    def ready(self):
        from staffing.defaults import reload_when_empty

        from .models import Hall
        from .selectors import clear_hall_choices

        # Infrastructure only: the cached choices of the 服务场所 filters.
        post_save.connect(clear_hall_choices, sender=Hall, dispatch_uid="halls_clear_choices_save")
        post_delete.connect(clear_hall_choices, sender=Hall, dispatch_uid="halls_clear_choices_delete")
        # The center's own hall (every window needs a hall) and the default checklist, back after a flush.
        reload_when_empty(self, "Hall", [("0001_halls", "create_center_hall")])
        reload_when_empty(self, "InspectionChecklist", [("0004_default_checklist", "create")])
