"""S3.6-d: each recipient handles within three working days, or gives the reason and an expected date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents import selectors, services
from documents.models import CirculationState, DocumentsSettings
from staffing import roles
from staffing.models import Post, PostSubstitute, Whereabouts, WhereaboutsStatus
from tests.documents.conftest import registered

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def test_the_three_days_skip_a_weekend(people, two_departments):
    assert services.circulation_due(D(2026, 11, 26)) == D(2026, 12, 1)  # Thu → Fri, Mon, Tue


def test_the_three_days_skip_the_national_day_holiday(official_calendar):
    assert services.circulation_due(D(2026, 9, 29)) == D(2026, 10, 9)  # 9/30, 10/8, 10/9


def test_calendar_days_are_a_setting(official_calendar):
    settings = DocumentsSettings.load()
    settings.circulation_working_days = False
    settings.save()
    assert services.circulation_due(D(2026, 9, 29)) == D(2026, 10, 2)


def test_circulating_to_two_departments_gives_each_a_due_date(people, two_departments, official_calendar):
    document = registered(people)
    market, police = two_departments
    rows = services.document_circulate(document=document, user=people["office"].user, departments=[market, police], received_on=D(2026, 9, 29))
    assert [(row.department, row.due_date) for row in rows] == [(market, D(2026, 10, 9)), (police, D(2026, 10, 9))]


def test_a_draft_cannot_be_circulated(people, two_departments):
    from documents.models import DocumentCategory

    draft = services.document_draft(user=people["drafter"].user, category=DocumentCategory.objects.get(name="中心文件"), title="草稿")
    with pytest.raises(ValidationError, match="文件登记编号后才能分发办理"):
        services.document_circulate(document=draft, user=people["office"].user, departments=[two_departments[0]])


def test_feedback_and_a_delay_reason_and_the_overdue_list(travel, people, two_departments, official_calendar):
    travel(D(2026, 11, 6))
    market, police = two_departments
    document = registered(people)
    done, late = services.document_circulate(
        document=document, user=people["office"].user, departments=[market, police], received_on=D(2026, 11, 2)
    )
    with pytest.raises(PermissionDenied, match="只有承办部门的人员可以办理该文件"):
        services.circulation_feedback(circulation=done, user=people["police_clerk"].user, feedback="已办")
    with pytest.raises(ValidationError, match="请填写办理结果"):
        services.circulation_feedback(circulation=done, user=people["drafter"].user, feedback=" ")
    services.circulation_feedback(circulation=done, user=people["drafter"].user, feedback="已组织学习并落实")
    assert done.state == CirculationState.DONE

    assert list(selectors.overdue_circulations(today=D(2026, 11, 6))) == [late]
    with pytest.raises(ValidationError, match="请写明未能按期办结的原因"):
        services.circulation_delay(circulation=late, user=people["police_clerk"].user, reason="", expected_on=timezone.localdate())
    services.circulation_delay(
        circulation=late, user=people["police_clerk"].user, reason="需协调户籍系统升级", expected_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    assert list(selectors.overdue_circulations(today=timezone.localdate())) == []
    assert list(selectors.overdue_circulations(today=timezone.localdate() + datetime.timedelta(days=6))) == [late]


def test_the_acting_b_holder_handles_a_document_sent_to_an_absent_a_holder(people, two_departments, make_staff):
    market, _ = two_departments
    a_holder, b_holder = people["drafter"], make_staff(market, role=roles.WINDOW_STAFF, name="李四")
    post = Post.objects.create(name="综合岗", department=market, a_holder=a_holder)
    PostSubstitute.objects.create(post=post, staff=b_holder, order=1)
    document = registered(people)
    (circulation,) = services.document_circulate(document=document, user=people["office"].user, staff=[a_holder])
    with pytest.raises(PermissionDenied, match="该文件由李春梅办理"):
        services.circulation_feedback(circulation=circulation, user=b_holder.user, feedback="已阅")
    now = timezone.now()
    Whereabouts.objects.create(
        staff=a_holder, status=WhereaboutsStatus.TRIP, reason="出差", starts_at=now - datetime.timedelta(hours=1),
        returns_at=now + datetime.timedelta(days=2),
    )
    services.circulation_feedback(circulation=circulation, user=b_holder.user, feedback="已阅办")
    assert (circulation.handled_by, circulation.acting_for) == (b_holder, a_holder)


def test_the_sweep_opens_one_accountability_record_per_overdue_recipient(people, two_departments, official_calendar):
    from staffing.models import AccountabilityRecord, Violation

    market, police = two_departments
    document = registered(people)
    done, late = services.document_circulate(
        document=document, user=people["office"].user, departments=[market, police], received_on=D(2026, 11, 2)
    )
    services.circulation_feedback(circulation=done, user=people["drafter"].user, feedback="已落实")
    assert services.sweep_circulation(today=D(2026, 11, 5)) == 0  # due 11/5: not yet overdue
    assert services.sweep_circulation(today=D(2026, 11, 6)) == 1
    assert services.sweep_circulation(today=D(2026, 11, 9)) == 0
    record = AccountabilityRecord.objects.get()
    assert (record.violation, record.department, record.source) == (Violation.OVERDUE_DOCUMENT, police, late)
