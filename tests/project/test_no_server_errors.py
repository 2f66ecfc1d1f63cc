"""Issue 21: no admin URL answers an ordinary login's junk query values with a server error.

The crawl logs in as a user of every role (and a superuser), walks every URL of the admin site (each
ModelAdmin's changelist, add, change, history and delete pages for an existing id and a 20-digit id,
their own views, the site's views) and asks each with junk in every known parameter: the list-filter
parameters it shows, the fields of any form on the page, and the names the code reads from
request.GET. A 400 or 404 is the right answer to junk; a 500 is a bug.
"""

import logging
import re
import time
from collections import defaultdict
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.forms import BaseForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from staffing import roles
from tests.casework.conftest import PERSON, clerk, committed_item, market_window  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

BIG = "9" * 20
JUNK = ["abc", "0", "-1", "99999", "2026-13-45", "0000-00-00", BIG, "nosuch.Model"]
# Names the site's own views read (project/views.py, the prints, the boards), besides the brief's list.
KNOWN_PARAMETERS = [
    "year", "month", "start", "end", "date", "week", "model", "object", "as_of", "department", "user",
    "kind", "app", "before", "window", "room", "staff", "q", "o", "p", "e", "all", "format", "half",
    "back", "fund_request", "status", "_changelist_filters", "term",
]
# Routes that are not pages of their own.
SKIPPED_ROUTES = ["admin/logout/", "admin/(?P<url>.*)$", "i18n/setlang/"]
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def admin_routes():
    """(route, model or None) for every URL pattern of the site, with the model of its ModelAdmin."""
    models_by_prefix = {f"admin/{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    for route in walk(get_resolver().url_patterns, ""):
        if route in SKIPPED_ROUTES:
            continue
        model = next((m for prefix, m in models_by_prefix.items() if route.startswith(prefix)), None)
        yield route, model


def fill(route, model, big: bool) -> list[str]:
    """Concrete paths for a route: its ids are an existing row's (or 1) or a 20-digit number."""
    if route.startswith("admin/^(?P<app_label>"):
        return [f"/admin/{label}/" for label in re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|")]
    if "(?P<" in route:
        return []
    existing = str(model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 1) if model else "1"

    def value(match):
        if match["converter"] == "str":
            return "abc"
        if match["name"] == "year":
            return BIG if big else "2026"
        if match["name"] in ("object_id", "id"):
            return BIG if big else existing
        return BIG if big else "1"

    path = "/" + CONVERTER.sub(value, route)
    return [path]


def crawl_urls():
    urls, seen = [], set()
    for route, model in admin_routes():
        for big in (False, True):
            for path in fill(route, model, big):
                if path not in seen:
                    seen.add(path)
                    urls.append(path)
    return urls


def parameters_on(response) -> set[str]:
    """The parameters a page itself offers: its list filters and the fields of its forms."""
    names = set()
    context = response.context
    if context is None:
        return names
    cl = context.get("cl")
    if cl is not None and hasattr(cl, "filter_specs"):
        for spec in cl.filter_specs:
            names.update(spec.expected_parameters())
        if cl.date_hierarchy:
            names.update(f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    for layer in context if isinstance(context, list) else [context]:
        for value in layer.flatten().values():
            form = getattr(value, "form", value)  # the admin wraps its form in an AdminForm
            if isinstance(form, BaseForm):
                names.update(form.fields)
    return names


@pytest.fixture
def logins(two_departments, make_staff, official_calendar, committed_item, market_window, clerk):  # noqa: F811
    """One client per role (staff in one of two departments) and a superuser; some rows to open."""
    from casework import services as casework_services

    casework_services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    clients = {}
    for n, role in enumerate(roles.ALL_ROLES):
        staff = make_staff(two_departments[n % 2], role=role)
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(staff.user)
    superuser = get_user_model().objects.create_superuser("root", "root@example.cn", "测试密码-2026")
    clients["superuser"] = Client(raise_request_exception=False)
    clients["superuser"].force_login(superuser)
    return clients


SITE_VIEWS = ["/admin/", "/admin/history/", "/admin/history/export/"]


def is_object_page(path):
    return bool(re.search(r"/(\d+)/(change|history|delete)/$|/\d+/$", path)) and "/year/" not in path


@pytest.fixture
def quiet_logs():
    """A 400 logs a warning with its traceback: thousands of them cost more time than the requests."""
    loggers = [logging.getLogger(name) for name in ("django.request", "project.bad_input")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)


def test_no_admin_url_gives_a_server_error_for_junk_parameters(logins, quiet_logs):
    """Sampled to stay near a minute on SQLite:
    - the superuser opens every URL plainly (which also finds the parameters each page offers), then
      with every parameter set to one junk value, a different one from URL to URL;
    - every list, add page and view of its own (not the change, history and delete pages: the same
      code for every login) is opened by two roles in turn, with every parameter set to junk values
      shifted by role, so that over the roles each page sees several junk values; each role opens
      some of the 20-digit-id pages, where the department scoping looks the id up;
    - the site's own views (dashboard, timeline, its export) get each parameter alone, where one bad
      parameter cannot hide another.
    """
    started = time.monotonic()
    urls = crawl_urls()
    errors = defaultdict(set)
    requests = 0

    def get(client, who, path, params):
        nonlocal requests
        requests += 1
        query = f"{path}?{urlencode(params)}" if params else path
        response = client.get(query)
        if response.status_code >= 500:
            errors[query].add(who)
        return response

    parameters = {}
    superuser = logins.pop("superuser")
    for n, path in enumerate(urls):
        if BIG in path and not path.endswith("/change/"):
            continue
        parameters[path] = sorted(parameters_on(get(superuser, "superuser", path, {})) | set(KNOWN_PARAMETERS))
        if BIG not in path:
            get(superuser, "superuser", path, dict.fromkeys(parameters[path], JUNK[n % len(JUNK)]))

    roles_in_turn = list(logins.items())
    for n, path in enumerate(urls):
        if BIG in path:
            if path.endswith("/change/"):
                role, client = roles_in_turn[n % len(roles_in_turn)]
                get(client, role, path, {})
        elif not is_object_page(path):
            for turn in (0, 1):
                role, client = roles_in_turn[(n + turn) % len(roles_in_turn)]
                get(client, role, path, dict.fromkeys(parameters[path], JUNK[(n + 3 * turn + 1) % len(JUNK)]))

    for path in SITE_VIEWS:
        for m, name in enumerate(parameters[path]):
            for turn in (0, 1):
                get(superuser, "superuser", path, {name: JUNK[(m + 4 * turn) % len(JUNK)]})

    elapsed = time.monotonic() - started
    report = "\n".join(f"{url}  ({', '.join(sorted(who))})" for url, who in sorted(errors.items()))
    assert not errors, f"{len(errors)} 个地址返回 500(共 {requests} 次请求,{elapsed:.0f} 秒):\n{report}"
    print(f"{requests} requests in {elapsed:.0f} s")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/staffing/calendarday/?year=0",
        "/admin/staffing/calendarday/?year=-1",
        "/admin/staffing/calendarday/?year=99999",
        "/admin/history/?start=2026-13-45",
        "/admin/history/?end=0000-00-00",
        "/admin/history/?model=nosuch.Model&object=1&as_of=2026-01-01",
        "/admin/history/?model=auth.User&object=1&as_of=2026-01-01",
        f"/admin/history/?model=casework.Case&object={BIG}&as_of=2026-01-01",
        "/admin/staffing/staff/export/?nosuch=1",
        "/admin/staffing/department/export/?nosuch=1",
        "/admin/staffing/window/export/?nosuch=1",
        "/admin/staffing/calendarday/export/?nosuch=1",
        "/admin/casework/refusal/export/?nosuch=1",
        "/admin/documents/calllog/add/?at=abc",
        "/admin/documents/printlog/add/?at=2026-13-45",
        f"/admin/casework/case/{BIG}/change/",
    ],
)
def test_junk_in_a_link_gets_a_chinese_answer_not_a_server_error(path, admin_client, request):
    if "calendarday" in path:
        request.getfixturevalue("official_calendar")  # the year filter shows only when there are years
    admin_client.raise_request_exception = False
    response = admin_client.get(path)
    assert response.status_code in (302, 400, 404), response.status_code
    if response.status_code == 302:  # the admin's own answer: the list with ?e=1, or "does not exist"
        response = admin_client.get(response.url)
        assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"[\u4e00-\u9fff]{4}", page)


def test_the_timeline_names_the_bad_date_in_chinese(admin_client):
    response = admin_client.get("/admin/history/", {"start": "2026-13-45"})
    assert response.status_code == 400
    assert "「开始日期」的值「2026-13-45」不是有效的日期" in response.content.decode()


def test_an_add_page_names_the_junk_it_was_asked_to_prefill(admin_client):
    response = admin_client.get("/admin/documents/calllog/add/", {"at": "abc"})
    assert response.status_code == 400
    assert "的值「abc」无效,无法预填" in response.content.decode()
