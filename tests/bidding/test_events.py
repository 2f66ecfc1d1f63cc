"""招投标项目 (S1.1-g): the date order, the status moved only by its service, irregularities, files."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bidding import services
from bidding.models import BiddingAttachment, BiddingEvent, EventStatus

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_opening_before_the_announcement_is_refused_naming_both_dates(make_event):
    with pytest.raises(ValidationError) as refused:
        make_event(announced_on=D(2026, 11, 10), opening_on=D(2026, 11, 5))
    assert refused.value.message_dict == {"opening_on": ["开标日期(2026年11月5日)不能早于公告日期(2026年11月10日)。"]}
    assert not BiddingEvent.objects.exists()


def test_an_award_before_the_evaluation_is_refused_on_the_award_date(make_event, supervisor, office):
    event = make_event(announced_on=D(2026, 10, 20), opening_on=D(2026, 11, 10), supervisor=supervisor)
    with pytest.raises(ValidationError) as refused:
        services.event_update(event=event, user=office.user, evaluated_on=D(2026, 11, 12), awarded_on=D(2026, 11, 11))
    assert refused.value.message_dict == {"awarded_on": ["定标日期(2026年11月11日)不能早于评标日期(2026年11月12日)。"]}
    event.refresh_from_db()
    assert event.awarded_on is None


def test_an_event_moves_from_registered_to_opened_evaluated_and_awarded_and_records_who(make_event, supervisor, office):
    event = make_event(opening_on=D(2026, 11, 10), supervisor=supervisor)
    services.event_set_status(event=event, user=office.user, to=EventStatus.OPENED)
    services.event_set_status(event=event, user=office.user, to=EventStatus.EVALUATED, on=D(2026, 11, 11))
    event = services.event_set_status(event=event, user=office.user, to=EventStatus.AWARDED, on=D(2026, 11, 13), winner="江西康立医疗器械有限公司")

    assert (event.status, event.evaluated_on, event.awarded_on, event.winner) == (
        EventStatus.AWARDED, D(2026, 11, 11), D(2026, 11, 13), "江西康立医疗器械有限公司",
    )  # fmt: skip
    history = list(event.history.order_by("history_id").values_list("status", "history_user", "history_change_reason"))
    assert [row[0] for row in history] == ["registered", "opened", "evaluated", "awarded"]
    assert {row[1] for row in history} == {office.user.pk}
    assert history[-1][2] == "已评标 → 已定标"


def test_a_step_cannot_be_skipped_and_a_finished_event_does_not_move(make_event, supervisor, office):
    event = make_event(opening_on=D(2026, 11, 10), supervisor=supervisor)
    with pytest.raises(ValidationError, match="当前为“已登记”,不能改为“已定标”"):
        services.event_set_status(event=event, user=office.user, to=EventStatus.AWARDED, winner="某公司")
    with pytest.raises(ValidationError, match="中止须说明原因"):
        services.event_set_status(event=event, user=office.user, to=EventStatus.SUSPENDED)
    services.event_set_status(event=event, user=office.user, to=EventStatus.SUSPENDED, note="投标人不足三家,依法重新招标。")
    with pytest.raises(ValidationError, match="当前为“已中止”,不能改为“已开标”"):
        services.event_set_status(event=event, user=office.user, to=EventStatus.OPENED)


def test_an_opening_without_an_on_site_supervisor_is_refused(make_event, office):
    event = make_event(opening_on=D(2026, 11, 10), name="县城区污水管网改造工程")
    with pytest.raises(ValidationError) as refused:
        services.event_set_status(event=event, user=office.user, to=EventStatus.OPENED)
    assert refused.value.message_dict == {"supervisor": ["招投标项目「县城区污水管网改造工程」未指派现场监督人员,不能登记开标。"]}
    event.refresh_from_db()
    assert event.status == EventStatus.REGISTERED


def test_an_award_needs_its_winner(make_event, supervisor, office):
    event = make_event(opening_on=D(2026, 11, 10), supervisor=supervisor)
    services.event_set_status(event=event, user=office.user, to=EventStatus.OPENED)
    services.event_set_status(event=event, user=office.user, to=EventStatus.EVALUATED)
    with pytest.raises(ValidationError, match="定标须填写中标人"):
        services.event_set_status(event=event, user=office.user, to=EventStatus.AWARDED)


def test_an_irregularity_closed_without_its_follow_up_or_before_it_was_found_is_refused(make_event, office):
    event = make_event(opening_on=D(2026, 11, 10))
    found = services.irregularity_record(event=event, user=office.user, found_on=D(2026, 11, 10), description="代理机构未当场拒收无效投标文件")
    with pytest.raises(ValidationError, match="请填写整改/处理情况"):
        services.irregularity_close(irregularity=found, user=office.user, follow_up=" ", closed_on=D(2026, 11, 12))
    found.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.irregularity_close(irregularity=found, user=office.user, follow_up="已约谈代理机构", closed_on=D(2026, 11, 9))
    assert refused.value.message_dict == {"closed_on": ["办结日期(2026年11月9日)不能早于发现日期(2026年11月10日)。"]}
    found.refresh_from_db()
    closed = services.irregularity_close(irregularity=found, user=office.user, follow_up="已约谈代理机构", closed_on=D(2026, 11, 12))
    assert (closed.closed_on, closed.history.first().history_user) == (D(2026, 11, 12), office.user)


def test_the_admin_form_puts_the_date_error_on_its_field_and_saves_nothing(client, office, supervisor):
    client.force_login(office.user)
    response = client.post(
        reverse("admin:bidding_biddingevent_add"),
        {
            "name": "县第二中学教学楼建设工程", "project_type": "works", "method": "open", "tenderer": "县教育体育局",
            "announced_on": "2026-11-20", "opening_on": "2026-11-10", "supervisor": supervisor.pk,
            "irregularities-TOTAL_FORMS": "0", "irregularities-INITIAL_FORMS": "0",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"opening_on": ["开标日期(2026年11月10日)不能早于公告日期(2026年11月20日)。"]}
    assert not BiddingEvent.objects.exists()


def test_the_office_registers_an_event_in_the_admin_with_its_irregularity_and_the_status_stays_registered(client, office, supervisor):
    client.force_login(office.user)
    response = client.post(
        reverse("admin:bidding_biddingevent_add"),
        {
            "name": "县第二中学教学楼建设工程", "project_type": "works", "method": "open", "tenderer": "县教育体育局",
            "budget": "2380.00", "announced_on": "2026-10-20", "opening_on": "2026-11-10", "supervisor": supervisor.pk,
            "irregularities-TOTAL_FORMS": "1", "irregularities-INITIAL_FORMS": "0",
            "irregularities-0-found_on": "2026-11-10", "irregularities-0-description": "投标保证金到账核查记录不全",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = BiddingEvent.objects.get()
    assert (event.status, event.created_by, event.budget, event.irregularities.count()) == (
        EventStatus.REGISTERED, office.user, Decimal("2380.00"), 1,
    )  # fmt: skip
    assert event.history.get().history_user == office.user


def test_an_attachment_of_a_forbidden_type_is_refused_in_chinese(make_event):
    event = make_event(opening_on=D(2026, 11, 10))
    attachment = BiddingAttachment(event=event, title="开标记录", file=SimpleUploadedFile("开标记录.exe", b"MZ"))
    with pytest.raises(ValidationError) as refused:
        attachment.full_clean()
    assert "只能上传以下类型的文件" in refused.value.message_dict["file"][0]
    assert "exe" in refused.value.message_dict["file"][0]


def test_a_user_without_the_permission_cannot_register_an_event(window_clerk):
    with pytest.raises(PermissionDenied):
        services.event_register(user=window_clerk.user, name="某项目", project_type="works", method="open", tenderer="某单位", opening_on=D(2026, 11, 10))
