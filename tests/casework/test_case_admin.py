"""The case admin as window staff use it: intake, the checklist, the step buttons, scoping."""

import datetime
import re

import pytest
from django.urls import reverse

from casework import services
from casework.models import Case, CaseStatus, ExtensionStatus, MaterialState, NoticeKind, Refusal, RefusalStatus
from casework.services.transitions import allowed_next
from registry.models import HandlingMode, ItemStatus, ItemType, Material, ServiceItem
from staffing import roles
from staffing.models import Window
from tests.casework.conftest import PERSON, at, publish

pytestmark = pytest.mark.django_db
D = datetime.date

# A valid 居民身份证号 (GB 11643 example) and the same number with a wrong check digit.
GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"


@pytest.fixture
def police_window(two_departments):
    return Window.objects.get(number="02")


@pytest.fixture
def police_item(two_departments, police_window):
    item = ServiceItem.objects.create(
        code="000101",
        name="户口迁移",
        item_type=ItemType.CONFIRMATION,
        department=two_departments[1],
        window=police_window,
        handling_mode=HandlingMode.COMMITTED,
        statutory_limit_days=20,
        committed_limit_days=5,
        legal_basis="《中华人民共和国户口登记条例》",
        procedure="受理→审核→办结",
        contact="刘建国",
        phone="0797-8723333",
    )
    Material.objects.create(item=item, order=1, name="户口迁移申请表")
    return publish(item)


@pytest.fixture
def officer(two_departments, make_staff, police_window):
    return make_staff(two_departments[1], role=roles.WINDOW_STAFF, name="刘建国", window=police_window)


@pytest.fixture
def police_case(police_item, police_window, officer):
    case = services.case_receive(item=police_item, window=police_window, user=officer.user, **PERSON)
    services.case_check_material(material=case.materials.get(), user=officer.user, state="received")
    services.case_accept(case=case, user=officer.user)  # issues a 受理通知书
    return case


@pytest.fixture
def case(committed_item, market_window, clerk):
    return services.case_receive(
        item=committed_item, window=market_window, user=clerk.user, received_at=at(D(2026, 9, 29)), **PERSON
    )


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk.user)
    return client


def change_url(case):
    return reverse("admin:casework_case_change", args=[case.pk])


def step_url(case, code):
    return reverse(f"admin:casework_case_{code}", args=[case.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def buttons(client, case):
    response = client.get(change_url(case))
    assert response.status_code == 200
    return [button["code"] for button in response.context["case_panel"]["buttons"]]


def checklist_post(client, case, states: dict[str, tuple[str, str]]):
    """The change form as the browser posts it, with the checklist rows named in `states` changed."""
    response = client.get(change_url(case))
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        if formset.model.__name__ != "CaseMaterial":
            continue
        for form in formset.forms:
            state, problem = states.get(form.instance.name, (form.instance.state, form.instance.problem))
            data[f"{form.prefix}-id"] = form.instance.pk
            data[f"{form.prefix}-case"] = case.pk
            data[f"{form.prefix}-state"] = state
            data[f"{form.prefix}-problem"] = problem
    return client.post(change_url(case), data)


def receive_form(item, window, **overrides):
    data = {
        "item": item.pk,
        "window": window.pk,
        "applicant_kind": "person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": GOOD_ID,
        "credit_code": "",
        "phone": "13907970001",
        "assisted_note": "",
    }
    data.update(overrides)
    return data


# Scoping


def test_staff_of_one_department_cannot_list_open_act_on_or_print_anothers_cases(as_clerk, case, police_case):
    client = as_clerk
    listed = client.get(reverse("admin:casework_case_changelist"))
    assert [c.number for c in listed.context["cl"].result_list] == [case.number]
    searched = client.get(reverse("admin:casework_case_changelist"), {"q": police_case.number})
    assert list(searched.context["cl"].result_list) == []

    opened = client.get(change_url(police_case))
    assert (opened.status_code, opened["Location"]) == (302, reverse("admin:index"))  # "does not exist"
    assert client.get(reverse("admin:casework_case_history", args=[police_case.pk])).status_code == 404
    version = police_case.history.first().history_id
    assert client.get(reverse("admin:casework_case_simple_history", args=[police_case.pk, version])).status_code == 404
    assert client.get(reverse("admin:casework_case_history", args=[case.pk])).status_code == 200

    for code in ("start", "correction", "approve"):
        assert client.post(step_url(police_case, code)).status_code == 404
    assert client.get(step_url(police_case, "refuse")).status_code == 404
    assert client.post(step_url(police_case, "refuse"), {"category": "other", "reason": "试图越权"}).status_code == 404

    notice = police_case.notices.get()
    print_url = reverse("admin:casework_case_notice_print", args=[police_case.pk, notice.pk])
    assert client.get(print_url).status_code == 404
    # The notice's id under one's own case does not open it either.
    own_case_url = reverse("admin:casework_case_notice_print", args=[case.pk, notice.pk])
    assert client.get(own_case_url).status_code == 404

    police_case.refresh_from_db()
    assert police_case.status == CaseStatus.ACCEPTED
    assert not Refusal.objects.exists()


def test_a_leader_in_charge_sees_the_departments_in_their_charge_read_only(client, case, police_case, deputy):
    client.force_login(deputy.user)
    listed = client.get(reverse("admin:casework_case_changelist"))
    assert [c.number for c in listed.context["cl"].result_list] == [case.number]
    assert client.get(change_url(case)).status_code == 200
    assert buttons(client, case) == []


# 收件


def test_the_add_page_receives_a_case_through_the_service(as_clerk, committed_item, market_window, clerk):
    page = as_clerk.get(reverse("admin:casework_case_add"))
    assert page.status_code == 200
    assert page.context["adminform"].form["window"].value() == market_window.pk  # the clerk's own window

    response = as_clerk.post(reverse("admin:casework_case_add"), receive_form(committed_item, market_window, priority="on"))
    case = Case.objects.get()
    assert response["Location"] == change_url(case)
    assert case.number.startswith("01-") and case.priority
    assert (case.handler, case.first_inquiry_staff, case.status) == (clerk, clerk, CaseStatus.RECEIVED)
    assert [m.name for m in case.materials.all()] == ["食品经营许可申请书", "营业执照复印件", "其他说明材料"]
    assert case.history.get().history_user == clerk.user
    assert f"已收件,办件编号 {case.number}。请逐项核验材料清单。" in messages_of(follow(as_clerk, response))


def test_a_bad_check_digit_is_shown_on_the_id_number_field(as_clerk, committed_item, market_window):
    response = as_clerk.post(reverse("admin:casework_case_add"), receive_form(committed_item, market_window, id_number=BAD_ID))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["id_number"] == [f"居民身份证号「{BAD_ID}」校验位错误(应为X),请核对号码。"]
    assert not Case.objects.exists()


def test_a_legal_person_needs_a_valid_credit_code_on_its_field(as_clerk, committed_item, market_window):
    response = as_clerk.post(
        reverse("admin:casework_case_add"),
        receive_form(committed_item, market_window, applicant_kind="organisation", applicant_name="大余县某某食品有限公司", credit_code="91360723MA35XXXXX1"),
    )
    assert "统一社会信用代码" in response.context["adminform"].form.errors["credit_code"][0]
    assert not Case.objects.exists()


def test_assisted_filling_needs_a_note_on_its_field(as_clerk, committed_item, market_window):
    response = as_clerk.post(reverse("admin:casework_case_add"), receive_form(committed_item, market_window, assisted="on"))
    assert response.context["adminform"].form.errors["assisted_note"] == ["协助填表须写明协助内容。"]


def test_a_service_refusal_at_intake_becomes_a_form_error(
    client, committed_item, police_window, market_window, two_departments, make_staff, django_user_model
):
    center_admin = make_staff(two_departments[0], role=roles.CENTER_ADMIN)
    client.force_login(center_admin.user)  # sees every window, so may pick one of another department
    response = client.post(reverse("admin:casework_case_add"), receive_form(committed_item, police_window))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["window"] == [
        "「02号窗口 户籍办理」不办理事项「食品经营许可」:该事项在「01号窗口 市场主体登记」办理。"
    ]

    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    response = client.post(reverse("admin:casework_case_add"), receive_form(committed_item, market_window))
    assert response.context["adminform"].form.non_field_errors() == ["当前账号未关联工作人员,不能办理办件。"]
    assert not Case.objects.exists()


def test_the_item_search_offers_only_published_items_of_the_users_department(
    as_clerk, committed_item, immediate_item, police_item
):
    immediate_item.status = ItemStatus.DRAFT
    immediate_item.save()
    response = as_clerk.get(reverse("admin:casework_case_item_autocomplete"), {"term": ""})
    assert [r["id"] for r in response.json()["results"]] == [str(committed_item.pk)]
    response = as_clerk.get(reverse("admin:casework_case_item_autocomplete"), {"term": "食品"})
    assert [r["text"] for r in response.json()["results"]] == ["食品经营许可(000001)"]


# The checklist and the buttons


def test_ticking_a_material_missing_and_pressing_correction_issues_the_notice(as_clerk, case, clerk):
    response = checklist_post(
        as_clerk,
        case,
        {"食品经营许可申请书": ("missing", ""), "营业执照复印件": ("unqualified", "复印件须加盖公章")},
    )
    assert response["Location"] == change_url(case)
    assert "已保存2项材料的核验结果。" in messages_of(follow(as_clerk, response))
    first, second = case.materials.filter(required=True)
    assert (first.state, second.state, second.problem) == ("missing", "unqualified", "复印件须加盖公章")
    assert first.history.latest().history_user == clerk.user

    assert "correction" in buttons(as_clerk, case)
    response = as_clerk.post(step_url(case, "correction"), {"note": "申请人当场确认"})
    notice = case.notices.get(kind=NoticeKind.CORRECTION)
    message = messages_of(follow(as_clerk, response))[0]
    assert f"办件转为补正,已出具一次性补正告知书({notice.number})" in message
    assert reverse("admin:casework_case_notice_print", args=[case.pk, notice.pk]) in message
    assert "缺少：食品经营许可申请书" in notice.body
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION
    assert case.transitions.last().note == "申请人当场确认"


def test_an_unqualified_material_without_what_to_change_stays_on_the_page_with_the_error(as_clerk, case):
    response = checklist_post(as_clerk, case, {"营业执照复印件": ("unqualified", " ")})
    assert response.status_code == 200
    assert "材料「营业执照复印件」不合格时须写明需要如何修改。" in response.content.decode()
    assert case.materials.get(name="营业执照复印件").state == MaterialState.PENDING


def test_a_second_correction_without_a_reason_is_refused_with_the_services_message(as_clerk, case, clerk):
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="missing")
    services.case_request_correction(case=case, user=clerk.user)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user)
    services.case_check_material(material=case.materials.first(), user=clerk.user, state="missing")

    page = as_clerk.get(change_url(case)).content.decode()
    assert 'name="repeat_reason"' in page
    response = as_clerk.post(step_url(case, "correction"))
    assert messages_of(follow(as_clerk, response)) == [
        "未能一次性补正告知:该办件已出具过一次性补正告知书,再次要求补正须说明理由(将计为服务瑕疵)。"
    ]
    as_clerk.post(step_url(case, "correction"), {"repeat_reason": "审查中发现营业执照已过期"})
    assert case.notices.filter(kind=NoticeKind.CORRECTION, is_service_defect=True).count() == 1


def test_the_buttons_shown_follow_the_transition_table(as_clerk, case, clerk, monkeypatch):
    def shown():
        case.refresh_from_db()
        return buttons(as_clerk, case)

    expected_targets = {
        "accept": {CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS},
        "correction": {CaseStatus.CORRECTION},
        "start": {CaseStatus.IN_PROGRESS},
        "approve": {CaseStatus.APPROVED},
        "refuse": {CaseStatus.NOT_ACCEPTED, CaseStatus.DISAPPROVED},
        "deliver": {CaseStatus.DELIVERED},
    }

    def matches_allowed_next(codes):
        allowed = set(allowed_next(case))
        return all(expected_targets[code] & allowed for code in codes if code in expected_targets)

    assert shown() == ["accept", "correction", "refuse"] and matches_allowed_next(shown())
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user, accepted_on=D(2026, 9, 29))
    assert shown() == ["start", "finish_step", "correction", "extension"] and matches_allowed_next(shown())
    services.case_start(case=case, user=clerk.user)
    assert shown() == ["finish_step", "approve", "correction", "extension", "refuse"]
    assert matches_allowed_next(shown())
    services.case_approve(case=case, user=clerk.user)
    assert shown() == ["deliver"]
    services.case_deliver(case=case, user=clerk.user)
    assert shown() == []
    assert "该办件已无后续办理环节。" in as_clerk.get(change_url(case)).content.decode()


def test_a_step_the_table_does_not_allow_now_is_refused(as_clerk, case):
    response = as_clerk.post(step_url(case, "deliver"))
    assert messages_of(follow(as_clerk, response)) == ["办件当前为「收件」,不能送达。"]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_accepting_before_the_materials_are_in_shows_the_services_message(as_clerk, case):
    response = as_clerk.post(step_url(case, "accept"))
    assert messages_of(follow(as_clerk, response)) == [
        "未能受理:以下必需材料尚未收齐,不能受理:食品经营许可申请书、营业执照复印件。请出具一次性补正告知书。"
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.committed_due_date is None


def test_accepting_after_the_materials_are_received_sets_the_due_dates(
    as_clerk, case, official_calendar, monkeypatch
):
    monkeypatch.setattr("casework.services.cases._today", lambda: D(2026, 9, 29))
    follow(as_clerk, checklist_post(as_clerk, case, {"食品经营许可申请书": ("received", ""), "营业执照复印件": ("received", "")}))
    response = as_clerk.post(step_url(case, "accept"))
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    # Across the National Day holiday and the 10/10 make-up Saturday (see test_case_lifecycle).
    assert (case.committed_due_date, case.statutory_due_date) == (D(2026, 10, 19), D(2026, 11, 2))
    assert case.steps.get(name="受理").due_date == D(2026, 9, 30)
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    message = messages_of(follow(as_clerk, response))[0]
    assert message.startswith(f"已受理,承诺办结日 2026年10月19日,已出具受理通知书({notice.number})")


def test_finishing_the_current_step_moves_to_the_next_with_its_due_date(
    as_clerk, case, clerk, official_calendar, monkeypatch
):
    monkeypatch.setattr("casework.services.cases._today", lambda: D(2026, 9, 30))
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user, accepted_on=D(2026, 9, 29))
    page = as_clerk.get(change_url(case)).content.decode()
    assert "完成当前环节「受理」" in page and "▶ 当前环节" in page
    response = as_clerk.post(step_url(case, "finish_step"))
    assert messages_of(follow(as_clerk, response)) == ["环节「受理」已完成,进入「现场核查」,环节期限 2026年10月13日。"]


def test_the_refusal_form_files_a_refusal(as_clerk, case, clerk):
    page = as_clerk.get(step_url(case, "refuse"))
    assert page.status_code == 200 and page.context["label"] == "不予受理"

    response = as_clerk.post(step_url(case, "refuse"), {"category": "out_of_scope", "reason": "属于省级事权"})
    assert response.status_code == 200
    assert response.context["form"].errors["referred_authority"] == ["不属本中心受理的,须告知申请人应向哪个机关申请。"]
    assert not Refusal.objects.exists()

    response = as_clerk.post(
        step_url(case, "refuse"),
        {
            "category": "not_allowed",
            "reason": "申请人不具备食品经营场所条件",
            "legal_basis": "《食品经营许可和备案管理办法》第十一条",
            "referred_authority": "",
        },
    )
    refusal = Refusal.objects.get()
    assert (refusal.case, refusal.stage, refusal.status, refusal.refused_by) == (
        case, "not_accepted", RefusalStatus.EFFECTIVE, clerk,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_ACCEPTED
    notice = case.notices.get(kind=NoticeKind.NON_ACCEPTANCE)
    assert f"已不予受理,否定报备已登记,已出具不予受理通知书({notice.number})" in messages_of(follow(as_clerk, response))[0]


def test_a_major_items_refusal_waits_for_the_leader_and_the_case_says_so(as_clerk, case, committed_item, deputy):
    committed_item.is_major = True
    committed_item.save()
    response = as_clerk.post(step_url(case, "refuse"), {"category": "other", "reason": "选址不符合规划"})
    assert messages_of(follow(as_clerk, response)) == ["本事项为重大事项,否定报备已提交分管领导审批;审批同意前办件照常办理。"]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    page = as_clerk.get(change_url(case))
    assert "refuse" not in [b["code"] for b in page.context["case_panel"]["buttons"]]
    assert "已提交「不予受理」否定报备,待分管领导审批" in page.content.decode()


def test_the_extension_form_requests_an_extension_within_the_statutory_limit(as_clerk, case, clerk):
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user, accepted_on=D(2026, 11, 2))
    page = as_clerk.get(step_url(case, "extension"))
    assert "最多还可延期10个工作日" in page.content.decode()

    response = as_clerk.post(step_url(case, "extension"), {"days": 11, "reason": "需专家评审"})
    assert response.context["form"].errors["days"] == [
        "延期11个工作日将超过法定办结时限(20个工作日),最多还可延期10个工作日。"
    ]
    response = as_clerk.post(step_url(case, "extension"), {"days": 5, "reason": "需专家评审"})
    assert messages_of(follow(as_clerk, response)) == ["延期5个工作日的申请已提交,待分管领导审批。"]
    assert case.extensions.get().status == ExtensionStatus.PENDING


# Inspectors read only


def test_an_inspector_sees_the_case_without_buttons_and_a_post_changes_nothing(client, case, two_departments, make_staff):
    inspector = make_staff(two_departments[1], role=roles.INSPECTOR)
    client.force_login(inspector.user)
    page = client.get(change_url(case))
    assert page.status_code == 200
    assert page.context["case_panel"]["buttons"] == []
    html = page.content.decode()
    assert "formaction" not in html and "保存材料核验结果" not in html

    for code in ("accept", "correction", "start", "approve", "deliver"):
        assert client.post(step_url(case, code)).status_code == 403
    assert client.post(step_url(case, "refuse"), {"category": "other", "reason": "x"}).status_code == 403
    assert client.post(change_url(case), {}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and not case.transitions.exists()
    assert not case.materials.exclude(state="pending").exists()


def test_a_closed_case_is_read_only_and_cannot_be_deleted(as_clerk, case, clerk):
    services.case_refuse(case=case, user=clerk.user, stage="not_accepted", category="other", reason="申请人撤回申请")
    page = as_clerk.get(change_url(case))
    assert page.context["has_change_permission"] is False
    assert "保存材料核验结果" not in page.content.decode()
    assert as_clerk.post(change_url(case), {}).status_code == 403
    assert as_clerk.get(reverse("admin:casework_case_delete", args=[case.pk])).status_code == 403


def test_the_list_marks_priority_and_deadlines(as_clerk, case):
    Case.objects.filter(pk=case.pk).update(priority=True, acceptance_deadline=D(2026, 1, 5))
    html = as_clerk.get(reverse("admin:casework_case_changelist")).content.decode()
    assert re.search(r'class="case-mark priority">特事特办<', html)
    assert "视为受理待处理" in html
