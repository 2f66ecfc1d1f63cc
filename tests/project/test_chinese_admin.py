"""Issue 17, Chinese on every page: the admin's own words (titles, filters, the header, the user admin,
the permission lists, the two-list picker) and the theme editor kept for superusers."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from staffing import roles
from staffing.admin.accounts import permission_label
from staffing.models import CenterSettings

pytestmark = pytest.mark.django_db


def filter_titles(html: str) -> list[str]:
    """The titles of a list's filters (django-admin-interface shows them as <h3>, Django as <summary>)."""
    found = html[html.index('id="changelist-filter"'):]
    return [" ".join(re.sub(r"<[^>]+>", "", text).split()) for text in re.findall(r"<(?:h3|summary)[^>]*>(.*?)</(?:h3|summary)>", found, re.S)]


def test_a_list_is_titled_with_what_it_lists_and_its_filters_with_the_fields_name(admin_client):
    page = admin_client.get("/admin/casework/case/").content.decode()

    assert "<h1>办件</h1>" in page and "选择" not in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    titles = filter_titles(page)
    assert "状态" in titles and not any(title.startswith("以") for title in titles), titles


def test_a_form_with_errors_is_titled_error_in_chinese(admin_client):
    page = admin_client.post("/admin/casework/consultation/add/", {}).content.decode()

    assert re.search(r"<title>\s*错误：\s*新增首问登记", page)
    assert "Error" not in page


def test_the_index_is_titled_with_the_centers_name_and_the_header_has_no_empty_environment_label(admin_client):
    settings = CenterSettings.load()
    settings.name = "崇义县行政服务中心"
    settings.save()

    page = admin_client.get("/admin/").content.decode()

    assert "<h1>崇义县行政服务中心</h1>" in page and "站点管理" not in page
    assert "environment-label" not in page


def test_the_screen_reader_headers_of_the_index_tables_are_chinese(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert '<th scope="col">模块名称</th>' in page and '<th scope="col">修改或查看列表链接</th>' in page
    assert "Model name" not in page and "Add link" not in page


def test_the_user_admin_speaks_chinese(admin_client):
    add_page = admin_client.get("/admin/auth/user/add/").content.decode()
    assert "创建账号后，可以继续设置姓名、角色等其他信息。" in add_page
    assert "After you" not in add_page and "LDAP" not in add_page
    catalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    assert "\\u5168\\u9009%s" in catalog or "全选%s" in catalog  # 「全选组」, not 「Choose all 组」


def test_permissions_are_listed_in_chinese_in_the_pickers_and_read_only(admin_client, client, two_departments, make_staff):
    add_case = Permission.objects.get(codename="add_case")
    log_entry = Permission.objects.get(codename="add_logentry")
    historical = Permission.objects.get(codename="view_historicalcase")
    assert permission_label(add_case) == "办件管理 | 新增办件"
    assert permission_label(log_entry) == "管理 | 新增日志记录"
    assert permission_label(historical) == "办件管理 | 查看办件的变更记录"

    group = Group.objects.get(name=roles.WINDOW_STAFF)
    editable = admin_client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert ">办件管理 | 新增办件</option>" in editable and "Can add" not in editable

    client.force_login(make_staff(two_departments[0], role=roles.INSPECTOR).user)
    read_only = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "<div>办件管理 | 新增办件</div>" in read_only and "Can add" not in read_only


def test_the_theme_editor_is_for_superusers_only(admin_client, client, two_departments, make_staff):
    for role in (roles.CENTER_ADMIN, roles.INSPECTOR):
        client.force_login(make_staff(two_departments[0], role=role).user)
        assert client.get("/admin/admin_interface/theme/").status_code == 403
        assert "界面主题" not in client.get("/admin/").content.decode()
    assert admin_client.get("/admin/admin_interface/theme/").status_code == 200
