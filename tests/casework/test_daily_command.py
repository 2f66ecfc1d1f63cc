"""The daily timer's command: receipts left without a decision are deemed accepted (行政许可法 art. 32)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casework import services
from casework.models import CaseStatus
from tests.casework.conftest import PERSON, at

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def run(**options):
    out = StringIO()
    call_command("casework_daily", stdout=out, **options)
    return out.getvalue()


def test_the_daily_command_deems_an_overdue_receipt_accepted(committed_item, market_window, clerk, official_calendar):
    case = services.case_receive(
        item=committed_item, window=market_window, user=clerk.user, received_at=at(D(2026, 11, 2)), **PERSON
    )
    assert case.acceptance_deadline == D(2026, 11, 9)  # five working days after Monday 2 November

    assert run(date="2026-11-09") == "2026-11-09:没有逾期未受理的收件。\n"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED

    assert run(date="2026-11-10") == "2026-11-10:1件收件逾期未作出受理决定,已依法视为受理。\n"
    case.refresh_from_db()
    assert (case.status, case.deemed_accepted, case.accepted_on) == (CaseStatus.ACCEPTED, True, D(2026, 11, 2))
    assert case.committed_due_date is not None

    assert run(date="2026-11-11") == "2026-11-11:没有逾期未受理的收件。\n"


def test_a_malformed_date_is_refused_in_chinese():
    with pytest.raises(CommandError, match="日期「2026/11/10」格式不对"):
        run(date="2026/11/10")
