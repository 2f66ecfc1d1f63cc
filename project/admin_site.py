"""The center's admin site: header from 中心设置, an index with the dashboard (project.dashboard)
above the models grouped by task, calendar warnings."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

# The index groups what an office administrator looks for first; models not named here stay
# under their own app. Each entry: (group name, [(app_label, model_name), ...]).
INDEX_GROUPS = [
    (
        "组织机构",
        [("staffing", "department"), ("staffing", "window"), ("staffing", "staff"), ("staffing", "post")],
    ),
    ("工作日历与作息", [("staffing", "calendarday"), ("staffing", "workinghours")]),
    (
        "系统设置",
        [("staffing", "centersettings"), ("auth", "user"), ("auth", "group"), ("admin_interface", "theme")],
    ),
    (
        "考勤与请假",
        [
            ("staffing", "leaverequest"),
            ("staffing", "overtimerequest"),
            ("staffing", "whereabouts"),
            ("staffing", "clockpunch"),
            ("staffing", "dutyshift"),
            ("staffing", "approvalrule"),
        ],
    ),
    (
        "监督考核",
        [
            ("casework", "complaint"),
            ("casework", "jointopinion"),
            ("staffing", "accountabilityrecord"),
            ("staffing", "assessment"),
        ],
    ),
    ("好差评", [("ratings", "rating"), ("ratings", "badratingticket"), ("ratings", "ratingpad"), ("ratings", "ratingsettings")]),
]


class CenterAdminSite(admin.AdminSite):
    index_template = "admin/center_index.html"

    def admin_view(self, view, cacheable=False):
        from .bad_input import reject_bad_input

        return super().admin_view(reject_bad_input(view, self), cacheable)

    def each_context(self, request):
        from staffing.models import CenterSettings

        context = super().each_context(request)
        header = CenterSettings.load().site_header
        context.update(site_header=header, site_title=header)
        return context

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list
        models = {
            (app["app_label"], model["object_name"].lower()): model for app in app_list for model in app["models"]
        }
        grouped, used = [], set()
        for name, keys in INDEX_GROUPS:
            found = [models[key] for key in keys if key in models]
            used.update(key for key in keys if key in models)
            if found:
                grouped.append({"name": name, "app_label": f"group-{len(grouped)}", "app_url": "", "models": found})
        for app in app_list:
            rest = [m for m in app["models"] if (app["app_label"], m["object_name"].lower()) not in used]
            if rest:
                grouped.append({**app, "models": rest})
        return grouped

    def index(self, request, extra_context=None):
        from ratings.selectors import device_home  # a window's rating pad opens on its one page

        if home := device_home(request.user):
            return HttpResponseRedirect(home)
        from staffing import selectors

        year = timezone.localdate().year
        missing = selectors.calendar_missing_holidays([year, year + 1])
        warnings = []
        for missing_year, holidays in missing.items():
            try:
                url = reverse("admin:staffing_calendarday_year", args=[missing_year])
            except NoReverseMatch:
                url = ""
            warnings.append({"year": missing_year, "text": selectors.calendar_warning(missing_year, holidays), "url": url})
        from .dashboard import dashboard

        from staffing.models import CenterSettings

        # The index is titled with the center's name, not Django's 「站点管理」.
        context = {
            "title": CenterSettings.load().name,
            "calendar_warnings": warnings,
            "dashboard": dashboard(request, self),
        }
        return super().index(request, {**(extra_context or {}), **context})
