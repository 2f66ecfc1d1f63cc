from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "会议管理"

    def ready(self):
        from staffing.defaults import reload_when_empty

        reload_when_empty(self, "MeetingType", [("0003_default_meeting_types", "load_types")])
