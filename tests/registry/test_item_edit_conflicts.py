"""Two administrators editing one catalog item: the change form saves only if nobody changed the item
since it was opened (optimistic locking, a version in a hidden field); a status service bumps the
version too. On PostgreSQL, two saves from the same starting version: exactly one wins."""

import threading
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from registry import services
from registry.models import HandlingMode, ItemType, ServiceItem
from staffing import roles
from staffing.models import Department, DepartmentKind
from tests.admin_forms import page_data


def change_url(item):
    return reverse("admin:registry_serviceitem_change", args=[item.pk])


def make_item(department):
    return ServiceItem.objects.create(
        code="000001", name="食品经营许可", item_type=ItemType.LICENSING, department=department,
        handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20, committed_limit_days=10,
        contact="李春梅", phone="0797-8721111",
    )


@pytest.fixture
def item(two_departments):
    return make_item(two_departments[0])


@pytest.fixture
def admins(two_departments, make_staff):
    return [make_staff(two_departments[0], role=roles.CENTER_ADMIN, name=name) for name in ("赖美玲", "王丽华")]


def opened(client, user, item):
    client.force_login(user)
    page = client.get(change_url(item))
    assert page.status_code == 200
    return page_data(page)


@pytest.mark.django_db
def test_a_stale_item_form_is_refused_naming_the_field_the_other_administrator_changed(client, item, admins):
    first, second = admins
    stale = {**opened(client, first.user, item), "contact": "王五"}

    saved = client.post(change_url(item), {**opened(client, second.user, item), "phone": "0797-8720000"})
    assert saved.status_code == 302

    client.force_login(first.user)
    refused = client.post(change_url(item), stale)
    assert refused.status_code == 200
    assert (
        f"政务服务事项「{item}」在您打开本页后已被他人修改,您的修改没有保存。"
        "其间的修改:咨询电话:0797-8721111 → 0797-8720000(王丽华修改)。"
    ) in refused.content.decode()
    assert refused.context["adminform"].form["contact"].value() == "王五"  # the input is kept
    item.refresh_from_db()
    assert (item.contact, item.phone) == ("李春梅", "0797-8720000")


@pytest.mark.django_db
def test_an_item_form_opened_before_a_status_change_is_refused(client, item, admins):
    first, second = admins
    stale = {**opened(client, first.user, item), "contact": "王五"}

    services.item_set_status(item=item, status="suspended", user=second.user)

    refused = client.post(change_url(item), stale)
    assert refused.status_code == 200
    assert "状态:草稿 → 暂停(王丽华修改)" in refused.content.decode()
    item.refresh_from_db()
    assert (item.status, item.contact) == ("suspended", "李春梅")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_let_exactly_one_win():
    department = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    item = make_item(department)
    users = [get_user_model().objects.create_superuser(f"admin{n}", password="x") for n in (1, 2)]
    clients, posts = [], []
    for n, user in enumerate(users):
        client = Client()
        posts.append({**opened(client, user, item), "contact": f"联系人{n}"})
        clients.append(client)

    barrier, statuses, errors = threading.Barrier(2), [], []
    original_save = ServiceItem.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.5)  # the winner holds its transaction open while the other one posts
        original_save(self, *args, **kwargs)

    def post(client, data):
        try:
            barrier.wait()
            statuses.append(client.post(change_url(item), data).status_code)
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(ServiceItem, "save", slow_save):
        threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, posts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert sorted(statuses) == [200, 302]  # one saved, one shown the conflict
    item.refresh_from_db()
    assert item.version == 1
    assert item.history.filter(version=1).count() == 1
