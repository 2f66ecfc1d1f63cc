"""R1.1–R1.4: a rating per case and channel, five levels, the 差评工单 followed to the end, appeals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from ratings.models import BadRatingTicket, Rating, RatingChannel, RatingLevel, RatingSettings, TicketStatus
from ratings.selectors import rating_figures, totals
from ratings.services import tickets
from ratings.services.ratings import rating_record
from staffing.models import AccountabilityRecord, Violation

from .conftest import day

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_a_case_is_rated_once_per_channel_and_the_rating_keeps_its_history(completed_case, clerk):
    case = completed_case()
    rating = rating_record(case=case, channel=RatingChannel.ONLINE, level=RatingLevel.SATISFIED, content="办事很快")
    rating_record(case=case, channel=RatingChannel.SMS, level=RatingLevel.VERY_SATISFIED)
    with pytest.raises(ValidationError, match="已有「网上」渠道的评价"):
        rating_record(case=case, channel=RatingChannel.ONLINE, level=RatingLevel.VERY_SATISFIED)
    assert Rating.objects.filter(case=case).count() == 2
    assert rating.window.number == "01" and rating.staff == clerk
    assert rating.history.count() == 1


def test_the_five_levels_are_data_with_labels_and_only_the_last_two_open_a_ticket(completed_case):
    assert RatingLevel.labels == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    channels = list(RatingChannel.values)
    for level, channel in zip(RatingLevel.values, channels, strict=True):
        rating_record(case=completed_case(), channel=channel, level=level)
    opened = BadRatingTicket.objects.values_list("rating__level", flat=True)
    assert sorted(opened) == [RatingLevel.VERY_DISSATISFIED, RatingLevel.DISSATISFIED]
    figures = totals(rating_figures(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1), by="window"))
    assert (figures["ratings"], figures["good"], figures["bad"]) == (5, 2, 2)
    assert figures["good_rate"] == 40.0 and figures["bad_rate"] == 40.0
    with pytest.raises(ValidationError, match="评价等级"):
        rating_record(case=completed_case(), channel=RatingChannel.PAD, level=6)


def test_a_bad_rating_is_visited_back_rectified_by_a_deadline_replied_and_reviewed(
    completed_case, window_head, office, police_head, travel, official_calendar
):
    travel(day("2026-11-02"))  # a Monday
    case = completed_case()
    rating = rating_record(case=case, channel=RatingChannel.PAD, level=RatingLevel.DISSATISFIED, real_name=True, tags=["attitude"])
    ticket = rating.ticket
    assert (ticket.department, ticket.window, ticket.status) == (case.department, case.window, TicketStatus.VISIT)
    assert ticket.visit_due == day("2026-11-03")
    with pytest.raises(PermissionDenied, match="承办部门"):
        tickets.ticket_visit(ticket=ticket, user=police_head.user, method="phone", findings="x", outcome="fix_now", measures="x")
    with pytest.raises(ValidationError) as refused:
        tickets.ticket_visit(ticket=ticket, user=window_head.user, method="phone", findings="态度生硬属实", outcome="explain")
    assert "解释说明须写明" in str(refused.value)
    tickets.ticket_visit(ticket=ticket, user=window_head.user, method="phone", findings="态度生硬属实", outcome="fix_by_deadline")
    assert ticket.status == TicketStatus.RECTIFYING and ticket.rectify_due == day("2026-11-09")
    tickets.ticket_rectify(ticket=ticket, user=window_head.user, measures="窗口人员服务礼仪培训")
    tickets.ticket_reply(ticket=ticket, user=window_head.user, method="phone", reply="已整改,感谢监督")
    with pytest.raises(PermissionDenied, match="由中心办理"):
        tickets.ticket_review(ticket=ticket, user=window_head.user, approve=True)
    with pytest.raises(ValidationError, match="退回须写明理由"):
        tickets.ticket_review(ticket=ticket, user=office.user, approve=False)
    tickets.ticket_review(ticket=ticket, user=office.user, approve=True, note="同意")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.replied_on == day("2026-11-02")
    assert [t.to_status for t in ticket.transitions.all()] == ["visit", "rectifying", "reply", "review", "closed"]
    figures = totals(rating_figures(day("2026-11-01"), day("2026-11-30"), by="department"))
    assert figures["visit_rate"] == 100.0 and figures["rectify_rate"] == 100.0


def test_the_tickets_deadlines_are_counted_in_working_days_across_the_national_day_holiday(
    completed_case, window_head, travel, official_calendar
):
    travel(day("2026-09-30"))  # the last working day before 10/1–10/7; 10/10 (Sat) is a make-up workday
    rating = rating_record(case=completed_case(), channel=RatingChannel.PHONE, level=RatingLevel.VERY_DISSATISFIED)
    ticket = rating.ticket
    assert ticket.visit_due == day("2026-10-08")
    travel(day("2026-10-08"))
    tickets.ticket_visit(ticket=ticket, user=window_head.user, method="in_person", findings="属实", outcome="fix_by_deadline")
    # 10/9 Fri, 10/10 make-up Sat, 10/12 Mon, 10/13, 10/14
    assert ticket.rectify_due == day("2026-10-14")


def test_the_deadlines_follow_the_settings(completed_case, window_head, travel, official_calendar):
    travel(day("2026-11-02"))
    settings = RatingSettings.load()
    settings.visit_days, settings.rectify_days = 2, 3
    settings.save()
    ticket = rating_record(case=completed_case(), channel=RatingChannel.QR, level=RatingLevel.DISSATISFIED).ticket
    assert ticket.visit_due == day("2026-11-04")
    tickets.ticket_visit(ticket=ticket, user=window_head.user, method="phone", findings="属实", outcome="fix_by_deadline")
    assert ticket.rectify_due == day("2026-11-05")


def test_overdue_steps_open_one_accountability_record_each_through_the_sweep(
    completed_case, window_head, travel, official_calendar, clerk
):
    travel(day("2026-11-02"))
    late_visit = rating_record(case=completed_case(), channel=RatingChannel.PAD, level=RatingLevel.DISSATISFIED).ticket
    late_fix = rating_record(case=completed_case("李四"), channel=RatingChannel.PAD, level=RatingLevel.DISSATISFIED).ticket
    tickets.ticket_visit(ticket=late_fix, user=window_head.user, method="phone", findings="属实", outcome="fix_by_deadline")
    assert tickets.sweep_ratings(day("2026-11-03")) == {"visits": 0, "rectifications": 0}
    travel(day("2026-11-10"))
    call_command("sweep_deadlines")
    call_command("sweep_deadlines")
    records = AccountabilityRecord.objects.order_by("violation")
    assert [(r.violation, r.source) for r in records] == [
        (Violation.OVERDUE_RATING_VISIT, late_visit),
        (Violation.OVERDUE_RECTIFY, late_fix),
    ]
    assert records[0].responsible == clerk and "回访核实逾期" in records[0].description


def test_an_upheld_appeal_keeps_the_rating_in_history_but_out_of_the_figures(completed_case, window_head, office):
    rating = rating_record(case=completed_case(), channel=RatingChannel.ONLINE, level=RatingLevel.VERY_DISSATISFIED, content="乱评")
    ticket = rating.ticket
    with pytest.raises(ValidationError, match="申诉理由"):
        tickets.ticket_appeal(ticket=ticket, user=window_head.user, reason=" ")
    tickets.ticket_appeal(ticket=ticket, user=window_head.user, reason="评价人并未在本窗口办理业务,系误评")
    with pytest.raises(PermissionDenied):
        tickets.ticket_appeal_decide(ticket=ticket, user=window_head.user, upheld=True, decision="成立")
    tickets.ticket_appeal_decide(ticket=ticket, user=office.user, upheld=True, decision="经核查系误评,申诉成立")
    rating.refresh_from_db()
    assert rating.excluded and Rating.objects.filter(pk=rating.pk).exists()
    assert rating.history.first().history_change_reason == "申诉复核成立:不计入统计"
    assert ticket.status == TicketStatus.APPEAL_UPHELD
    assert rating_figures(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)) == [
        row for row in rating_figures(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)) if row["ratings"] == 0
    ]


def test_a_rejected_appeal_sends_the_ticket_back_and_a_second_appeal_is_refused(completed_case, window_head, office):
    ticket = rating_record(case=completed_case(), channel=RatingChannel.SMS, level=RatingLevel.DISSATISFIED).ticket
    tickets.ticket_appeal(ticket=ticket, user=window_head.user, reason="误评")
    tickets.ticket_appeal_decide(ticket=ticket, user=office.user, upheld=False, decision="评价属实,继续办理")
    assert ticket.status == TicketStatus.VISIT and not ticket.rating.excluded
    with pytest.raises(ValidationError, match="已申诉过一次"):
        tickets.ticket_appeal(ticket=ticket, user=window_head.user, reason="再次申诉")
