"""否定报备 in the admin (S1.5): the register, the leader's approval, appeals, extensions, notice templates."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import (
    Appeal,
    AppealDecision,
    CaseStatus,
    ExtensionStatus,
    NoticeKind,
    NoticeTemplate,
    Refusal,
    RefusalStatus,
)
from registry.models import HandlingMode, ItemType, Material, ServiceItem
from staffing import roles
from staffing.models import Window
from tests.casework.conftest import PERSON, at, publish

pytestmark = pytest.mark.django_db

REGISTER_URL = "/admin/casework/refusal/"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def receive(item, window, clerk):
    return services.case_receive(item=item, window=window, user=clerk.user, **PERSON)


def refuse(case, clerk, category="not_allowed", reason="申请人不具备食品经营场所条件"):
    return services.case_refuse(
        case=case, user=clerk.user, stage="not_accepted", category=category, reason=reason, legal_basis="《办法》第十一条"
    )


@pytest.fixture
def police_window(two_departments):
    return Window.objects.get(number="02")


@pytest.fixture
def police_item(two_departments, police_window):
    item = ServiceItem.objects.create(
        code="000101",
        name="居民身份证换领",
        item_type=ItemType.CONFIRMATION,
        department=two_departments[1],
        window=police_window,
        handling_mode=HandlingMode.COMMITTED,
        statutory_limit_days=60,
        committed_limit_days=20,
        legal_basis="《中华人民共和国居民身份证法》",
        procedure="受理→制证",
        contact="黄建国",
        phone="0797-8722222",
    )
    Material.objects.create(item=item, order=1, name="户口簿")
    return publish(item)


@pytest.fixture
def police_clerk(two_departments, make_staff, police_window):
    return make_staff(two_departments[1], role=roles.WINDOW_STAFF, name="黄建国", window=police_window)


@pytest.fixture
def office(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="赖美玲")


@pytest.fixture
def major_refusal(committed_item, market_window, clerk, deputy):
    committed_item.is_major = True
    committed_item.save()
    return refuse(receive(committed_item, market_window, clerk), clerk)


def listed(client, query=""):
    response = client.get(REGISTER_URL + query)
    assert response.status_code == 200
    return sorted(refusal.reason for refusal in response.context["cl"].result_list)


# ---------------------------------------------------------------- register


def test_the_refusal_register_filters_by_month_and_category_and_is_scoped_to_the_department(
    client, committed_item, market_window, clerk, police_item, police_window, police_clerk, make_staff, two_departments
):
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    earlier = refuse(receive(committed_item, market_window, clerk), clerk, reason="上月的否定")
    Refusal.objects.filter(pk=earlier.pk).update(refused_at=at(last_month.replace(day=15)))
    refuse(receive(committed_item, market_window, clerk), clerk, category="other", reason="本月的否定")
    police_refusal = refuse(receive(police_item, police_window, police_clerk), police_clerk, reason="公安的否定")

    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    assert listed(client) == ["上月的否定", "公安的否定", "本月的否定"]
    assert listed(client, f"?month={last_month:%Y-%m}") == ["上月的否定"]
    assert listed(client, "?category=other") == ["本月的否定"]
    assert listed(client, f"?month={last_month:%Y-%m}&category=other") == []
    assert f"{last_month.year}年{last_month.month}月" in client.get(REGISTER_URL).content.decode()

    client.force_login(police_clerk.user)
    assert listed(client) == ["公安的否定"]
    assert client.get(reverse("admin:casework_refusal_change", args=[earlier.pk])).status_code == 302

    client.force_login(clerk.user)
    assert listed(client) == ["上月的否定", "本月的否定"]
    assert client.get(reverse("admin:casework_refusal_change", args=[police_refusal.pk])).status_code == 302


def test_the_register_exports_the_filtered_list_to_excel_with_chinese_columns(
    client, committed_item, market_window, clerk
):
    refuse(receive(committed_item, market_window, clerk), clerk)
    refuse(receive(committed_item, market_window, clerk), clerk, category="other", reason="其他原因")
    client.force_login(clerk.user)

    response = client.get("/admin/casework/refusal/export/?category=not_allowed")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:6] == ("办件编号", "申请人", "事项", "否定类型", "否定类别", "理由")
    assert len(rows) == 2
    assert rows[1][1:6] == ("张三", "食品经营许可", "不予受理", "依法不予办理", "申请人不具备食品经营场所条件")


def test_nobody_adds_or_deletes_a_refusal_in_the_admin(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    assert client.get("/admin/casework/refusal/add/").status_code == 403


# ---------------------------------------------------------------- leader's approval


def test_the_leader_in_charge_approves_a_pending_major_refusal_and_another_leader_gets_an_error(
    client, major_refusal, deputy, make_staff, two_departments
):
    change_url = reverse("admin:casework_refusal_change", args=[major_refusal.pk])
    decide_url = reverse("admin:casework_refusal_decide", args=[major_refusal.pk])

    main_leader = make_staff(two_departments[0], role=roles.MAIN_LEADER, name="曾主任", leader_role="main")
    client.force_login(main_leader.user)
    assert 'id="decision-form"' not in client.get(change_url).content.decode()
    response = client.post(decide_url, {"approve": "同意否定", "note": "同意"})
    assert response["Location"] == change_url
    assert messages_of(response) == ["重大事项的否定须由「县市场监督管理局」的分管领导审批。"]
    major_refusal.refresh_from_db()
    assert major_refusal.status == RefusalStatus.PENDING_APPROVAL

    client.force_login(deputy.user)
    page = client.get(change_url).content.decode()
    assert ">同意</button>" in page and ">不同意</button>" in page
    assert listed(client, "?awaiting=me") == ["申请人不具备食品经营场所条件"]
    response = client.post(decide_url, {"approve": "同意否定", "note": "同意不予受理"})
    assert messages_of(response) == [f"已同意否定:办件{major_refusal.case.number}现为「不予受理」。"]
    major_refusal.refresh_from_db()
    major_refusal.case.refresh_from_db()
    assert (major_refusal.status, major_refusal.approver) == (RefusalStatus.EFFECTIVE, deputy)
    assert major_refusal.case.status == CaseStatus.NOT_ACCEPTED
    assert 'id="decision-form"' not in client.get(change_url).content.decode()
    assert listed(client, "?awaiting=me") == []


def test_the_leader_of_another_department_cannot_reach_the_refusal(client, major_refusal, make_staff, two_departments):
    police = two_departments[1]
    police_leader = make_staff(police, role=roles.LEADER_IN_CHARGE, leader_role="in_charge")
    police.leader_in_charge = police_leader
    police.save()
    client.force_login(police_leader.user)
    response = client.post(reverse("admin:casework_refusal_decide", args=[major_refusal.pk]), {"approve": "1"})
    assert response.status_code == 302
    major_refusal.refresh_from_db()
    assert major_refusal.status == RefusalStatus.PENDING_APPROVAL


def test_disagreeing_needs_a_note_and_keeps_the_case_going(client, major_refusal, deputy):
    client.force_login(deputy.user)
    decide_url = reverse("admin:casework_refusal_decide", args=[major_refusal.pk])
    response = client.post(decide_url, {"reject": "不同意", "note": ""})
    assert messages_of(response) == ["不同意否定时须写明意见。"]
    client.post(decide_url, {"reject": "不同意", "note": "材料可补正,请一次性告知"})
    major_refusal.refresh_from_db()
    major_refusal.case.refresh_from_db()
    assert (major_refusal.status, major_refusal.case.status) == (RefusalStatus.REJECTED, CaseStatus.RECEIVED)


# ---------------------------------------------------------------- appeals


def test_office_staff_file_and_overturn_an_appeal_and_the_case_reopens(
    client, committed_item, market_window, clerk, office, police_clerk
):
    refusal = refuse(receive(committed_item, market_window, clerk), clerk)
    client.force_login(office.user)
    assert "登记申诉" in client.get(reverse("admin:casework_refusal_change", args=[refusal.pk])).content.decode()

    response = client.post(
        "/admin/casework/appeal/add/",
        {"refusal": refusal.pk, "appellant": "张三", "grounds": "经营场所已整改", "filed_on": "2026-11-20"},
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.filed_on, appeal.decision) == (datetime.date(2026, 11, 20), AppealDecision.PENDING)

    change_url = reverse("admin:casework_appeal_change", args=[appeal.pk])
    assert "撤销否定" in client.get(change_url).content.decode()
    response = client.post(
        reverse("admin:casework_appeal_decide", args=[appeal.pk]), {"overturn": "撤销否定", "note": "场所符合条件"}
    )
    case = refusal.case
    assert messages_of(response) == [f"已撤销否定:办件{case.number}重新办理,现为「收件」。"]
    case.refresh_from_db()
    refusal.refresh_from_db()
    appeal.refresh_from_db()
    assert (case.status, refusal.status, appeal.decision) == (
        CaseStatus.RECEIVED, RefusalStatus.OVERTURNED, AppealDecision.OVERTURNED,
    )

    # The refusing department sees the appeal (read only); the other department does not.
    client.force_login(clerk.user)
    page = client.get(change_url)
    assert page.status_code == 200 and "撤销否定" in page.content.decode()
    assert 'id="decision-form"' not in page.content.decode()
    client.force_login(police_clerk.user)
    assert client.get(change_url).status_code == 302


def test_an_appeal_against_a_pending_refusal_is_refused_on_the_form(client, major_refusal, office):
    client.force_login(office.user)
    response = client.post(
        "/admin/casework/appeal/add/",
        {"refusal": major_refusal.pk, "appellant": "张三", "grounds": "不服", "filed_on": "2026-11-20"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["只能对已生效的否定提出申诉。"]
    assert not Appeal.objects.exists()


def test_window_staff_cannot_file_an_appeal(client, clerk):
    client.force_login(clerk.user)
    assert client.get("/admin/casework/appeal/add/").status_code == 403


# ---------------------------------------------------------------- extensions


def test_the_leader_in_charge_approves_an_extension_listed_as_pending(
    client, committed_item, market_window, clerk, deputy, official_calendar
):
    case = receive(committed_item, market_window, clerk)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user)
    case.refresh_from_db()
    due_before = case.committed_due_date
    extension = services.case_request_extension(case=case, user=clerk.user, days=5, reason="需补充现场核查")

    client.force_login(deputy.user)
    assert list(client.get("/admin/casework/caseextension/").context["cl"].result_list) == [extension]
    response = client.post(
        reverse("admin:casework_caseextension_decide", args=[extension.pk]), {"approve": "批准延期", "note": "同意"}
    )
    assert messages_of(response)[0].startswith(f"已批准办件{case.number}延期5个工作日")
    extension.refresh_from_db()
    case.refresh_from_db()
    assert (extension.status, extension.decided_by) == (ExtensionStatus.APPROVED, deputy)
    assert case.committed_due_date > due_before
    assert list(client.get("/admin/casework/caseextension/").context["cl"].result_list) == []
    assert list(client.get("/admin/casework/caseextension/?status=all").context["cl"].result_list) == [extension]


def test_window_staff_cannot_approve_their_own_extension(client, committed_item, market_window, clerk):
    case = receive(committed_item, market_window, clerk)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user)
    extension = services.case_request_extension(case=case, user=clerk.user, days=2, reason="等待鉴定")
    client.force_login(clerk.user)
    response = client.post(reverse("admin:casework_caseextension_decide", args=[extension.pk]), {"approve": "1"})
    assert response.status_code == 403
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


# ---------------------------------------------------------------- notice templates


def test_the_notice_template_admin_refuses_a_body_with_a_template_syntax_error(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    template = NoticeTemplate.objects.get(kind=NoticeKind.ACCEPTANCE)
    url = reverse("admin:casework_noticetemplate_change", args=[template.pk])
    assert "{{ case.committed_due_date|date:&quot;Y年n月j日&quot; }}" in client.get(url).content.decode()

    broken = "{{ case.applicant_name }}:{% if case.committed_due_date %}承诺办结日"
    response = client.post(url, {"title": "受理通知书", "number_prefix": "大行服受字", "body": broken})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors[0].startswith("正文模板有语法错误")
    template.refresh_from_db()
    assert template.body != broken

    fixed = "{{ case.applicant_name }}:{% if case.committed_due_date %}承诺办结日{% endif %}"
    assert client.post(url, {"title": "受理通知书", "number_prefix": "大行服受字", "body": fixed}).status_code == 302
    template.refresh_from_db()
    assert template.body == fixed


def test_the_four_notice_templates_are_neither_added_nor_deleted(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    assert client.get("/admin/casework/noticetemplate/add/").status_code == 403
    template = NoticeTemplate.objects.first()
    assert client.get(reverse("admin:casework_noticetemplate_delete", args=[template.pk])).status_code == 403


def test_casework_settings_open_as_a_single_page(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    response = client.get("/admin/casework/caseworksettings/", follow=True)
    assert response.status_code == 200
    assert "视为受理期限(工作日)" in response.content.decode()
