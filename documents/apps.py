from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "公文与督办"

    def ready(self):
        from staffing.defaults import reload_when_empty

        reload_when_empty(self, "DocumentCategory", [("0003_default_categories", "load")])
