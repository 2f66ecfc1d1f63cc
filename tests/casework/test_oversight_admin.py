"""The oversight screens as staff use them: joint opinions across two departments, report-up and the
window head's approval on the case page, complaints, accountability and the monthly assessment."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import CaseStatus, Complaint, JointOpinion, OpinionStatus
from registry.models import HandlingMode, ItemCoDepartment
from staffing import roles
from staffing.models import AccountabilityRecord, AccountabilityStatus, Assessment, Violation, Window
from staffing.services import accountability_open
from tests.casework.conftest import PERSON, at

pytestmark = pytest.mark.django_db
D = datetime.date


def accepted(item, window, clerk, day=None):
    kwargs = {"received_at": at(day)} if day else {}
    case = services.case_receive(item=item, window=window, user=clerk.user, **PERSON, **kwargs)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user, **({"accepted_on": day} if day else {}))
    services.case_start(case=case, user=clerk.user)
    return case


def change_url(case):
    return reverse("admin:casework_case_change", args=[case.pk])


def step_url(case, code):
    return reverse(f"admin:casework_case_{code}", args=[case.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def buttons(client, case):
    response = client.get(change_url(case))
    assert response.status_code == 200
    return [button["code"] for button in response.context["case_panel"]["buttons"]]


def as_user(client, staff):
    client.force_login(staff.user)
    return client


@pytest.fixture
def police(two_departments):
    return two_departments[1]


@pytest.fixture
def joint_item(committed_item, police):
    committed_item.handling_mode = HandlingMode.JOINT
    committed_item.save()
    ItemCoDepartment.objects.create(item=committed_item, department=police)
    return committed_item


@pytest.fixture
def officer(police, make_staff):
    """A window clerk of the co-department."""
    return make_staff(police, role=roles.WINDOW_STAFF, name="刘建国", window=Window.objects.get(number="02"))


@pytest.fixture
def office(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="王秀英")


# Joint handling (S5.6-c)


def test_the_co_department_gives_its_opinion_in_the_admin_and_only_then_the_lead_completes(
    client, official_calendar, joint_item, market_window, clerk, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the attachment is stored, not left in var/media
    case = accepted(joint_item, market_window, clerk)
    as_user(client, clerk)
    assert "approve" in buttons(client, case)  # the button stays; the service says why not
    page = client.get(change_url(case))
    assert "联办件:尚待县公安局提出意见" in page.content.decode()
    assert "OpinionInline" in [type(inline.opts).__name__ for inline in page.context["inline_admin_formsets"]]
    refused = follow(client, client.post(step_url(case, "approve")))
    assert "未能办结(准予):联办件须待全部协办部门提出意见后方可作出决定,尚未提出:县公安局。" in messages_of(refused)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS

    as_user(client, officer)
    listed = client.get(reverse("admin:casework_jointopinion_changelist"))
    opinion = JointOpinion.objects.get(case=case)
    assert [o.pk for o in listed.context["cl"].result_list] == [opinion.pk]
    assert "待我部门提出意见" in listed.content.decode()
    opened = client.get(reverse("admin:casework_jointopinion_change", args=[opinion.pk]))
    assert opened.status_code == 200 and opened.context["action_form"] is not None
    assert case.number in opened.content.decode() and "食品经营许可申请书" in opened.content.decode()

    give_url = reverse("admin:casework_jointopinion_give", args=[opinion.pk])
    missing_reasons = client.post(give_url, {"status": OpinionStatus.DISAGREE, "reasons": ""})
    assert missing_reasons.status_code == 200
    assert missing_reasons.context["action_form"].errors["reasons"] == ["不同意或需补充材料时须写明理由。"]

    attachment = SimpleUploadedFile("意见.txt", "同意办理".encode(), content_type="text/plain")
    given = client.post(give_url, {"status": OpinionStatus.AGREE, "reasons": "符合户籍管理规定", "attachment": attachment})
    assert given["Location"] == reverse("admin:casework_jointopinion_change", args=[opinion.pk])
    assert f"已提出意见「同意」:办件{case.number}(县市场监督管理局)。主办部门收齐全部联办意见后作出决定。" in messages_of(client.get(given["Location"]))
    opinion.refresh_from_db()
    assert (opinion.status, opinion.given_by, opinion.reasons) == (OpinionStatus.AGREE, officer, "符合户籍管理规定")
    assert opinion.attachment.name.endswith(".txt")
    assert opinion.history.first().history_user == officer.user
    assert list(client.get(reverse("admin:casework_jointopinion_changelist")).context["cl"].result_list) == []

    as_user(client, clerk)
    done = follow(client, client.post(step_url(case, "approve")))
    assert any(m.startswith("已办结(准予)") for m in messages_of(done)), messages_of(done)
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED


def test_lead_department_staff_cannot_list_or_open_the_co_departments_opinion(
    client, official_calendar, joint_item, market_window, clerk
):
    case = accepted(joint_item, market_window, clerk)
    opinion = JointOpinion.objects.get(case=case)
    as_user(client, clerk)
    listed = client.get(reverse("admin:casework_jointopinion_changelist"), {"todo": "all"})
    assert list(listed.context["cl"].result_list) == []
    opened = client.get(reverse("admin:casework_jointopinion_change", args=[opinion.pk]))
    assert (opened.status_code, opened["Location"]) == (302, reverse("admin:index"))
    give_url = reverse("admin:casework_jointopinion_give", args=[opinion.pk])
    assert client.get(give_url).status_code == 404
    assert client.post(give_url, {"status": OpinionStatus.AGREE}).status_code == 404
    assert client.get(reverse("admin:casework_jointopinion_history", args=[opinion.pk])).status_code == 404
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.PENDING
    # The lead reads the opinions on its own case page.
    assert "待提出意见" in client.get(change_url(case)).content.decode()


def test_the_leader_in_charge_of_the_co_department_sees_the_escalated_opinion(
    client, official_calendar, joint_item, market_window, clerk, police, make_staff, travel
):
    travel(D(2026, 10, 13))
    case = accepted(joint_item, market_window, clerk, D(2026, 9, 29))
    services.sweep_casework(today=D(2026, 10, 13))
    leader = make_staff(police, role=roles.LEADER_IN_CHARGE, name="赵志刚", leader_role="in_charge")
    police.leader_in_charge = leader
    police.save()
    as_user(client, leader)
    listed = client.get(reverse("admin:casework_jointopinion_changelist"))
    assert [o.case_id for o in listed.context["cl"].result_list] == [case.pk]
    html = listed.content.decode()
    assert "已报分管领导" in html and "已逾期" in html
    opinion = JointOpinion.objects.get(case=case)
    page = client.get(reverse("admin:casework_jointopinion_change", args=[opinion.pk]))
    assert page.status_code == 200 and "action_form" not in page.context  # leaders read; the department answers


# Report-up (S5.6-d)


def test_report_up_follow_ups_and_the_result_are_recorded_from_the_case_page(
    client, official_calendar, committed_item, market_window, clerk
):
    committed_item.handling_mode = HandlingMode.REPORT_UP
    committed_item.report_authority = "赣州市市场监督管理局"
    committed_item.save()
    case = accepted(committed_item, market_window, clerk)
    as_user(client, clerk)
    assert buttons(client, case)[:3] == ["finish_step", "report_up", "approve"]
    form_page = client.get(step_url(case, "report_up"))
    assert form_page.context["form"].initial["authority"] == "赣州市市场监督管理局"
    reported = client.post(step_url(case, "report_up"), {"authority": "赣州市市场监督管理局", "on": "2026-11-03"})
    assert "已于2026年11月3日上报赣州市市场监督管理局。" in messages_of(follow(client, reported))
    assert {"follow_up", "report_result"} <= set(buttons(client, case))
    assert "report_up" not in buttons(client, case)

    followed = client.post(step_url(case, "follow_up"), {"on": "2026-11-10", "method": "电话", "answer": "市局正在审查"})
    assert "已记录2026年11月10日的电话跟踪情况。" in messages_of(follow(client, followed))
    page = client.get(change_url(case)).content.decode()
    assert "市局正在审查" in page and "2026年11月3日上报赣州市市场监督管理局" in page

    refused = follow(client, client.post(step_url(case, "approve")))
    assert "未能办结(准予):上报件须登记上级机关的审批结果后才能办结。" in messages_of(refused)
    result = client.post(step_url(case, "report_result"), {"report_result": "准予许可", "on": "2026-11-12"})
    assert "已登记上级机关的审批结果,可以办结。" in messages_of(follow(client, result))
    assert "report_result" not in buttons(client, case)
    done = follow(client, client.post(step_url(case, "approve")))
    assert any(m.startswith("已办结(准予)") for m in messages_of(done))
    case.refresh_from_db()
    assert (case.status, case.reported_up_on, case.report_result) == (CaseStatus.APPROVED, D(2026, 11, 3), "准予许可")


# Delegated approval (S1.1-e)


def test_only_a_window_head_sees_the_head_approval_button_and_completion_waits_for_it(
    client, official_calendar, committed_item, market_window, clerk, two_departments, make_staff
):
    committed_item.needs_head_approval = True
    committed_item.save()
    case = accepted(committed_item, market_window, clerk)
    as_user(client, clerk)
    assert "head_approve" not in buttons(client, case)
    assert "窗口负责人审批待审批" in client.get(change_url(case)).content.decode().replace("</span>", "")
    refused = follow(client, client.post(step_url(case, "approve")))
    assert "未能办结(准予):该事项为授权委托审批事项,须经窗口负责人审批后方可办结。" in messages_of(refused)
    by_clerk = follow(client, client.post(step_url(case, "head_approve")))
    assert "办件当前为「办理中」,不能窗口负责人审批。" in messages_of(by_clerk)

    police_head = make_staff(two_departments[1], role=roles.WINDOW_HEAD, name="孙立")
    as_user(client, police_head)
    assert client.post(step_url(case, "head_approve")).status_code == 404

    head = make_staff(two_departments[0], role=roles.WINDOW_HEAD, name="陈志强")
    as_user(client, head)
    assert buttons(client, case).index("head_approve") < buttons(client, case).index("approve")
    approved = follow(client, client.post(step_url(case, "head_approve"), {"note": "材料齐全"}))
    assert "窗口负责人已审批同意,可以办结。" in messages_of(approved)
    assert "陈志强于" in approved.content.decode()
    assert "head_approve" not in buttons(client, case)

    as_user(client, clerk)
    done = follow(client, client.post(step_url(case, "approve")))
    assert any(m.startswith("已办结(准予)") for m in messages_of(done))
    case.refresh_from_db()
    assert (case.status, case.head_approved_by) == (CaseStatus.APPROVED, head)


# Complaints (S1.1-b)


def complaint_form(**overrides):
    data = {
        "channel": "phone", "complainant": "", "phone": "", "window": "", "staff": "", "case": "",
        "content": "窗口人员态度生硬", "received_on": "2025-03-03",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_the_office_registers_a_complaint_and_answers_it_and_the_overdue_filter_follows(
    client, official_calendar, market_window, clerk, office
):
    as_user(client, office)
    assert client.get(reverse("admin:casework_complaint_add")).status_code == 200
    response = client.post(reverse("admin:casework_complaint_add"), complaint_form(staff=clerk.pk))
    old = Complaint.objects.get()
    assert response["Location"] == reverse("admin:casework_complaint_change", args=[old.pk])
    assert "已登记投诉,请于2025年3月10日前办理答复。" in messages_of(client.get(response["Location"]))
    assert (old.department, old.due_date, old.staff) == (market_window.department, D(2025, 3, 10), clerk)
    today = timezone.localdate()
    client.post(reverse("admin:casework_complaint_add"), complaint_form(window=market_window.pk, received_on=today.isoformat(), content="排队太久"))

    changelist = reverse("admin:casework_complaint_changelist")
    overdue = client.get(changelist, {"state": "overdue"})
    assert [c.pk for c in overdue.context["cl"].result_list] == [old.pk]
    html = overdue.content.decode()
    assert "已逾期" in html and "匿名" in html
    assert len(client.get(changelist).context["cl"].result_list) == 2

    resolve_url = reverse("admin:casework_complaint_resolve", args=[old.pk])
    page = client.get(reverse("admin:casework_complaint_change", args=[old.pk]))
    assert page.context["action_url"] == resolve_url
    incomplete = client.post(resolve_url, {"findings": "", "upheld": "yes", "reply": ""})
    assert incomplete.status_code == 200 and set(incomplete.context["action_form"].errors) == {"findings", "reply"}
    answered = client.post(resolve_url, {"findings": "经查属实", "upheld": "yes", "reply": "已批评教育并致歉"})
    assert "投诉已答复办结,认定为属实。每日检查时将据此对责任人立案责任追究,可在「责任追究」中处理。" in messages_of(follow(client, answered))
    old.refresh_from_db()
    assert (old.upheld, old.handler, old.replied_on) == (True, office, today)
    assert list(client.get(changelist, {"state": "overdue"}).context["cl"].result_list) == []
    assert [c.pk for c in client.get(changelist, {"upheld__exact": "1"}).context["cl"].result_list] == [old.pk]
    assert "action_form" not in client.get(reverse("admin:casework_complaint_change", args=[old.pk])).context


def test_complaints_are_scoped_to_the_department_complained_about(client, official_calendar, market_window, clerk, officer):
    services.complaint_register(user=None, channel="box", content="多次往返", window=market_window)
    as_user(client, officer)
    assert list(client.get(reverse("admin:casework_complaint_changelist")).context["cl"].result_list) == []
    as_user(client, clerk)
    assert len(client.get(reverse("admin:casework_complaint_changelist")).context["cl"].result_list) == 1
    assert client.get(reverse("admin:casework_complaint_add")).status_code == 403  # the office registers


# Accountability (S1.8) and assessment (S1.1-c)


def test_the_office_decides_or_dismisses_accountability_records_linked_to_their_source(
    client, official_calendar, committed_item, market_window, clerk, office, deputy
):
    case = accepted(committed_item, market_window, clerk)
    complaint = services.complaint_register(user=None, channel="box", content="多次往返", staff=clerk)
    late, _ = accountability_open(
        violation=Violation.OVERDUE_CASE, source=case, department=case.department, responsible=clerk, description="逾期"
    )
    upheld, _ = accountability_open(
        violation=Violation.UPHELD_COMPLAINT, source=complaint, department=case.department, responsible=clerk, description="属实"
    )
    as_user(client, office)
    listed = client.get(reverse("admin:staffing_accountabilityrecord_changelist"))
    html = listed.content.decode()
    assert f'href="{change_url(case)}"' in html
    assert f'href="{reverse("admin:casework_complaint_change", args=[complaint.pk])}"' in html
    page = client.get(reverse("admin:staffing_accountabilityrecord_change", args=[late.pk]))
    assert page.context["decision_url"] == reverse("admin:staffing_accountabilityrecord_decide", args=[late.pk])

    decide_url = reverse("admin:staffing_accountabilityrecord_decide", args=[late.pk])
    empty = follow(client, client.post(decide_url, {"decide": "1", "measure": ""}))
    assert "未能提交:请填写处理措施或免责理由。" in messages_of(empty)
    decided = follow(client, client.post(decide_url, {"decide": "1", "measure": "批评教育,扣减当月考核分2分"}))
    assert "已作出处理:承诺件超期(李春梅)。" in messages_of(decided)
    dismissed = follow(
        client,
        client.post(
            reverse("admin:staffing_accountabilityrecord_decide", args=[upheld.pk]), {"dismiss": "1", "measure": "系申请人误解"}
        ),
    )
    assert "已免责:投诉属实(李春梅)。" in messages_of(dismissed)
    late.refresh_from_db(), upheld.refresh_from_db()
    assert (late.status, upheld.status) == (AccountabilityStatus.DECIDED, AccountabilityStatus.DISMISSED)
    assert late.history.first().history_user == office.user

    filtered = client.get(reverse("admin:staffing_accountabilityrecord_changelist"), {"status__exact": "open"})
    assert list(filtered.context["cl"].result_list) == []

    as_user(client, deputy)  # leaders read the records of the departments in their charge
    assert len(client.get(reverse("admin:staffing_accountabilityrecord_changelist")).context["cl"].result_list) == 2
    assert "decision_url" not in client.get(reverse("admin:staffing_accountabilityrecord_change", args=[late.pk])).context
    assert client.post(decide_url, {"decide": "1", "measure": "x"}).status_code == 403


def test_the_monthly_assessment_sheets_are_generated_and_scored(
    client, official_calendar, committed_item, market_window, clerk, office, deputy, two_departments
):
    case = accepted(committed_item, market_window, clerk)
    services.case_approve(case=case, user=clerk.user)  # completed today, on time
    today = timezone.localdate()
    as_user(client, office)
    listed = client.get(reverse("admin:staffing_assessment_changelist"))
    generate_url = reverse("admin:casework_case_assessment_generate")
    assert listed.context["generate_url"] == generate_url
    page = client.get(generate_url)
    assert page.status_code == 200 and "生成月度考核表" in page.content.decode()
    future = client.post(generate_url, {"department": two_departments[0].pk, "year": today.year + 1, "month": 1})
    assert future.context["form"].errors["month"] == ["不能为尚未开始的月份生成考核表。"]

    response = client.post(generate_url, {"department": two_departments[0].pk, "year": today.year, "month": today.month})
    assert response["Location"].startswith(reverse("admin:staffing_assessment_changelist"))
    shown = client.get(response["Location"])
    assert f"已生成县市场监督管理局{today.year}年{today.month}月考核表3份" in messages_of(shown)[0]
    assert len(shown.context["cl"].result_list) == 3  # the clerk, the office member, the deputy
    sheet = Assessment.objects.get(staff=clerk)
    assert (sheet.cases_handled, sheet.cases_on_time, sheet.score) == (1, 1, None)

    as_user(client, deputy)
    sheet_url = reverse("admin:staffing_assessment_change", args=[sheet.pk])
    too_high = client.post(sheet_url, {"score": "120", "comment": ""})
    assert too_high.context["adminform"].form.errors["score"] == ["考核得分须在0至100之间。"]
    scored = client.post(sheet_url, {"score": "92.5", "comment": "按时办结,服务规范"})
    assert scored.status_code == 302
    sheet.refresh_from_db()
    assert (str(sheet.score), sheet.comment, sheet.assessor, sheet.cases_handled) == ("92.5", "按时办结,服务规范", deputy, 1)
    assert client.get(generate_url).status_code == 403  # leaders score; the office generates
