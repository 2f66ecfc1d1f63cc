"""待我办理 for the casework and staffing kinds (issue 17): each kind reaches the person it waits for,
not a colleague of another department; its line opens the list filtered to exactly those records;
我的已办 counts what the user did in the last 30 days. Both in a fixed number of queries."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from casework import services
from casework.models import Complaint
from meetings.models import MeetingsSettings
from project import inbox
from staffing import roles
from staffing.models import AccountabilityRecord, Window
from staffing.services import accountability_open
from tests.casework.conftest import PERSON

pytestmark = pytest.mark.django_db


def grant(staff, *codenames):
    for codename in codenames:
        app_label, code = codename.split(".")
        staff.user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=code))
    # Drop Django's per-user permission cache.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        staff.user.__dict__.pop(attr, None)


def lines(user) -> dict:
    return {line.key: line for line in inbox.waiting_counts(user)}


@pytest.fixture
def world(two_departments, make_staff, committed_item, market_window, clerk, deputy):
    market, police = two_departments
    office = make_staff(market, role=roles.OFFICE_STAFF, name="赖美玲")
    complaint = services.complaint_register(user=office.user, channel="phone", content="窗口态度差", window=market_window)
    services.complaint_register(user=office.user, channel="phone", content="已答复的投诉", window=market_window)
    answered = Complaint.objects.get(content="已答复的投诉")
    services.complaint_resolve(complaint=answered, user=office.user, findings="已核实", upheld=False, reply="已说明")
    record, _ = accountability_open(
        violation="upheld_complaint", source=complaint, department=market, description="投诉属实", user=office.user
    )
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user)
    extension = services.case_request_extension(case=case, user=clerk.user, days=3, reason="需专家评审")
    police_leader = make_staff(police, role=roles.LEADER_IN_CHARGE, name="公安分管", leader_role="in_charge")
    police.leader_in_charge = police_leader
    police.save()
    return {
        "office": office, "complaint": complaint, "record": record, "extension": extension,
        "deputy": deputy, "police_leader": police_leader, "market": market, "police": police,
    }


def test_open_complaints_wait_for_the_office_and_the_line_lists_exactly_them(client, world):
    office = world["office"]
    line = lines(office.user)["casework.complaint_answer"]
    assert (line.label, line.count) == ("投诉举报待办理答复", 1)
    client.force_login(office.user)
    listed = client.get(line.url)
    assert [c.pk for c in listed.context["cl"].result_list] == [world["complaint"].pk]


def test_open_accountability_records_wait_for_whoever_decides_them(client, world):
    office = world["office"]
    line = lines(office.user)["staffing.accountability_decide"]
    assert (line.label, line.count) == ("责任追究待处理", 1)
    client.force_login(office.user)
    listed = client.get(line.url)
    assert [r.pk for r in listed.context["cl"].result_list] == [world["record"].pk]


def test_a_colleague_of_another_department_gets_neither_even_with_the_permissions(world, make_staff):
    stranger = make_staff(world["police"], role=roles.SECTION_HEAD, name="公安股长")
    grant(stranger, "casework.change_complaint", "staffing.change_accountabilityrecord")
    assert not {"casework.complaint_answer", "staffing.accountability_decide"} & set(lines(stranger.user))
    insider = make_staff(world["market"], role=roles.SECTION_HEAD, name="市场股长")
    grant(insider, "casework.change_complaint", "staffing.change_accountabilityrecord")
    got = lines(insider.user)
    assert got["casework.complaint_answer"].count == 1 and got["staffing.accountability_decide"].count == 1


def test_a_pending_extension_waits_for_its_leader_in_charge_only_and_the_line_is_filtered(client, world):
    line = lines(world["deputy"].user)["casework.extension_approval"]
    assert line.count == 1 and line.url.endswith("?awaiting=me")
    assert "casework.extension_approval" not in lines(world["police_leader"].user)
    client.force_login(world["deputy"].user)
    assert [e.pk for e in client.get(line.url).context["cl"].result_list] == [world["extension"].pk]
    client.force_login(world["police_leader"].user)
    assert list(client.get(line.url).context["cl"].result_list) == []


def test_the_clerk_has_nothing_of_the_office_in_the_inbox(world, clerk):
    assert not {"casework.complaint_answer", "staffing.accountability_decide", "casework.extension_approval"} & set(
        lines(clerk.user)
    )


def test_the_inbox_counts_in_a_fixed_number_of_queries(world, django_assert_max_num_queries, make_staff, market_window):
    office = world["office"]
    office.user = type(office.user).objects.get(pk=office.user.pk)
    MeetingsSettings.load()  # stored once, as in a running center
    # The groups, the permissions (two), who approves room bookings (a setting), one count for every kind.
    with django_assert_max_num_queries(5):
        first = inbox.waiting_counts(office.user)
    for n in range(5):
        services.complaint_register(user=office.user, channel="phone", content=f"投诉{n}", window=market_window)
    office.user = type(office.user).objects.get(pk=office.user.pk)
    with django_assert_max_num_queries(5):
        again = inbox.waiting_counts(office.user)
    assert {l.key: l.count for l in again}["casework.complaint_answer"] == 6
    assert len(first) == len(again)


def test_my_done_work_counts_my_history_rows_per_record_type_in_one_query(
    client, world, clerk, django_assert_num_queries
):
    with django_assert_num_queries(1):
        done = {line.label: line for line in inbox.done_counts(clerk.user)}
    case_line = done["办件管理 · 办件"]
    assert case_line.records == 1 and case_line.actions >= 2
    assert case_line.url.startswith(reverse("history_timeline") + f"?user={clerk.user.pk}&model=casework.Case&start=")
    assert not any("投诉" in label for label in done)  # the office registered those
    client.force_login(clerk.user)
    page = client.get(case_line.url)
    assert page.status_code == 200 and page.context["title"] == "我的已办"
    assert client.get(reverse("history_timeline")).status_code == 403  # the whole timeline stays for reviewers
    other = client.get(reverse("history_timeline") + f"?user={world['office'].user.pk}")
    assert other.status_code == 403


def test_the_index_shows_my_done_work_beside_the_inbox(client, world):
    client.force_login(world["office"].user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "待我办理" in html and "我的已办" in html and "投诉举报待办理答复" in html
    assert "办件管理 · 投诉举报" in html
