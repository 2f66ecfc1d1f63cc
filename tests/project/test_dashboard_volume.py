"""The dashboard at two volumes (issue 20): the same queries however many cases, none of them over the
cases table but the due-date indexes; its figures equal a recount over the cases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import selectors
from casework.models import Case, CaseStatus, CaseworkSettings
from staffing.models import CenterSettings
from tests.project.test_dashboard import clerk, deputy, desk, index, make_cases, market, officer, police  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def recount(cases, today):
    """The three figures straight from the cases, as the dashboard computed them before the rollups."""
    window = selectors.due_window(today)
    return {
        "received_today": cases.filter(received_on=today).count(),
        "overdue": selectors.cases_overdue(cases, today).count(),
        "due_soon": selectors.cases_due_soon(cases, window).count(),
    }


def more_cases(desk, clerk, officer, n):
    """n more cases of each kind the dashboard counts, and as many closed ones that it must not count."""
    today = timezone.localdate()
    earlier = today - datetime.timedelta(days=20)
    item, police_item = desk["market_item"], desk["police_item"]
    make_cases(n, item=item, staff=clerk, prefix=f"MT{n}", received_on=today)
    make_cases(n, item=police_item, staff=officer, prefix=f"PT{n}", received_on=today)
    make_cases(n, item=item, staff=clerk, prefix=f"MO{n}", received_on=earlier, status=CaseStatus.IN_PROGRESS,
               accepted_on=earlier, committed_due_date=today - datetime.timedelta(days=2))  # fmt: skip
    make_cases(n, item=police_item, staff=officer, prefix=f"PS{n}", received_on=earlier, status=CaseStatus.ACCEPTED,
               accepted_on=earlier, committed_due_date=today)  # fmt: skip
    make_cases(n, item=item, staff=clerk, prefix=f"MC{n}", received_on=earlier, status=CaseStatus.APPROVED,
               accepted_on=earlier, completed_on=today, committed_due_date=today - datetime.timedelta(days=2))  # fmt: skip


def test_the_dashboard_figures_equal_a_recount_of_the_cases_for_each_department_and_the_center(
    client, official_calendar, desk, clerk, officer, deputy, market, police
):
    more_cases(desk, clerk, officer, 7)
    today = timezone.localdate()
    for user, cases in (
        (clerk.user, Case.objects.filter(department=market)),
        (officer.user, Case.objects.filter(department=police)),
    ):
        intake = index(client, user).context["dashboard"]["intake"]
        shown = {name: intake[name] for name in ("received_today", "overdue", "due_soon")}
        assert shown == recount(cases, today)
    assert recount(Case.objects.filter(department=market), today) == {"received_today": 9, "overdue": 8, "due_soon": 1}
    assert selectors.deadline_counts(selectors.due_window(today)) == recount(Case.objects.all(), today)
    assert selectors.deadline_counts(selectors.due_window(today), []) == {"received_today": 0, "overdue": 0, "due_soon": 0}


def test_a_receipt_counts_on_the_dashboard_at_once(client, official_calendar, desk, clerk, market):
    """Today's intake comes from the day rollup, which Case.save keeps in the receipt's own transaction."""
    from casework import services
    from tests.casework.conftest import PERSON

    before = index(client, clerk.user).context["dashboard"]["intake"]["received_today"]
    item = desk["market_item"]
    services.case_receive(item=item, window=item.window, user=clerk.user, **PERSON)
    assert index(client, clerk.user).context["dashboard"]["intake"]["received_today"] == before + 1


@pytest.mark.parametrize("role", ["center", "department"])
def test_the_dashboard_reads_the_same_queries_at_two_volumes(client, official_calendar, desk, clerk, officer, deputy, role):
    user = clerk.user if role == "department" else deputy.user
    CenterSettings.load(), CaseworkSettings.load()
    index(client, user)  # warm the per-process caches

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return captured

    small = queries()
    more_cases(desk, clerk, officer, 200)
    client.get("/admin/")  # the writes above may expire a per-process cache: warm it again
    big = queries()
    assert len(big) == len(small) <= 20, [q["sql"][:120] for q in big.captured_queries]
    # Today's intake is read from the day rollup, not counted over the cases.
    counts = next(q["sql"] for q in big.captured_queries if "casework_casedaystatistics" in q["sql"])
    assert "committed_due_date" in counts and '"casework_case"."received_on"' not in counts
