"""Issue 10: one timeline of every change, its filters and export, secrecy, integrity, sign-ins."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from documents import services as documents_services
from documents.models import DocumentCategory
from project.models import LoginEvent
from staffing import roles
from staffing.models import Department
from tests.casework.conftest import PERSON, clerk, committed_item, market_window  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.INSPECTOR, name="蓝晓燕")


def timeline(client, **params):
    response = client.get(reverse("history_timeline"), params)
    assert response.status_code == 200
    return response


@pytest.fixture
def case(committed_item, market_window, clerk):
    case = casework_services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    for material in case.materials.filter(required=True):
        casework_services.case_check_material(material=material, user=clerk.user, state="received")
    casework_services.case_accept(case=case, user=clerk.user)
    return case


def test_the_timeline_shows_a_cases_status_change_with_labels_and_the_user(client, inspector, case, clerk):
    client.force_login(inspector.user)
    response = timeline(client, model="casework.Case", object=case.pk)
    entries = response.context["entries"]
    change = next(e for e in entries if e.kind == "修改" and any(c.field == "status" for c in e.changes))
    status = next(c for c in change.changes if c.field == "status")
    assert (status.label, status.old, status.new) == ("状态", "收件", "受理")
    assert change.user == clerk.user
    assert entries[-1].kind == "新增"
    html = response.content.decode()
    assert "李春梅" in html and "受理" in html and "县市场监督管理局" in html


def test_a_deleted_record_keeps_its_history_and_a_deletion_entry(client, inspector, two_departments):
    department = Department.objects.create(name="临时专班")
    department.delete()
    client.force_login(inspector.user)
    entries = timeline(client, model="staffing.Department", q="临时专班").context["entries"]
    assert [e.kind for e in entries] == ["删除", "新增"]


def test_filters_by_person_department_type_kind_date_and_text(client, inspector, case, clerk, two_departments):
    client.force_login(inspector.user)
    mine = timeline(client, user=clerk.user.pk).context["entries"]
    assert mine and all(e.user == clerk.user for e in mine)
    by_department = timeline(client, department=two_departments[0].pk).context["entries"]
    assert by_department and all(e.user.staff.department == two_departments[0] for e in by_department)
    additions = timeline(client, kind="+", model="casework.Case").context["entries"]
    assert [e.kind for e in additions] == ["新增"]
    changes = timeline(client, kind="~", model="casework.Case").context["entries"]
    assert changes and {e.kind for e in changes} == {"修改"}
    assert timeline(client, start="2000-01-01", end="2000-01-02").context["entries"] == []
    today = datetime.date.today().isoformat()
    assert timeline(client, start=today, end=today, model="casework.Case").context["entries"]
    found = timeline(client, q=case.number).context["entries"]
    assert {"casework.Case", "casework.Notice"} <= {e.model._meta.label for e in found}  # the notice quotes the number


def test_the_export_has_one_row_per_changed_field(client, inspector, case):
    client.force_login(inspector.user)
    response = client.get(reverse("history_timeline_export"), {"model": "casework.Case", "object": case.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "部门", "变更类型", "记录", "字段", "原值", "新值", "变更原因")
    assert any(row[5] == "状态" and row[6] == "收件" and row[7] == "受理" for row in rows[1:])


def test_window_staff_cannot_open_the_timeline(client, clerk):
    client.force_login(clerk.user)
    assert client.get(reverse("history_timeline")).status_code == 403


def test_a_secret_documents_history_is_hidden_outside_its_scope(client, inspector, two_departments, make_staff):
    director = make_staff(two_departments[0], role=roles.MAIN_LEADER, leader_role="main")
    drafter = make_staff(two_departments[0], role=roles.WINDOW_STAFF)
    documents_services.document_draft(
        user=drafter.user, category=DocumentCategory.objects.get(name="中心文件"), title="干部考察名单",
        secrecy="secret", scope_staff=[director],
    )
    client.force_login(inspector.user)
    assert "干部考察名单" not in timeline(client, model="documents.Document").content.decode()
    director.user.groups.add(Group.objects.get(name=roles.INSPECTOR))
    client.force_login(director.user)
    assert "干部考察名单" in timeline(client, model="documents.Document").content.decode()


def test_the_first_page_costs_the_same_queries_for_more_history(client, inspector, two_departments):
    """One query picks the page from all history tables; then two per table on the page: at 60 and at
    260 new departments the page holds the same tables, so it costs the same queries."""
    client.force_login(inspector.user)
    timeline(client)  # the first request creates the settings rows it reads
    for n in range(60):
        Department.objects.create(name=f"部门{n}")
    with CaptureQueriesContext(connection) as small:
        timeline(client)
    for n in range(60, 260):
        Department.objects.create(name=f"部门{n}")
    with CaptureQueriesContext(connection) as large:
        timeline(client)
    assert len(large) == len(small)
    history_tables = [q["sql"] for q in large.captured_queries if "UNION ALL" in q["sql"]]
    assert len(history_tables) == 1  # the page's keys, from every history table at once
    # The keys, then the rows; all are creations, so there are no previous versions to read.
    assert sum("staffing_historicaldepartment" in q["sql"] for q in large.captured_queries) == 2


def test_pages_follow_each_other_without_gaps_when_many_changes_share_one_moment(client, inspector, two_departments):
    """An import writes all its history rows with one date: the next page starts right after the last
    row shown, not after the date."""
    from simple_history.utils import bulk_create_with_history

    moment = timezone.now()
    bulk_create_with_history(
        [Department(name=f"导入部门{n:03d}") for n in range(120)], Department, default_date=moment, default_user=inspector.user
    )
    client.force_login(inspector.user)

    def walk(**first):
        shown, params = [], first
        for _ in range(10):  # 120 rows and a few more make 3 pages; a cursor that stands still never ends
            response = timeline(client, **params)
            shown += [entry.row.name for entry in response.context["entries"]]
            if not response.context["next_query"]:
                return shown
            params = dict(QueryDict(response.context["next_query"]).items())
        raise AssertionError(f"翻页没有结束:{len(shown)} 行")

    shown = walk(model="staffing.Department")
    imported = [name for name in shown if name.startswith("导入部门")]
    assert sorted(imported) == [f"导入部门{n:03d}" for n in range(120)]
    assert len(shown) == len(set(shown)) == Department.history.count()
    # The text search builds its page through the ORM: the same pages, the same rows.
    searched = walk(model="staffing.Department", q="导入部门")
    assert searched == imported


def test_history_cannot_be_changed_through_the_admin_even_by_a_superuser(admin_client):
    from django.contrib import admin
    from simple_history.models import registered_models

    historical = {model.history.model for model in registered_models.values()}
    assert not historical & set(admin.site._registry)


def test_only_a_center_admin_reverts_and_the_revert_is_recorded(client, two_departments, make_staff):
    market = two_departments[0]
    market.phone = "0797-1111111"
    market.save()
    first = market.history.order_by("history_id").first()
    office = make_staff(market, role=roles.OFFICE_STAFF)
    office.user.user_permissions.add(Permission.objects.get(codename="change_department"))
    url = reverse("admin:staffing_department_simple_history", args=[market.pk, first.history_id])
    form = {"name": market.name, "kind": "stationed", "phone": "", "sort_order": 0, "is_active": "on", "code": ""}
    client.force_login(office.user)
    assert client.post(url, form).status_code == 403

    center_admin = make_staff(market, role=roles.CENTER_ADMIN)
    client.force_login(center_admin.user)
    assert client.post(url, form).status_code == 302
    market.refresh_from_db()
    latest = market.history.latest()
    assert (market.phone, latest.history_user, latest.history_change_reason) == ("", center_admin.user, f"恢复到历史版本 #{first.history_id}")


def test_sign_ins_failures_and_sign_outs_are_recorded(client, clerk):
    client.post(reverse("admin:login"), {"username": clerk.user.username, "password": "错误密码"})
    client.post(reverse("admin:login"), {"username": clerk.user.username, "password": "测试密码-2026"})
    client.post(reverse("admin:logout"))
    kinds = list(LoginEvent.objects.filter(username=clerk.user.username).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["failed", "login", "logout"]
    assert LoginEvent.objects.first().address == "127.0.0.1"


def test_deleting_a_case_leaves_its_history_and_a_deletion_entry(client, inspector, case):
    number, pk = case.number, case.pk
    case.notices.all().delete()
    case.delete()
    client.force_login(inspector.user)
    entries = timeline(client, model="casework.Case", object=pk).context["entries"]
    assert entries[0].kind == "删除" and entries[-1].kind == "新增"
    assert number in entries[0].record_label


def test_the_app_filter_keeps_to_one_app(client, inspector, case):
    client.force_login(inspector.user)
    entries = timeline(client, app="casework").context["entries"]
    assert entries and {e.model._meta.app_label for e in entries} == {"casework"}


def test_the_export_writes_typed_text_as_text_even_a_formula_or_a_control_character(client, inspector, clerk):
    consultation = casework_services.consultation_log(
        user=clerk.user, outcome="answered", asker_name='=HYPERLINK("http://x","y")', question="开店\x07要办什么证?"
    )
    client.force_login(inspector.user)
    response = client.get(reverse("history_timeline_export"), {"model": "casework.Consultation", "object": consultation.pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert not any(cell.data_type == "f" for row in rows for cell in row)
    asker = next(row for row in rows if row[5].value == "咨询人")
    assert asker[7].value == '\'=HYPERLINK("http://x","y")' and asker[7].data_type == "s"
    question = next(row for row in rows if row[5].value == "咨询内容")
    assert question[7].value == "开店要办什么证?"
