"""Issue 20: the timeline costs a fixed number of queries, whatever the number of rows on the page.

The records on these pages are named by their own `__str__`, which reads more than the history row:
a post names its department, a B-post holder its staff, an approval rule the center's titles
(a control panel), a service item fields its history leaves out. Their diffs name related records
as they stood then and as they stand now. None of that may cost a query per row.
"""

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from project import history
from registry.models import HandlingMode, ItemStatus, ItemType, ServiceItem
from staffing import roles
from staffing.models import ApprovalRule, Department, Post, PostSubstitute, Window

pytestmark = pytest.mark.django_db

# What matters is that the count does not grow with the rows. It grows with the kinds of records on
# the page (about three queries each: their rows, their previous versions, the related records their
# names and diffs read): the unfiltered first page here holds a dozen kinds and needs about 50.
BUDGET = 60
numbers = itertools.count(1)


@pytest.fixture
def inspector(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.INSPECTOR, name="蓝晓燕")


@pytest.fixture
def actor(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.CENTER_ADMIN, name="李春梅")


@pytest.fixture
def holder(two_departments, make_staff):
    return make_staff(two_departments[0], name="王芳")


def saved_by(record, user):
    record._history_user = user
    record.save()
    return record


def add_changes(rounds, *, actor, holder, departments):
    """Five history rows of five kinds a round, all made by `actor`: a post created and moved to the
    other department, a B-post holder, an approval rule and a service item."""
    window = Window.objects.get(department=departments[0])
    for _ in range(rounds):
        n = next(numbers)
        post = saved_by(Post(name=f"综合受理岗{n}", department=departments[0], a_holder=holder), actor.user)
        post.department = departments[1]
        saved_by(post, actor.user)
        saved_by(PostSubstitute(post=post, staff=holder, order=1), actor.user)
        saved_by(ApprovalRule(kind="fund", above=Decimal(n * 1000), up_to=Decimal(n * 1000 + 500), approvers="main_leader"), actor.user)
        saved_by(
            ServiceItem(
                code=f"HQ{n:05d}", name=f"事项{n}", item_type=ItemType.LICENSING, department=departments[0], window=window,
                handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20, committed_limit_days=10, legal_basis="《条例》",
                procedure="受理→决定", contact="李春梅", phone="0797-8721111", complaint_phone="0797-8722345",
                status=ItemStatus.ACTIVE, disclosure_complete=True,
            ),
            actor.user,
        )
    return post


def timeline_queries(client, params) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("history_timeline"), params)
    assert response.status_code == 200
    return len(captured), response.context["entries"]


def test_the_timeline_costs_the_same_queries_for_5_and_for_60_rows_of_mixed_records(
    client, inspector, actor, holder, two_departments, django_assert_max_num_queries
):
    client.force_login(inspector.user)
    client.get(reverse("history_timeline"))  # the first request creates the settings rows it reads
    pages = {"filtered": {"user": actor.user.pk}, "by app": {"app": "registry"}}
    add_changes(1, actor=actor, holder=holder, departments=two_departments)
    for params in pages.values():  # the first names of a kind of record teach which related records they read
        timeline_queries(client, params)
    small = {name: timeline_queries(client, params) for name, params in pages.items()}
    assert len(small["filtered"][1]) == 5
    assert {e.model for e in small["filtered"][1]} == {Post, PostSubstitute, ApprovalRule, ServiceItem}
    with django_assert_max_num_queries(BUDGET):
        client.get(reverse("history_timeline"))

    add_changes(11, actor=actor, holder=holder, departments=two_departments)
    large = {name: timeline_queries(client, params) for name, params in pages.items()}
    assert len(large["filtered"][1]) == 50  # a full page of the 60 rows
    for name in pages:
        assert large[name][0] == small[name][0], f"{name}: {small[name][0]} queries for a few rows, {large[name][0]} for a page"
    with django_assert_max_num_queries(BUDGET):
        client.get(reverse("history_timeline"))
    with django_assert_max_num_queries(BUDGET):
        client.get(reverse("history_timeline"), pages["filtered"])


def test_one_records_history_costs_the_same_queries_for_5_and_for_60_versions(
    client, inspector, actor, holder, two_departments, django_assert_max_num_queries
):
    post = saved_by(Post(name="综合受理岗", department=two_departments[0], a_holder=holder), actor.user)
    client.force_login(inspector.user)
    client.get(reverse("history_timeline"))

    def move(times):
        for _ in range(times):
            post.department = two_departments[1] if post.department == two_departments[0] else two_departments[0]
            post.name = f"综合受理岗{next(numbers)}"
            saved_by(post, actor.user)

    params = {"model": "staffing.Post", "object": post.pk}
    move(4)
    timeline_queries(client, params)
    few, entries = timeline_queries(client, params)
    assert len(entries) == 5
    move(55)
    many, entries = timeline_queries(client, params)
    assert len(entries) == 50
    assert many <= few  # the creation, which names the post's A-post holder, is off the page now
    with django_assert_max_num_queries(BUDGET):
        client.get(reverse("history_timeline"), params)


def test_the_batched_names_are_the_names_each_record_gives_itself(actor, holder, two_departments):
    """The page names records exactly as `str()` of each history row's record did, one by one."""
    add_changes(3, actor=actor, holder=holder, departments=two_departments)
    filters = history.Filters(user_id=actor.user.pk)
    entries = history.timeline_page(filters, size=50)
    assert len(entries) == 15
    for entry in entries:
        assert entry.record_label == f"{entry.model._meta.verbose_name}:{entry.row.instance}"
    moved = next(e for e in entries if e.model is Post and e.kind == "修改")
    department = next(c for c in moved.changes if c.field == "department")
    assert (department.old, department.new) == ("县市场监督管理局", "县公安局")
    substitute = next(e for e in entries if e.model is PostSubstitute)
    assert substitute.record_label == f"B岗责任人:B1:王芳({holder.badge_no})"
    rule = next(e for e in entries if e.model is ApprovalRule)
    assert rule.record_label.endswith("→ 中心主任")


def test_a_record_whose_related_record_is_gone_is_named_by_its_kind(actor, holder, two_departments):
    """A deleted post's history row names a department deleted since: the entry shows its kind."""
    department = Department.objects.create(name="临时专班")
    post = saved_by(Post(name="临时岗", department=department, a_holder=holder), actor.user)
    post.delete()
    department.delete()
    entries = history.timeline_page(history.Filters(model_label="staffing.Post"), size=50)
    assert [e.record_label for e in entries] == ["岗位(AB岗)", "岗位(AB岗)"]
