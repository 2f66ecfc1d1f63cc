"""The supervision admin (督办) and the report obligations pages, as the office, the undertaking section
and the leader use them: 立项, the lifecycle buttons, the reminder log, the list urgent first with the
overdue marker, the printable letter and notice, meeting decisions turned into items, and the year's
report obligations with the late ones per section."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import ReportObligation, SupervisionItem, SupervisionStatus
from meetings.models import AgendaItem, Decision, Meeting, MeetingType
from staffing.models import Department, DepartmentKind

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def login(client, staff):
    client.force_login(staff.user)
    return client


def text_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def item_url(item, name="change", *args):
    return reverse(f"admin:documents_supervisionitem_{name}", args=[item.pk, *args])


def step_url(item, code):
    return reverse("admin:documents_supervisionitem_step", args=[item.pk, code])


def register(people, department, **extra):
    values = {
        "title": "年底前完成企业开办一窗通办", "source": "key_task", "content": "压缩企业开办时间至1个工作日",
        "department": department, "deadline": TODAY + datetime.timedelta(days=30),
    }
    values.update(extra)
    return services.supervision_register(user=people["office"].user, **values)


def buttons_of(response) -> list[str]:
    panel = response.context.get("item_panel") if response.context else None
    return [button["label"] for button in panel["buttons"]] if panel else []


def test_the_office_registers_an_item_and_a_leader_instruction_needs_its_text(client, people, two_departments):
    market, _ = two_departments
    login(client, people["office"])
    url = reverse("admin:documents_supervisionitem_add")
    data = {
        "source": "instruction", "title": "优化不动产登记流程", "content": "登记时间压缩至3个工作日",
        "department": market.pk, "deadline": (TODAY + datetime.timedelta(days=20)).isoformat(), "urgent": "on",
        "instructing_leader": people["director"].pk,
    }

    refused = client.post(url, data)
    assert "领导批示事项须录入批示原文。" in text_of(refused)
    assert not SupervisionItem.objects.exists()

    response = client.post(url, {**data, "instruction": "请抓紧落实。——刘建华"})
    item = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item_url(item)
    assert (item.urgent, item.instructing_leader, item.status) == (True, people["director"], SupervisionStatus.REGISTERED)
    assert login(client, people["drafter"]).get(url).status_code == 403  # window staff do not register


def test_the_lifecycle_runs_through_the_buttons_with_the_reminder_log(client, people, two_departments):
    market, police = two_departments
    item = register(people, market)
    office, drafter, director = people["office"], people["drafter"], people["director"]

    assert buttons_of(login(client, drafter).get(item_url(item))) == []
    assert buttons_of(login(client, office).get(item_url(item))) == ["交办"]
    assigned = client.post(step_url(item, "assign"), {"responsible": drafter.pk}, follow=True)
    assert f"已交办县市场监督管理局{drafter.name}办理。" in messages_of(assigned)
    client.post(step_url(item, "start"))
    item.refresh_from_db()
    assert item.status == SupervisionStatus.SUPERVISING

    reminder_url = item_url(item, "reminder")
    future = client.post(reminder_url, {"reminder-method": "phone", "reminder-on": (TODAY + datetime.timedelta(days=1)).isoformat()}, follow=True)
    assert "未能登记催办:催办日期不能晚于今天。" in messages_of(future)
    logged = client.post(reminder_url, {"reminder-method": "phone", "reminder-on": TODAY.isoformat(), "reminder-answer": "正在梳理流程"}, follow=True)
    assert any("电话催办" in m for m in messages_of(logged))
    assert [(r.method, r.answer, r.by) for r in item.reminders.all()] == [("phone", "正在梳理流程", office)]
    assert "正在梳理流程" in text_of(logged)

    assert buttons_of(login(client, people["police_clerk"]).get(item_url(item))) == []  # not found: another department
    assert login(client, people["police_clerk"]).get(item_url(item)).status_code == 404
    assert buttons_of(login(client, drafter).get(item_url(item))) == ["反馈办理情况"]
    empty = client.post(step_url(item, "feedback"), {"feedback": ""})
    assert empty.status_code == 200 and empty.context["form"].errors
    client.post(step_url(item, "feedback"), {"feedback": "已实现一窗通办,平均0.8个工作日"})
    item.refresh_from_db()
    assert (item.status, item.feedback_on) == (SupervisionStatus.FEEDBACK, TODAY)

    login(client, office).post(step_url(item, "submit"))
    assert buttons_of(client.get(item_url(item))) == []  # the leader reviews first
    assert buttons_of(login(client, director).get(item_url(item))) == ["领导审阅"]
    client.post(step_url(item, "review"), {"leader_comment": "同意归档"})
    assert buttons_of(login(client, office).get(item_url(item))) == ["归档"]
    archived = client.post(step_url(item, "archive"), follow=True)
    assert "已归档。" in messages_of(archived)
    item.refresh_from_db()
    assert (item.status, item.leader_comment, item.archived_on) == (SupervisionStatus.ARCHIVED, "同意归档", TODAY)


def test_a_project_item_is_not_archived_without_its_materials_and_the_refusal_is_shown(client, people, two_departments):
    item = register(people, two_departments[0], is_project=True)
    services.supervision_assign(item=item, user=people["office"].user, responsible=people["drafter"])
    services.supervision_start(item=item, user=people["office"].user)
    services.supervision_feedback(item=item, user=people["drafter"].user, feedback="已完成")
    services.supervision_submit_to_leader(item=item, user=people["office"].user)
    services.supervision_leader_review(item=item, user=people["director"].user, comment="同意")

    response = login(client, people["office"]).post(step_url(item, "archive"), follow=True)

    assert "未能归档:立项督办事项归档前须上传:立项登记表、反馈材料。" in messages_of(response)
    item.refresh_from_db()
    assert item.status == SupervisionStatus.LEADER_REVIEW


def test_the_list_puts_urgent_items_first_and_marks_the_overdue_ones(client, people, two_departments):
    market, _ = two_departments
    calm = register(people, market, title="普通事项", deadline=TODAY + datetime.timedelta(days=5))
    urgent = register(people, market, title="紧急事项", urgent=True, deadline=TODAY + datetime.timedelta(days=40))
    late = register(people, market, title="逾期事项", deadline=TODAY + datetime.timedelta(days=1))
    SupervisionItem.objects.filter(pk=late.pk).update(deadline=TODAY - datetime.timedelta(days=3))

    response = login(client, people["office"]).get(reverse("admin:documents_supervisionitem_changelist"))

    assert [item.title for item in response.context["cl"].result_list] == ["紧急事项", "逾期事项", "普通事项"]
    assert text_of(response).count("已逾期</span>") == 1
    overdue = client.get(reverse("admin:documents_supervisionitem_changelist") + "?deadline_state=overdue")
    assert [item.pk for item in overdue.context["cl"].result_list] == [late.pk]
    assert calm and urgent


def test_the_letter_and_the_notice_print_for_the_section_and_not_for_another(client, people, two_departments):
    market, _ = two_departments
    item = register(people, market, source="instruction", instruction="请审批协调股牵头落实。", instructing_leader=people["director"])
    services.reminder_log(item=item, user=people["office"].user, method="letter", answer="已签收")

    login(client, people["drafter"])
    letter = client.get(item_url(item, "letter"))
    notice = client.get(item_url(item, "notice"))
    assert letter.status_code == notice.status_code == 200
    assert "督 办 函" in text_of(letter) and "根据领导批示精神" in text_of(letter) and "县市场监督管理局" in text_of(letter)
    assert "督促检查事项通知单" in text_of(notice) and "已签收" in text_of(notice)
    assert login(client, people["police_clerk"]).get(item_url(item, "letter")).status_code == 404


def test_an_adopted_meeting_decision_becomes_a_supervision_item_from_the_meeting_page(client, people, two_departments):
    market, _ = two_departments
    meeting_type = MeetingType.objects.get(name="党委会")
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        meeting_type=meeting_type, body=meeting_type.body, title="11月党委会", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), chair=people["director"],
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="窗口作风整顿")
    decision = Decision.objects.create(
        agenda_item=item, text="开展窗口作风专项整顿", adopted=True, responsible_department=market, deadline=TODAY + datetime.timedelta(days=60)
    )
    meeting_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    supervise_url = reverse("admin:meetings_meeting_supervise", args=[meeting.pk, decision.pk])

    login(client, people["office"])
    assert supervise_url in text_of(client.get(meeting_url))
    response = client.post(supervise_url, follow=True)
    supervised = SupervisionItem.objects.get()
    assert (supervised.source, supervised.department, supervised.origin) == ("meeting", market, decision)
    assert any("已转为督办事项" in m for m in messages_of(response))
    assert "已转督办" in text_of(response) and supervise_url not in text_of(response)
    again = client.post(supervise_url, follow=True)
    assert any("该来源已立项督办" in m for m in messages_of(again))
    assert login(client, people["police_clerk"]).post(supervise_url).status_code == 403


def test_the_years_report_obligations_are_generated_and_the_late_ones_listed_per_section(client, people, two_departments):
    section = Department.objects.create(name="审批协调股", kind=DepartmentKind.SECTION)
    login(client, people["office"])
    url = reverse("admin:documents_reportobligation_generate")

    response = client.post(url, {"year": TODAY.year}, follow=True)
    count = ReportObligation.objects.count()
    assert f"已生成{TODAY.year}年报告任务{count}项。" in messages_of(response)
    assert ReportObligation.objects.filter(department=section).count() == 4 + 12 + 12
    assert "没有新增" in " ".join(messages_of(client.post(url, {"year": TODAY.year}, follow=True)))
    assert login(client, people["drafter"]).get(url).status_code == 403

    ReportObligation.objects.create(department=section, title="上月重点工作情况报告", due_date=TODAY - datetime.timedelta(days=2))
    late = text_of(login(client, people["office"]).get(reverse("admin:documents_reportobligation_late")))
    assert "审批协调股" in late and "上月重点工作情况报告" in late and "2天" in late
