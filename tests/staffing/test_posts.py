"""S1.9-a: every post has an A holder and at least one ordered B holder."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from staffing import roles, selectors, services
from staffing.models import Post, PostSubstitute

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(two_departments, make_staff):
    market, _ = two_departments
    return {
        "market": market,
        "admin": make_staff(market, role=roles.CENTER_ADMIN),
        "a": make_staff(market, name="张三"),
        "b1": make_staff(market, name="李四"),
        "b2": make_staff(market, name="王五"),
    }


def post_form(people, substitutes):
    data = {
        "name": "企业登记岗",
        "department": people["market"].pk,
        "a_holder": people["a"].pk,
        "duties": "",
        "substitutes-TOTAL_FORMS": str(len(substitutes)),
        "substitutes-INITIAL_FORMS": "0",
        "substitutes-MIN_NUM_FORMS": "0",
        "substitutes-MAX_NUM_FORMS": "1000",
    }
    for index, (staff, order) in enumerate(substitutes):
        data[f"substitutes-{index}-staff"] = staff.pk if staff else ""
        data[f"substitutes-{index}-order"] = order
    return data


def test_a_post_without_a_b_holder_is_refused_with_the_rule_named(client, people):
    client.force_login(people["admin"].user)
    response = client.post(reverse("admin:staffing_post_add"), post_form(people, [(None, 1)]))
    assert response.status_code == 200
    assert "岗位「企业登记岗」没有B岗责任人" in response.content.decode()
    assert not Post.objects.exists()


def test_a_post_with_ordered_b_holders_is_saved(client, people):
    client.force_login(people["admin"].user)
    response = client.post(
        reverse("admin:staffing_post_add"), post_form(people, [(people["b1"], 1), (people["b2"], 2)])
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert [s.staff.name for s in post.substitutes.all()] == ["李四", "王五"]


def test_the_a_holder_cannot_also_be_a_b_holder(client, people):
    client.force_login(people["admin"].user)
    response = client.post(reverse("admin:staffing_post_add"), post_form(people, [(people["a"], 1)]))
    assert response.status_code == 200
    assert "已是该岗位的A岗责任人,不能同时担任B岗" in response.content.decode()
    assert not Post.objects.exists()


def test_the_substitute_check_raises_in_chinese(people):
    post = Post(name="收件岗", a_holder=people["a"])
    with pytest.raises(ValidationError, match="没有B岗责任人"):
        services.post_check_substitutes(post=post, substitutes=[])
    with pytest.raises(ValidationError, match="已是该岗位的A岗责任人"):
        services.post_check_substitutes(post=post, substitutes=[people["b1"], people["a"]])
    services.post_check_substitutes(post=post, substitutes=[people["b1"]])


def test_the_list_filter_and_selector_report_posts_without_a_b_holder(client, people):
    lonely = Post.objects.create(name="档案岗", department=people["market"], a_holder=people["a"])
    covered = Post.objects.create(name="收件岗", department=people["market"], a_holder=people["a"])
    PostSubstitute.objects.create(post=covered, staff=people["b1"], order=1)

    assert list(selectors.posts_without_substitute()) == [lonely]

    client.force_login(people["admin"].user)
    missing = client.get(reverse("admin:staffing_post_changelist"), {"b_holder": "missing"})
    present = client.get(reverse("admin:staffing_post_changelist"), {"b_holder": "present"})
    assert [p.name for p in missing.context["cl"].result_list] == ["档案岗"]
    assert [p.name for p in present.context["cl"].result_list] == ["收件岗"]
    assert "缺少B岗" in missing.content.decode()
