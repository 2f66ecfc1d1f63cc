"""Issue 16: history that an inspector can use — findable, readable, word-level diffs, sign-ins apart,
business keys, a 初始数据 baseline, Chinese error pages, the inspection summary."""

import datetime
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import Case, NoticeTemplate
from project import history
from project.baseline import BASELINE_REASON, record_baseline
from project.models import LoginEvent
from staffing import roles
from staffing.models import Department
from tests.casework.conftest import PERSON, clerk, committed_item, market_window  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.INSPECTOR, name="蓝晓燕")


@pytest.fixture
def case(committed_item, market_window, clerk):  # noqa: F811
    case = casework_services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    for material in case.materials.filter(required=True):
        casework_services.case_check_material(material=material, user=clerk.user, state="received")
    casework_services.case_accept(case=case, user=clerk.user)
    return case


def visible_text(html: str) -> str:
    """The words a person reads: no tags, no attribute values, no script or style."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


# What a page must not show: field names, choice codes, None, internal markers.
FIELD_NAMES = ["history_change_reason", "HISTORY_CHANGE_REASON", "committed_due_date", "received_on", "status", "None"]
CHOICE_CODES = ["received", "accepted", "resident_id", "in_progress"]


def assert_reads_chinese(text: str):
    for word in FIELD_NAMES + CHOICE_CODES:
        assert not re.search(rf"(?<![A-Za-z_]){word}(?![A-Za-z_])", text), f"页面出现了「{word}」"


def test_the_history_pages_and_the_timeline_show_no_field_names_codes_or_none(client, inspector, case, clerk):
    client.force_login(inspector.user)
    pages = [
        reverse("admin:casework_case_history", args=[case.pk]),
        reverse("history_timeline"),
        f"{reverse('history_timeline')}?key={case.number}",
        f"{reverse('history_timeline')}?model=casework.Case&object={case.pk}&as_of={timezone.localdate():%Y-%m-%d}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert_reads_chinese(text)
        assert "空" in text or "as_of" in url
    page = visible_text(client.get(pages[0]).content.decode())
    assert "变更原因" in page and "李春梅(县市场监督管理局)" in page and "受理" in page
    assert clerk.user.username not in page
    as_of = visible_text(client.get(pages[3]).content.decode())
    assert "#" not in as_of and "食品经营许可" in as_of  # the item by its name, not 「事项 #2」


def test_a_case_history_page_links_to_the_timeline_for_that_record(client, inspector, case):
    client.force_login(inspector.user)
    html = client.get(reverse("admin:casework_case_history", args=[case.pk])).content.decode()
    assert "在变更记录中查看" in html
    assert f"model=casework.Case&amp;object={case.pk}" in html


def test_a_clerk_sees_no_timeline_link_on_a_history_page(client, case, clerk):  # noqa: F811
    client.force_login(clerk.user)
    html = client.get(reverse("admin:casework_case_history", args=[case.pk])).content.decode()
    assert "在变更记录中查看" not in html


def test_dates_are_in_chinese_and_empty_values_read_kong(client, inspector, case):
    client.force_login(inspector.user)
    entries = client.get(reverse("history_timeline"), {"model": "casework.Case", "object": case.pk}).context["entries"]
    accepted = next(e for e in entries if any(c.field == "status" and c.new == "受理" for c in e.changes))
    received_on = next(c for c in accepted.changes if c.field == "accepted_on")
    today = timezone.localdate()
    assert (received_on.old, received_on.new) == ("空", f"{today.year}年{today.month}月{today.day}日")


def test_a_one_word_edit_of_a_long_text_marks_only_that_word():
    old = "申请人应当自收到本通知之日起十五个工作日内提交补正材料,逾期未提交的,视为撤回申请。" * 2
    new = old.replace("十五个工作日", "二十个工作日", 1)
    diff = str(history.word_diff(old, new))
    assert re.findall(r"<del>(.*?)</del>", diff) == ["十五"] and re.findall(r"<ins>(.*?)</ins>", diff) == ["二十"]
    assert "…" in diff and len(diff) < len(old)  # context around the change, not the whole text


def test_word_diffs_escape_what_was_typed():
    diff = str(history.word_diff("说明 <b>旧</b>" * 10, "说明 <script>alert(1)</script>" * 10))
    assert "<script>" not in diff and "<b>" not in diff and "&lt;" in diff and "alert(1)" in diff


def test_a_notice_template_edit_on_the_timeline_has_a_word_diff(client, inspector, two_departments, make_staff):
    template = NoticeTemplate.objects.order_by("pk").first()
    template.body = template.body.replace("。", "。请携带身份证原件。", 1)
    template._change_reason = "补充携带证件的提示"
    template.save()
    client.force_login(inspector.user)
    entries = client.get(reverse("history_timeline"), {"model": "casework.NoticeTemplate"}).context["entries"]
    edit = next(e for e in entries if e.reason == "补充携带证件的提示")
    body = next(c for c in edit.changes if c.field == "body")
    assert "请携带身份证原件" in re.sub(r"</?ins>", "", "".join(re.findall(r"<ins>.*?</ins>", str(body.diff))))
    assert "<del>" not in str(body.diff)


def test_seeded_rows_have_an_initial_data_row_so_the_first_edit_diffs_against_real_values(client, inspector):
    template = NoticeTemplate.objects.order_by("pk").first()  # written by a data migration
    first = template.history.order_by("history_id").first()
    assert (first.history_type, first.history_change_reason) == ("+", BASELINE_REASON)
    template.title = template.title + "(修订)"
    template.save()
    client.force_login(inspector.user)
    entries = client.get(reverse("history_timeline"), {"model": "casework.NoticeTemplate", "object": template.pk}).context["entries"]
    assert [c.field for c in entries[0].changes] == ["title"]  # not every field from 空, not ID


def test_the_baseline_is_written_once_for_rows_without_history(two_departments):
    market, _ = two_departments
    Department.objects.filter(pk=market.pk).update(phone="0797-1234567")
    Department.history.filter(id=market.pk).delete()  # as a bulk write leaves it
    assert record_baseline() >= 1
    assert record_baseline() == 0
    row = Department.history.get(id=market.pk)
    assert (row.history_change_reason, row.phone) == (BASELINE_REASON, "0797-1234567")


def test_sign_ins_stay_out_of_the_timeline_unless_asked_for(client, inspector, clerk):  # noqa: F811
    Client().post(reverse("admin:login"), {"username": clerk.user.username, "password": "测试密码-2026"})
    assert LoginEvent.objects.exists()
    client.force_login(inspector.user)
    plain = client.get(reverse("history_timeline")).context["entries"]
    assert all(e.model is not LoginEvent for e in plain)
    asked = client.get(reverse("history_timeline"), {"sign_ins": "1"}).context["entries"]
    assert any(e.model is LoginEvent for e in asked)
    only = client.get(reverse("history_timeline"), {"model": "project.LoginEvent"}).context["entries"]
    assert only and all(e.model is LoginEvent for e in only)


def test_the_sign_in_list_filters_by_kind_day_and_department(client, inspector, clerk, two_departments):  # noqa: F811
    Client().post(reverse("admin:login"), {"username": clerk.user.username, "password": "错误密码"})
    Client().post(reverse("admin:login"), {"username": clerk.user.username, "password": "测试密码-2026"})
    client.force_login(inspector.user)
    url = reverse("admin:project_loginevent_changelist")
    assert client.get(url, {"kind__exact": "failed"}).context["cl"].result_count == 1
    response = client.get(url, {"kind__exact": "login", "user__staff__department__id__exact": two_departments[0].pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert "李春梅(县市场监督管理局)" in response.content.decode()
    assert client.get(url, {"at__gte": "2000-01-01", "at__lt": "2000-01-02"}).context["cl"].result_count == 0


def test_business_keys_find_records_without_internal_ids(client, inspector, case, committed_item, clerk):  # noqa: F811
    client.force_login(inspector.user)
    by_number = client.get(reverse("history_timeline"), {"key": case.number}).context["entries"]
    assert by_number and {e.model._meta.label for e in by_number} >= {"casework.Case"}
    assert all(e.model._meta.label != "casework.Case" or e.row.id == case.pk for e in by_number)
    by_code = client.get(reverse("history_timeline"), {"key": committed_item.code}).context["entries"]
    assert any(e.model._meta.label == "registry.ServiceItem" for e in by_code)
    by_badge = client.get(reverse("history_timeline"), {"key": clerk.badge_no.lower()}).context["entries"]
    assert any(e.model._meta.label == "staffing.Staff" and e.row.id == clerk.pk for e in by_badge)
    missing = client.get(reverse("history_timeline"), {"key": "不存在的编号"})
    assert missing.context["entries"] == [] and "没有找到编号为「不存在的编号」" in missing.content.decode()


def test_a_window_clerk_gets_a_chinese_403_with_the_reason(client, clerk):  # noqa: F811
    client.force_login(clerk.user)
    response = client.get(reverse("history_timeline"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "变更记录仅供督查人员和中心管理员查阅" in html and "无权访问" in html and "Forbidden" not in html
    assert 'id="header"' in html or "site-name" in html  # in the admin's look


def test_a_missing_admin_page_gets_a_chinese_404(client, inspector, settings):
    client.force_login(inspector.user)
    for debug in (False, True):
        settings.DEBUG = debug
        response = client.get("/admin/casework/case/999999/history/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "页面不存在" in html and "Page not found" not in html


def test_the_500_page_is_chinese():
    from project.errors import server_error

    response = server_error(None)
    assert response.status_code == 500 and "系统出错" in response.content.decode()


def test_the_index_shows_the_history_card_with_todays_count_to_inspectors_only(client, inspector, case, clerk):  # noqa: F811
    client.force_login(inspector.user)
    html = client.get(reverse("admin:index")).content.decode()
    count = int(re.search(r'class="history-today">(\d+)<', html).group(1))
    assert count >= Case.history.filter(id=case.pk).count()
    assert 'id="header-history-link"' in html
    client.force_login(clerk.user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "history-card" not in html and "header-history-link" not in html


def test_the_inspection_summary_counts_lists_deletions_reverts_and_rule_changes(client, inspector, case, clerk, committed_item, two_departments, make_staff):  # noqa: F811
    from casework.models import CaseExtension  # noqa: F401

    temporary = Department.objects.create(name="临时专班")
    temporary.delete()
    committed_item.committed_limit_days = 8
    committed_item._change_reason = "压缩承诺时限"
    committed_item.save()
    template = NoticeTemplate.objects.order_by("pk").first()
    template.title += "(修订)"
    template.save()
    market = two_departments[0]
    market.phone = "0797-1111111"
    market.save()
    first = market.history.order_by("history_id").first()
    center_admin = make_staff(market, role=roles.CENTER_ADMIN, name="黄志强")
    client.force_login(center_admin.user)
    url = reverse("admin:staffing_department_simple_history", args=[market.pk, first.history_id])
    form = {"name": market.name, "kind": "stationed", "phone": "", "sort_order": 0, "is_active": "on", "code": ""}
    assert client.post(url, form).status_code == 302

    client.force_login(inspector.user)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("history_summary"), {"start": today, "end": today})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert dict(summary.by_user)["李春梅(县市场监督管理局)"] >= 3
    assert dict(summary.by_department)["县市场监督管理局"] >= 3
    assert dict(summary.by_type)["办件"] >= 2
    removed = {(e.kind, e.record_label) for e in summary.removals}
    assert ("删除", "部门/股室:临时专班") in {(k, label) for k, label in removed}
    assert any(e.reason.startswith("恢复到历史版本") for e in summary.removals)
    rules = {e.model._meta.label for e in summary.rule_changes}
    assert {"registry.ServiceItem", "casework.NoticeTemplate"} <= rules
    limit = next(e for e in summary.rule_changes if e.model._meta.label == "registry.ServiceItem")
    assert [(c.label, c.old, c.new) for c in limit.changes] == [("承诺时限(工作日)", "10", "8")] or any(c.new == "8" for c in limit.changes)
    assert any(e.model._meta.label == "casework.Case" for e in summary.rule_changes)  # the due dates set at acceptance
    html = visible_text(response.content.decode())
    assert "督查汇总" in html and "None" not in html

    export = client.get(reverse("history_summary_export"), {"start": today, "end": today})
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    assert workbook.sheetnames == ["变更统计", "删除与恢复", "规则与期限变更"]
    assert any(row[3] == "部门/股室:临时专班" for row in workbook["删除与恢复"].iter_rows(values_only=True))


def test_the_summary_refuses_a_period_that_ends_before_it_starts(client, inspector):
    client.force_login(inspector.user)
    response = client.get(reverse("history_summary"), {"start": "2026-12-05", "end": "2026-12-01"})
    assert response.status_code == 400 and "不能早于" in response.content.decode()


def test_the_summary_costs_the_same_queries_for_more_history(client, inspector, django_assert_max_num_queries):
    client.force_login(inspector.user)
    client.get(reverse("history_summary"))
    for n in range(30):
        Department.objects.create(name=f"部门{n}").delete()
    with django_assert_max_num_queries(40):
        client.get(reverse("history_summary"))
    assert datetime  # noqa: B018


def test_related_records_are_named_as_they_were_at_the_time_of_the_change(client, inspector, case, committed_item):  # noqa: F811
    old_name = committed_item.name
    committed_item.name = "食品经营许可(已更名)"
    committed_item.save()
    client.force_login(inspector.user)
    entries = client.get(reverse("history_timeline"), {"model": "casework.Case", "object": case.pk}).context["entries"]
    creation = entries[-1]
    item = next(c for c in creation.changes if c.field == "item")
    assert old_name in item.new and "已更名" not in item.new
