"""The center's admin site: header from 中心设置, an index with the dashboard (project.dashboard)
above the models grouped by task, calendar warnings."""

import time

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


# Pages that are not a model's list but belong on the index: key → (label, URL name, who may open it).
def _is_reviewer(user) -> bool:
    from staffing import roles
    from staffing.selectors import user_role_names

    return user.is_superuser or bool(user_role_names(user) & {roles.INSPECTOR, roles.CENTER_ADMIN})


INDEX_VIEWS = {
    "view:case_statistics": ("办件统计", "admin:casework_case_statistics", lambda user: user.has_perm("casework.view_case")),
    "view:history_timeline": ("变更记录(全部)", "history_timeline", _is_reviewer),
    "view:bidding_openings": ("开标日历", "admin:bidding_biddingevent_openings", lambda user: user.has_perm("bidding.view_biddingevent")),
    "view:bidding_statistics": (
        "招投标监督统计", "admin:bidding_biddingevent_statistics", lambda user: user.has_perm("bidding.view_biddingevent")
    ),
}


def index_entry_choices(site) -> list[tuple[str, str]]:
    """Every page an index section can hold, labelled as the index shows it: app · list, then the pages."""
    from django.apps import apps

    choices = []
    for model in site._registry:
        opts = model._meta
        app_name = apps.get_app_config(opts.app_label).verbose_name
        choices.append((opts.label_lower, f"{app_name} · {opts.verbose_name_plural}"))
    choices.sort(key=lambda choice: choice[0])
    return choices + [(key, f"页面 · {label}") for key, (label, _, _) in INDEX_VIEWS.items()]


def role_sections(user) -> list:
    """The index sections of the user's roles, in the order of the roles (staffing.roles.ALL_ROLES)
    and of each role's sections; a superuser without a role gets the center administrator's."""
    from staffing import roles
    from staffing.selectors import user_role_names

    from .models import IndexSection

    cached = getattr(user, "_index_sections", None)
    if cached is not None:
        return cached
    names = user_role_names(user)
    if not names and user.is_superuser:
        names = {roles.CENTER_ADMIN}
    rank = {role: index for index, role in enumerate(roles.ALL_ROLES)}
    sections = IndexSection.objects.filter(role__in=names) if names else []
    user._index_sections = sorted(sections, key=lambda section: (rank.get(section.role, 99), section.order, section.pk))
    return user._index_sections


# The menu beside every admin page (Django's nav sidebar) is the app list: building it asks every
# registered admin for its permissions, about a quarter of a case page's time. It is kept per user and
# roles for MENU_SECONDS; the pages themselves check permissions on every request, so a menu at most
# that old only shows or hides a link late. The index is built afresh (its sections are edited live).
MENU_SECONDS = 30
_menus: dict = {}


def clear_menus() -> None:
    _menus.clear()


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
        on_index = getattr(getattr(request, "resolver_match", None), "url_name", "") == "index"
        if app_label or on_index or not request.user.is_authenticated:
            return self.grouped_app_list(request, app_label, on_index)
        from staffing.selectors import user_role_names

        key = (request.user.pk, request.user.is_superuser, frozenset(user_role_names(request.user)))
        now = time.monotonic()
        kept = _menus.get(key)
        if kept is None or kept[0] <= now:
            if len(_menus) > 5000:
                _menus.clear()
            kept = _menus[key] = (now + MENU_SECONDS, self.grouped_app_list(request, None, False))
        return kept[1]

    def grouped_app_list(self, request, app_label, on_index):
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list
        models = {
            (app["app_label"], model["object_name"].lower()): model for app in app_list for model in app["models"]
        }
        grouped, used = [], set()
        # On the index, first the sections of the user's roles (IndexSection, edited in the admin), then
        # the rest. The menu beside other pages keeps the plain grouping: no query for it on every page.
        for section in role_sections(request.user) if on_index else []:
            found = []
            for entry in section.entry_keys():
                if entry in INDEX_VIEWS:
                    view = self.index_view_entry(request, entry)
                    if view is not None and entry not in used:
                        found.append(view)
                        used.add(entry)
                    continue
                key = tuple(entry.split(".", 1)) if "." in entry else None
                if key in models and key not in used:
                    found.append(models[key])
                    used.add(key)
            if found:
                grouped.append({"name": section.name, "app_label": f"group-{len(grouped)}", "app_url": "", "models": found})
        for name, keys in INDEX_GROUPS:
            found = [models[key] for key in keys if key in models and key not in used]
            used.update(key for key in keys if key in models)
            if found:
                grouped.append({"name": name, "app_label": f"group-{len(grouped)}", "app_url": "", "models": found})
        for app in app_list:
            rest = [m for m in app["models"] if (app["app_label"], m["object_name"].lower()) not in used]
            if rest:
                grouped.append({**app, "models": rest})
        return grouped

    def index_view_entry(self, request, key) -> dict | None:
        label, url_name, allowed = INDEX_VIEWS[key]
        if not allowed(request.user):
            return None
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            return None
        return {
            "name": label, "object_name": key.split(":", 1)[1], "admin_url": url, "add_url": None, "view_only": True,
            "perms": {"add": False, "change": False, "delete": False, "view": True}, "model": None,
        }

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
