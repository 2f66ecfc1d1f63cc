"""开标日历 and 待派员监督的开标; 招投标投诉 with their own handling limit (S1.1-g)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bidding import selectors, services
from bidding.models import BiddingSettings, EventStatus
from casework.models import CaseworkSettings, ComplaintKind
from casework.services.oversight import complaint_register, complaint_resolve, overdue_complaints
from project.inbox import waiting_counts

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def test_the_calendar_lists_openings_of_the_next_working_days_and_flags_those_without_a_supervisor(
    travel, official_calendar, make_event, supervisor, office
):
    travel(D(2026, 9, 29))  # Tuesday before the National Day holiday (10/1–10/7 off)
    settings = BiddingSettings.load()
    settings.calendar_days = 3  # 9/30, 10/8, 10/9: the horizon crosses the holiday
    settings.save()
    staffed = make_event(opening_on=D(2026, 9, 30), supervisor=supervisor, name="县人民医院医疗设备采购项目")
    unstaffed = make_event(opening_on=D(2026, 10, 9), name="县城区污水管网改造工程")
    make_event(opening_on=D(2026, 10, 10), name="开标日历以外的项目")  # the 4th working day (make-up Saturday)
    opened = make_event(opening_on=D(2026, 9, 29), supervisor=supervisor, name="今天已开标的项目")
    services.event_set_status(event=opened, user=office.user, to=EventStatus.OPENED)

    assert selectors.calendar_horizon(D(2026, 9, 29)) == D(2026, 10, 9)
    assert list(selectors.upcoming_openings()) == [staffed, unstaffed]
    assert list(selectors.openings_needing_supervisor()) == [unstaffed]

    # The inbox lists every opening ahead without a supervisor, also beyond the calendar's horizon.
    line = {line.key: line for line in waiting_counts(office.user)}["bidding.needs_supervisor"]
    assert (line.label, line.count) == ("待派员监督的开标", 2)
    assert line.url == reverse("admin:bidding_biddingevent_changelist") + "?supervision=needed"


def test_the_calendar_page_and_the_filtered_list_show_the_event_needing_a_supervisor(
    travel, official_calendar, make_event, supervisor, office, client
):
    travel(D(2026, 9, 29))
    make_event(opening_on=D(2026, 9, 30), supervisor=supervisor, name="县人民医院医疗设备采购项目")
    make_event(opening_on=D(2026, 10, 9), name="县城区污水管网改造工程")
    client.force_login(office.user)

    page = client.get(reverse("admin:bidding_biddingevent_openings")).content.decode()
    assert "县人民医院医疗设备采购项目" in page and "县城区污水管网改造工程" in page
    assert page.count("需要派员监督") == 2  # the summary and the one row
    assert "其中 1 个需要派员监督" in page

    listed = client.get(reverse("admin:bidding_biddingevent_changelist") + "?supervision=needed")
    assert [event.name for event in listed.context["cl"].result_list] == ["县城区污水管网改造工程"]
    listed = client.get(reverse("admin:bidding_biddingevent_changelist") + "?supervision=upcoming")
    assert len(listed.context["cl"].result_list) == 2


def test_a_bidding_complaint_is_due_thirty_working_days_after_receipt_across_the_national_day_holiday(
    official_calendar, make_event, office
):
    event = make_event(opening_on=D(2026, 9, 15), name="县人民医院医疗设备采购项目")
    bidding = complaint_register(
        user=office.user, kind=ComplaintKind.BIDDING, bidding_event=event, channel="in_person",
        complainant="江西瑞康医疗科技有限公司", content="中标人业绩证明材料不实", received_on=D(2026, 9, 24),
    )  # fmt: skip
    general = complaint_register(user=office.user, channel="phone", content="窗口人员态度生硬", received_on=D(2026, 9, 24))

    # 9/25–9/27 and 10/1–10/7 are off, 10/10 is a make-up Saturday: the 30th working day is 11/12.
    assert (bidding.due_date, general.due_date) == (D(2026, 11, 12), D(2026, 10, 9))
    assert (bidding.kind, bidding.bidding_event, bidding.department) == (ComplaintKind.BIDDING, event, None)
    assert set(overdue_complaints(today=D(2026, 11, 12))) == {general}
    assert set(overdue_complaints(today=D(2026, 11, 13))) == {general, bidding}


def test_the_bidding_complaint_limit_is_a_setting(official_calendar, office):
    panel = CaseworkSettings.load()
    assert panel.bidding_complaint_days == 30
    assert "第六十一条" in CaseworkSettings._meta.get_field("bidding_complaint_days").help_text
    panel.bidding_complaint_days = 10
    panel.save()
    complaint = complaint_register(user=office.user, kind=ComplaintKind.BIDDING, channel="online", content="开标时间临时变更未公告", received_on=D(2026, 9, 24))
    assert complaint.due_date == D(2026, 10, 15)


def test_a_general_complaint_cannot_name_a_bidding_event(make_event, office):
    event = make_event(opening_on=D(2026, 9, 15), name="县人民医院医疗设备采购项目")
    with pytest.raises(ValidationError) as refused:
        complaint_register(user=office.user, channel="phone", content="评标不公", bidding_event=event)
    assert refused.value.message_dict == {"bidding_event": ["只有招投标投诉才能关联招投标项目(选择的是「县人民医院医疗设备采购项目」)。"]}


def test_the_office_registers_a_bidding_complaint_in_the_admin(official_calendar, make_event, office, client):
    event = make_event(opening_on=D(2026, 9, 15), name="县人民医院医疗设备采购项目")
    client.force_login(office.user)
    response = client.post(
        reverse("admin:casework_complaint_add"),
        {"kind": "bidding", "channel": "in_person", "bidding_event": event.pk, "content": "评标委员会组成不合规", "received_on": "2026-09-24"},
    )
    assert response.status_code == 302
    complaint = event.complaints.get()
    assert (complaint.kind, complaint.due_date) == (ComplaintKind.BIDDING, D(2026, 11, 12))
    complaint_resolve(complaint=complaint, user=office.user, findings="经查不属实", upheld=False, reply="已书面答复", replied_on=D(2026, 10, 20))
    listed = client.get(reverse("admin:casework_complaint_changelist") + "?kind__exact=bidding").content.decode()
    assert "招投标投诉" in listed and "评标委员会组成不合规" in listed
