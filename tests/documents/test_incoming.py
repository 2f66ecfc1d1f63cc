"""S3.6-g: 收文 — registration with a yearly gap-free number, 拟办 by the office, 批办 by the named leader,
阅知 and 办理 through the circulation of S3.6-d, 催办 logged, 办结 and archive."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from documents import selectors
from documents.models import CirculationMode, CirculationState, DocumentsSettings, IncomingStatus
from documents.services import incoming as services
from documents.services.circulation import circulation_feedback, sweep_circulation
from staffing.models import AccountabilityRecord

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

MONDAY = datetime.date(2026, 11, 16)


def scan(name="scan.pdf"):
    return ContentFile(b"%PDF-1.4 scan", name=name)


def register(people, **overrides):
    data = {
        "sender": "大余县人民政府办公室", "sender_number": "余府办字〔2026〕88号",
        "title": "关于做好2027年元旦春节期间值班工作的通知", "urgency": "urgent", "scans": [scan()],
    }
    data.update(overrides)
    return services.incoming_register(user=people["office"].user, **data)


def proposed(people, **overrides):
    incoming = register(people, **overrides)
    return services.incoming_propose(
        incoming=incoming, user=people["office"].user, proposal="拟请市场监管局办理,公安局阅知。", leader=people["director"]
    )


@pytest.fixture
def monday(travel, official_calendar):
    travel(MONDAY)


def test_registration_gives_the_next_number_of_the_year_by_the_pattern(people, monday):
    first, second = register(people), register(people, title="第二份来文")
    assert (first.number, second.number) == ("收〔2026〕1号", "收〔2026〕2号")
    assert first.status == IncomingStatus.REGISTERED
    assert first.attachments.count() == 1
    assert (first.sender, first.sender_number, first.received_on) == ("大余县人民政府办公室", "余府办字〔2026〕88号", MONDAY)


def test_a_new_year_starts_again_at_one(people, monday):
    register(people, received_on=datetime.date(2025, 12, 31))
    assert register(people).number == "收〔2026〕1号"


def test_only_the_office_registers_and_bad_input_changes_nothing(people, monday):
    with pytest.raises(PermissionDenied, match="收文登记由办公室负责"):
        services.incoming_register(user=people["drafter"].user, sender="县政府", title="通知")
    with pytest.raises(ValidationError, match="请填写来文单位"):
        services.incoming_register(user=people["office"].user, sender=" ", title="通知")
    with pytest.raises(ValidationError, match="涉密来文须指定知悉范围"):
        services.incoming_register(user=people["office"].user, sender="县政府", title="通知", secrecy="secret")
    assert register(people).number == "收〔2026〕1号"


def test_the_proposal_needs_a_scan_a_text_and_a_leader(people, monday):
    incoming = register(people, scans=[])
    office = people["office"].user
    with pytest.raises(ValidationError, match="尚未上传扫描件"):
        services.incoming_propose(incoming=incoming, user=office, proposal="拟请阅", leader=people["director"])
    services.incoming_attach(incoming=incoming, user=office, file=scan())
    with pytest.raises(ValidationError, match="请选择批办领导"):
        services.incoming_propose(incoming=incoming, user=office, proposal="拟请阅", leader=people["drafter"])
    services.incoming_propose(incoming=incoming, user=office, proposal="拟请阅", leader=people["director"])
    assert (incoming.status, incoming.leader) == (IncomingStatus.PROPOSED, people["director"])


def test_only_the_named_leader_decides_and_the_urgency_sets_the_limit(people, monday, two_departments):
    market, police = two_departments
    incoming = proposed(people)
    with pytest.raises(PermissionDenied, match="该收文呈刘建华批办,您不能批办"):
        services.incoming_decide(incoming=incoming, user=people["deputy"].user, decision="同意", handle_departments=[market])
    circulations = services.incoming_decide(
        incoming=incoming, user=people["director"].user, decision="请市场监管局办理,公安局阅知。",
        handle_departments=[market], read_departments=[police],
    )
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.CIRCULATING
    # 加急: 2 working days from Monday 11-16 → Wednesday 11-18.
    assert incoming.due_date == datetime.date(2026, 11, 18)
    assert sorted((c.department.name, c.mode, c.due_date) for c in circulations) == [
        ("县公安局", CirculationMode.READ, datetime.date(2026, 11, 18)),
        ("县市场监督管理局", CirculationMode.HANDLE, datetime.date(2026, 11, 18)),
    ]


def test_the_handling_limits_of_each_urgency_are_settings(people, monday):
    assert [services.incoming_due(u, MONDAY) for u in ("flash", "urgent", "normal")] == [
        datetime.date(2026, 11, 17), datetime.date(2026, 11, 18), datetime.date(2026, 11, 19)
    ]
    settings = DocumentsSettings.load()
    settings.incoming_normal_days = 5
    settings.save()
    assert services.incoming_due("normal", MONDAY) == datetime.date(2026, 11, 23)


def test_the_reader_confirms_the_handler_feeds_back_and_then_it_is_done(people, monday, two_departments, make_staff):
    market, police = two_departments
    incoming = proposed(people)
    services.incoming_decide(
        incoming=incoming, user=people["director"].user, decision="阅办", handle_departments=[market], read_departments=[police]
    )
    reader = incoming.circulations.get(mode=CirculationMode.READ)
    handler = incoming.circulations.get(mode=CirculationMode.HANDLE)
    with pytest.raises(PermissionDenied, match="只有承办部门的人员可以办理该文件"):
        services.circulation_confirm_read(circulation=reader, user=people["drafter"].user)
    with pytest.raises(ValidationError, match="该文件要求办理,请反馈办理结果"):
        services.circulation_confirm_read(circulation=handler, user=people["drafter"].user)
    services.circulation_confirm_read(circulation=reader, user=people["police_clerk"].user)
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.CIRCULATING
    circulation_feedback(circulation=handler, user=people["drafter"].user, feedback="已安排节日值班,名单已报县政府办。")
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.DONE and incoming.closed_at is not None
    reader.refresh_from_db()
    assert (reader.state, reader.feedback, reader.handled_by) == (CirculationState.DONE, "已阅", people["police_clerk"])

    with pytest.raises(ValidationError, match="请填写归档号"):
        services.incoming_archive(incoming=incoming, user=people["office"].user, archive_number="")
    services.incoming_archive(incoming=incoming, user=people["office"].user, archive_number="WS·2026-Y-001")
    assert incoming.status == IncomingStatus.ARCHIVED


def test_reminders_are_logged_and_overdue_recipients_are_accountable(people, travel, official_calendar, two_departments):
    market, police = two_departments
    travel(MONDAY)
    incoming = proposed(people)
    services.incoming_decide(incoming=incoming, user=people["director"].user, decision="请办理", handle_departments=[market])
    circulation = incoming.circulations.get()
    reminder = services.circulation_remind(circulation=circulation, user=people["office"].user, note="已电话提醒,答复明日反馈")
    assert (reminder.by, reminder.method, reminder.on) == (people["office"], "电话催办", MONDAY)
    with pytest.raises(PermissionDenied, match="催办由办公室负责"):
        services.circulation_remind(circulation=circulation, user=people["drafter"].user)
    travel(datetime.date(2026, 11, 19))
    assert list(selectors.overdue_circulations()) == [circulation]
    assert sweep_circulation() == 1
    record = AccountabilityRecord.objects.get()
    assert record.department == market and "关于做好2027年元旦春节期间值班工作的通知" in record.description


def test_a_secret_incoming_document_stays_in_its_scope(people, monday, two_departments):
    market, police = two_departments
    incoming = register(people, secrecy="secret", scope_departments=[market], title="涉密来文")
    assert selectors.incoming_visible_to(people["drafter"].user).filter(pk=incoming.pk).exists()
    assert not selectors.incoming_visible_to(people["police_clerk"].user).filter(pk=incoming.pk).exists()
    assert not selectors.incoming_visible_to(people["inspector"].user).filter(pk=incoming.pk).exists()


def test_reading_and_handling_the_same_department_is_refused(people, monday, two_departments):
    market, _ = two_departments
    incoming = proposed(people)
    with pytest.raises(ValidationError, match="同一部门或人员不能既阅知又办理"):
        services.incoming_decide(
            incoming=incoming, user=people["director"].user, decision="x", handle_departments=[market], read_departments=[market]
        )
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.PROPOSED and not incoming.circulations.exists()
