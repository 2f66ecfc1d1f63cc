"""`manage.py check_case_numbers` (casework.numbering): the case numbers of each window's day are 1..N,
with the counter at N; `make loadtest` runs it after the load."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from casework import services
from casework.models import Case, CaseCounter
from casework.numbering import number_gaps

from tests.casework.conftest import PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_receipts(official_calendar, committed_item, market_window, clerk):
    return [services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON) for _ in range(3)]


def test_numbers_taken_one_after_another_have_no_gap(three_receipts):
    assert [case.number.rsplit("-", 1)[1] for case in three_receipts] == ["0001", "0002", "0003"]
    assert number_gaps() == []
    output = io.StringIO()
    call_command("check_case_numbers", "--since", timezone.localdate().isoformat(), stdout=output)
    assert "编号连续" in output.getvalue()


def test_a_planted_gap_is_found_and_named_by_window_day_and_number(three_receipts):
    Case.objects.filter(pk=three_receipts[1].pk).delete()  # number 0002 taken, its case gone
    gaps = number_gaps()
    assert [(gap.window, gap.missing, gap.counter, gap.cases) for gap in gaps] == [("01", [2], 3, 2)]
    errors = io.StringIO()
    with pytest.raises(CommandError, match="办件编号有 1 处不连续"):
        call_command("check_case_numbers", stderr=errors)
    assert f"窗口 01,{timezone.localdate():%Y-%m-%d}:缺号 2" in errors.getvalue()


def test_a_counter_ahead_of_its_cases_is_a_gap(three_receipts):
    CaseCounter.objects.update(last=5)  # two numbers counted and never used
    assert [(gap.missing, gap.counter) for gap in number_gaps()] == [([4, 5], 5)]


def test_a_date_that_is_no_date_is_refused_in_chinese(db):
    with pytest.raises(CommandError, match="「昨天」不是日期"):
        call_command("check_case_numbers", "--since", "昨天")
