"""The index ordered by role, as data an administrator edits (issue 17)."""

import pytest
from django.urls import reverse

from project.admin_site import INDEX_VIEWS
from project.models import IndexSection
from staffing import roles
from staffing.models import Department, DepartmentKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)


def groups(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return [(app["name"], [m["name"] for m in app["models"]]) for app in response.context["app_list"]]


def test_the_clerk_finds_cases_and_first_inquiries_first(client, department, make_staff):
    clerk = make_staff(department, role=roles.WINDOW_STAFF)
    assert groups(client, clerk.user)[0] == ("办件与首问", ["办件", "首问登记"])


def test_the_office_finds_documents_meetings_and_supplies_first(client, department, make_staff):
    office = make_staff(department, role=roles.OFFICE_STAFF)
    assert [name for name, _ in groups(client, office.user)[:3]] == ["公文", "会议", "用品"]


def test_leaders_find_their_approvals_then_the_statistics(client, department, make_staff):
    leader = make_staff(department, role=roles.MAIN_LEADER, leader_role="main")
    first, second = groups(client, leader.user)[:2]
    assert first[0] == "待我审批" and first[1][:2] == ["请假申请", "加班申请"]
    assert second == ("统计", ["办件统计", "考核", "招投标监督统计"])


def test_the_inspector_finds_the_change_log_the_statistics_and_accountability_first(client, department, make_staff):
    inspector = make_staff(department, role=roles.INSPECTOR)
    listed = groups(client, inspector.user)
    assert [name for name, _ in listed[:3]] == ["变更记录", "统计", "责任追究"]
    assert listed[0][1] == ["变更记录(全部)"]
    html = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("history_timeline")}"' in html


def test_an_administrator_edits_a_roles_sections_by_ticking_pages(client, department, make_staff):
    admin = make_staff(department, role=roles.CENTER_ADMIN)
    clerk = make_staff(department, role=roles.WINDOW_STAFF)
    section = IndexSection.objects.get(role=roles.WINDOW_STAFF, name="办件与首问")
    client.force_login(admin.user)
    page = client.get(reverse("admin:project_indexsection_change", args=[section.pk]))
    assert "办件管理 · 首问登记" in page.content.decode() and 'type="checkbox"' in page.content.decode()
    response = client.post(
        reverse("admin:project_indexsection_change", args=[section.pk]),
        {"role": roles.WINDOW_STAFF, "order": 10, "name": "每日办件", "pages": ["casework.consultation"]},
        follow=True,
    )
    assert any("首页将按新分组显示" in str(m) for m in response.context["messages"])
    assert groups(client, clerk.user)[0] == ("每日办件", ["首问登记"])


def test_the_index_of_every_role_keeps_everything_it_may_open(client, department, make_staff):
    """Sections reorder the index; they never hide a list the role may open, nor show one twice."""
    users = {role: make_staff(department, role=role).user for role in roles.ALL_ROLES}
    with_sections = {}
    for role, user in users.items():
        shown = [model for _, models in groups(client, user) for model in models]
        assert len(shown) == len(set(shown)), role
        with_sections[role] = set(shown)
    IndexSection.objects.all().delete()
    for role, user in users.items():
        plain = {model for _, models in groups(client, user) for model in models}
        # Pages that are not a model's list (INDEX_VIEWS) show only in sections.
        assert with_sections[role] - {label for label, _, _ in INDEX_VIEWS.values()} == plain, role
