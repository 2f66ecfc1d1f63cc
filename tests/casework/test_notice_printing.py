"""Printing an issued notice from its case: the frozen text on an A4 sheet, scoped like the case."""

import datetime

import pytest
from django.urls import reverse

from casework import selectors, services
from casework.models import Notice, NoticeKind, NoticeTemplate
from staffing import roles
from staffing.models import CenterSettings
from tests.casework.conftest import PERSON, at

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def accepted_case(official_calendar, committed_item, market_window, clerk, monkeypatch):
    monkeypatch.setattr("casework.services.cases._today", lambda: D(2026, 9, 29))
    case = services.case_receive(
        item=committed_item, window=market_window, user=clerk.user, received_at=at(D(2026, 9, 29)), **PERSON
    )
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    return services.case_accept(case=case, user=clerk.user)


def print_url(notice):
    return reverse("admin:casework_case_notice_print", args=[notice.case_id, notice.pk])


def test_the_print_page_shows_the_frozen_notice_on_a_sheet_without_the_admin(client, clerk, accepted_case):
    client.force_login(clerk.user)
    notice = accepted_case.notices.get(kind=NoticeKind.ACCEPTANCE)
    response = client.get(print_url(notice))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<section class="sheet notice">' in html
    assert 'id="header"' not in html and "breadcrumbs" not in html  # no admin chrome
    assert "<h1>受理通知书</h1>" in html
    assert f'<p class="doc-number">{notice.number}</p>' in html
    assert notice.number.startswith("大行服受字〔")
    assert '<p class="issuer heading">大余县行政服务中心</p>' in html
    assert "张三：\n" in html  # the body keeps its line breaks (white-space: pre-wrap)
    assert "我们将于2026年10月19日前办结" in html
    assert '<div class="closing"><p>大余县行政服务中心</p>' in html  # the closing set apart, right-aligned
    assert f"办件编号：{accepted_case.number}" in html


def test_a_template_edit_after_issue_does_not_change_the_printed_notice(client, clerk, accepted_case):
    client.force_login(clerk.user)
    NoticeTemplate.objects.filter(kind=NoticeKind.ACCEPTANCE).update(title="新标题", body="新的正文")
    html = client.get(print_url(accepted_case.notices.get())).content.decode()
    assert "<h1>受理通知书</h1>" in html and "新的正文" not in html


def test_the_case_page_links_each_notice_to_its_print_page(client, clerk, accepted_case):
    client.force_login(clerk.user)
    notice = accepted_case.notices.get()
    page = client.get(reverse("admin:casework_case_change", args=[accepted_case.pk])).content.decode()
    assert f'<a href="{print_url(notice)}" target="_blank">打印</a>' in page


def test_a_notice_of_another_department_is_not_found_but_an_inspector_may_print_it(
    client, accepted_case, two_departments, make_staff
):
    notice = accepted_case.notices.get()
    client.force_login(make_staff(two_departments[1], role=roles.WINDOW_STAFF).user)
    assert client.get(print_url(notice)).status_code == 404
    client.force_login(make_staff(two_departments[1], role=roles.INSPECTOR).user)
    assert client.get(print_url(notice)).status_code == 200


def test_the_center_name_comes_from_the_center_settings(client, clerk, accepted_case):
    settings = CenterSettings.load()
    settings.name = "崇义县行政服务中心"
    settings.save()
    client.force_login(clerk.user)
    html = client.get(print_url(accepted_case.notices.get())).content.decode()
    assert '<p class="issuer heading">崇义县行政服务中心</p>' in html


def test_the_closing_lines_are_set_apart_only_when_the_body_ends_with_them():
    def layout(body):
        return selectors.notice_layout(Notice(body=body))

    assert layout("张三:\n　　正文。\n\n大余县行政服务中心\n2026年9月29日") == (
        "张三:\n　　正文。",
        ["大余县行政服务中心", "2026年9月29日"],
    )
    assert layout("张三:\n　　正文一段。\n　　正文二段。") == ("张三:\n　　正文一段。\n　　正文二段。", [])
    long_tail = "张三:\n\n" + "　　" + "很长的一段正文" * 10
    assert layout(long_tail) == (long_tail, [])
