"""Notices carry the dates, window and rights the regulations require (S1.2-a, S5.6-b, S5.6-f, S1.2-c)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from casework import services
from casework.models import Case, CaseworkSettings, NoticeKind, NoticeTemplate
from tests.casework.conftest import PERSON, at

pytestmark = pytest.mark.django_db
D = datetime.date


def accepted_case(item, window, clerk, day):
    case = services.case_receive(item=item, window=window, user=clerk.user, received_at=at(day), **PERSON)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    return services.case_accept(case=case, user=clerk.user, accepted_on=day)


def test_the_acceptance_notice_names_the_committed_date_and_the_collection_date(
    official_calendar, committed_item, market_window, clerk
):
    settings = CaseworkSettings.load()
    settings.collection_days_after_completion = 1
    settings.save()
    case = accepted_case(committed_item, market_window, clerk, D(2026, 9, 29))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert notice.number == f"大行服受字〔{datetime.date.today().year}〕1号"
    assert "张三：" in notice.body
    assert "办件编号：01-20260929-0001" in notice.body
    assert "承诺办结时限为10个工作日，我们将于2026年10月19日前办结" in notice.body
    assert "请于2026年10月20日起凭本通知书到01号窗口（市场主体登记）领取办理结果" in notice.body
    assert "监督投诉电话：0797-8722345" in notice.body


def test_an_issued_notice_does_not_change_when_the_template_is_edited(
    official_calendar, committed_item, market_window, clerk
):
    case = accepted_case(committed_item, market_window, clerk, D(2026, 9, 29))
    body = case.notices.get().body
    template = NoticeTemplate.objects.get(kind=NoticeKind.ACCEPTANCE)
    template.body = "改过的模板 {{ case.number }}"
    template.save()
    assert case.notices.get().body == body


def test_a_broken_template_is_reported_to_the_administrator_in_chinese(committed_item, market_window, clerk):
    NoticeTemplate.objects.filter(kind=NoticeKind.ACCEPTANCE).update(body="{% if %}")
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    with pytest.raises(ValidationError, match="文书模板「受理通知书」有误,请管理员修改:正文模板有语法错误"):
        services.case_accept(case=case, user=clerk.user)


def test_the_completion_notice_tells_where_to_collect_the_result(official_calendar, committed_item, market_window, clerk):
    case = accepted_case(committed_item, market_window, clerk, D(2026, 9, 29))
    services.case_start(case=case, user=clerk.user)
    services.case_approve(case=case, user=clerk.user)
    body = case.notices.get(kind=NoticeKind.COMPLETION).body
    assert "办理结果：准予办理，请凭本通知书到01号窗口（市场主体登记）领取食品经营许可证" in body


def test_assisted_filling_is_recorded_with_what_was_helped(committed_item, market_window, clerk):
    with pytest.raises(ValidationError, match="协助填表须写明协助内容"):
        services.case_receive(item=committed_item, window=market_window, user=clerk.user, assisted=True, **PERSON)
    case = services.case_receive(
        item=committed_item, window=market_window, user=clerk.user, assisted=True, assisted_note="代填申请书", **PERSON
    )
    assert (case.assisted, case.assisted_note) == (True, "代填申请书")


def test_urgent_cases_sort_first(committed_item, market_window, clerk):
    ordinary = services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    urgent = services.case_receive(
        item=committed_item, window=market_window, user=clerk.user, priority=True,
        received_at=at(D(2026, 1, 5)), **PERSON,
    )
    assert list(Case.objects.all()) == [urgent, ordinary]


@pytest.mark.parametrize("tag", ["{% debug %}", "{% include 'admin/base.html' %}", "{% load static %}"])
def test_notice_templates_refuse_tags_that_read_files_or_dump_the_context(tag):
    from casework.services.notice_templates import notice_template_errors

    errors = notice_template_errors(f"{{{{ case.number }}}} {tag}")
    assert len(errors) == 1 and errors[0].startswith("文书模板不能使用这些标签:")
    assert notice_template_errors("{% if case %}{{ case.number }}{% endif %}") == []
