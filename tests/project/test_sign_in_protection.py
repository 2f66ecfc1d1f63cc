"""Issue 21: sign-in lock-out by account *and* address (django-axes), its records, limits and unlocking."""

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from project.models import LoginEvent, SecuritySettings
from staffing import roles

pytestmark = pytest.mark.django_db

PASSWORD = "测试密码-2026"
LOCKED = "该账号因连续多次登录失败已被锁定"


@pytest.fixture
def owner(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.cn", PASSWORD)


def sign_in(client, username, password, address):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def kinds(username):
    return list(LoginEvent.objects.filter(username=username).order_by("at", "pk").values_list("kind", "address"))


def test_failures_from_five_addresses_do_not_lock_the_owner_out_on_a_sixth(client, owner):
    for n in range(1, 6):
        response = sign_in(client, "admin", "错误密码", f"10.0.0.{n}")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = sign_in(client, "admin", PASSWORD, "192.168.1.20")
    assert response.status_code == 302
    assert kinds("admin") == [("failed", f"10.0.0.{n}") for n in range(1, 6)] + [("login", "192.168.1.20")]


def test_five_failures_from_one_address_lock_that_address_only_and_the_attempts_during_the_lock_are_recorded(client, owner):
    for _ in range(4):
        assert LOCKED not in sign_in(client, "admin", "错误密码", "10.0.0.9").content.decode()
    fifth = sign_in(client, "admin", "错误密码", "10.0.0.9")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()

    # The right password from the locked address is refused, and recorded as refused while locked.
    during = sign_in(client, "admin", PASSWORD, "10.0.0.9")
    assert during.status_code == 429
    page = during.content.decode()
    assert LOCKED in page and "请于" in page and "联系中心管理员" in page
    assert "_auth_user_id" not in client.session
    assert kinds("admin") == [("failed", "10.0.0.9")] * 5 + [("locked", "10.0.0.9")]

    # The owner at their own desk is not locked.
    assert sign_in(client, "admin", PASSWORD, "192.168.1.20").status_code == 302


def test_the_lock_ends_after_the_cool_off_of_the_security_settings(client, owner):
    settings = SecuritySettings.load()
    settings.max_failed_logins, settings.lockout_minutes = 3, 30
    settings.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):
            sign_in(client, "admin", "错误密码", "10.0.0.9")
        clock.move_to(start + datetime.timedelta(minutes=29))
        assert LOCKED in sign_in(client, "admin", PASSWORD, "10.0.0.9").content.decode()
        clock.move_to(start + datetime.timedelta(minutes=31))
        assert sign_in(client, "admin", PASSWORD, "10.0.0.9").status_code == 302
    assert [kind for kind, _ in kinds("admin")] == ["failed"] * 3 + ["locked", "login"]


def test_a_center_admin_lifts_a_lock_from_the_sign_in_records(client, owner, two_departments, make_staff):
    for _ in range(5):
        sign_in(client, "admin", "错误密码", "10.0.0.9")
    assert LOCKED in sign_in(client, "admin", PASSWORD, "10.0.0.9").content.decode()

    center_admin = make_staff(two_departments[0], role=roles.CENTER_ADMIN)
    other = make_staff(two_departments[0], role=roles.INSPECTOR)
    changelist = reverse("admin:project_loginevent_changelist")
    locked_event = LoginEvent.objects.filter(kind="locked").get()
    action = {"action": "unlock", "_selected_action": [locked_event.pk]}

    staff_client = client.__class__()
    staff_client.force_login(other.user)
    assert staff_client.get(changelist).context["action_form"] is None  # an inspector is offered no action
    staff_client.post(changelist, action)
    assert LOCKED in sign_in(client, "admin", PASSWORD, "10.0.0.9").content.decode()

    staff_client.force_login(center_admin.user)
    response = staff_client.post(changelist, action, follow=True)
    assert "已解除 1 个账号/地址的登录锁定:admin(10.0.0.9)" in response.content.decode()
    assert sign_in(client, "admin", PASSWORD, "10.0.0.9").status_code == 302
    unlocked = LoginEvent.objects.get(kind="unlocked")
    assert (unlocked.username, unlocked.address, unlocked.history.get().history_user) == ("admin", "10.0.0.9", center_admin.user)


def test_the_sign_in_records_filter_the_refusals_during_a_lock(client, owner, two_departments, make_staff):
    for _ in range(6):
        sign_in(client, "admin", "错误密码", "10.0.0.9")
    inspector = make_staff(two_departments[1], role=roles.INSPECTOR)
    client.force_login(inspector.user)
    response = client.get(reverse("admin:project_loginevent_changelist"), {"kind": "locked"})
    assert response.status_code == 200
    assert [event.kind for event in response.context["cl"].result_list] == ["locked"]
    assert "账号锁定中被拒绝" in response.content.decode()


def test_the_lock_out_libraries_own_admin_pages_are_not_shown_in_english(admin_client):
    assert not {model._meta.app_label for model in admin.site._registry} & {"axes"}
    assert "Access" not in admin_client.get("/admin/").content.decode()


@pytest.mark.parametrize("length", [200, 300])
def test_an_overlong_username_gets_the_normal_error_not_a_server_error(client, length):
    """On PostgreSQL, saving the failure of a 200-character username broke varchar(150): a 500."""
    response = sign_in(client, "甲" * length, "错误密码", "10.0.0.9")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert LoginEvent.objects.get().username == "甲" * 150


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("max_failed_logins", 0, "连续登录失败次数上限不能小于 3 次(填写的是 0)。"),
        ("max_failed_logins", 21, "连续登录失败次数上限不能大于 20 次(填写的是 21)。"),
        ("lockout_minutes", 0, "锁定时长不能小于 1 分钟(填写的是 0)。"),
        ("lockout_minutes", 1441, "锁定时长不能大于 1440 分钟,即一天(填写的是 1441)。"),
    ],
)
def test_the_security_settings_refuse_values_that_would_lock_everyone_out(admin_client, field, value, message):
    settings = SecuritySettings.load()
    form = {"max_failed_logins": 5, "lockout_minutes": 15, field: value}
    response = admin_client.post(reverse("admin:project_securitysettings_change", args=[settings.pk]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    settings.refresh_from_db()
    assert (settings.max_failed_logins, settings.lockout_minutes) == (5, 15)
