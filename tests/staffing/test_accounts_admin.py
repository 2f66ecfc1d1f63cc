"""Issue 21: a center administrator manages accounts through the roles and cannot make anyone a superuser."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from staffing import roles

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Xk9-新的密码-2026"


def account_form(user, **changes) -> dict:
    """The user change form as the admin renders it for `user`, with `changes` applied."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "groups": [group.pk for group in user.groups.all()],
        "user_permissions": [permission.pk for permission in user.user_permissions.all()],
    }
    for flag in ("is_active", "is_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def errors_of(response) -> list[str]:
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]


@pytest.fixture
def center_admin(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.CENTER_ADMIN, name="钟管理")


@pytest.fixture
def clerk(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="李春梅")


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="root-密码-2026")


def test_a_center_admin_cannot_make_itself_or_another_account_a_superuser(client, center_admin, clerk):
    client.force_login(center_admin.user)

    for account in (center_admin.user, clerk.user):
        response = client.post(change_url(account), account_form(account, is_superuser="on"))

        assert response.status_code == 200
        assert "只有超级用户可以更改「超级用户状态」。" in errors_of(response)
        account.refresh_from_db()
        assert not account.is_superuser


def test_a_center_admin_cannot_grant_staff_status_or_direct_permissions(client, center_admin, django_user_model):
    plain = django_user_model.objects.create_user("visitor", password="访客-密码-2026")
    permission = Permission.objects.get(codename="change_group")
    client.force_login(center_admin.user)

    staff_status = client.post(change_url(plain), account_form(plain, is_staff="on"))
    direct = client.post(change_url(center_admin.user), account_form(center_admin.user, user_permissions=[permission.pk]))

    assert "只有超级用户可以更改「职员状态」。" in errors_of(staff_status)
    assert "只有超级用户可以更改「用户权限」。" in errors_of(direct)
    plain.refresh_from_db()
    assert not plain.is_staff
    assert not center_admin.user.user_permissions.exists()


def test_a_center_admin_cannot_open_or_change_a_superusers_account_or_password(client, center_admin, root):
    client.force_login(center_admin.user)

    assert client.get(change_url(root)).status_code == 403
    assert client.post(change_url(root), account_form(root, is_active=None)).status_code == 403
    assert client.get(password_url(root)).status_code == 403
    posted = {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(password_url(root), posted).status_code == 403

    root.refresh_from_db()
    assert root.is_active and root.check_password("root-密码-2026")


def test_a_center_admin_gives_roles_to_others_but_never_itself_a_role_that_holds_more(client, center_admin, clerk):
    inspector = Group.objects.get(name=roles.INSPECTOR)  # reads the sign-in records, which a center admin does not
    office = Group.objects.get(name=roles.OFFICE_STAFF)
    outsider = Group.objects.create(name="临时特权组")
    outsider.permissions.add(Permission.objects.get(codename="change_group"))
    client.force_login(center_admin.user)
    own_roles = [group.pk for group in center_admin.user.groups.all()]

    to_itself = client.post(change_url(center_admin.user), account_form(center_admin.user, groups=own_roles + [inspector.pk]))
    not_a_role = client.post(change_url(clerk.user), account_form(clerk.user, groups=[outsider.pk]))
    to_another = client.post(change_url(clerk.user), account_form(clerk.user, groups=[inspector.pk]))
    within_its_own = client.post(change_url(center_admin.user), account_form(center_admin.user, groups=own_roles + [office.pk]))

    assert "不能给自己授予角色「督查人员」:该角色含有您本人没有的权限。" in errors_of(to_itself)
    assert "「临时特权组」不是本系统的角色,只有超级用户可以授予。" in errors_of(not_a_role)
    assert to_another.status_code == 302
    assert within_its_own.status_code == 302
    assert set(center_admin.user.groups.values_list("name", flat=True)) == {roles.CENTER_ADMIN, roles.OFFICE_STAFF}
    assert set(clerk.user.groups.values_list("name", flat=True)) == {roles.INSPECTOR}


def test_a_center_admin_cannot_edit_the_permissions_of_a_role(client, center_admin):
    office = Group.objects.get(name=roles.OFFICE_STAFF)
    before = set(office.permissions.all())
    client.force_login(center_admin.user)

    response = client.post(
        reverse("admin:auth_group_change", args=[office.pk]),
        {"name": office.name, "permissions": [p.pk for p in Permission.objects.all()]},
    )

    assert response.status_code == 403
    assert set(office.permissions.all()) == before


def test_a_center_admin_cannot_change_a_superusers_staff_record_nor_link_a_staff_record_to_a_superuser(
    client, center_admin, clerk, make_staff, two_departments, root
):
    market = two_departments[0]
    boss = make_staff(market, name="系统管理员")
    boss.user.is_superuser = True
    boss.user.save()
    client.force_login(center_admin.user)
    staff_form = {"name": clerk.name, "badge_no": clerk.badge_no, "department": market.pk, "is_active": "on"}

    refused = client.post(reverse("admin:staffing_staff_change", args=[boss.pk]), {**staff_form, "user": boss.user.pk, "name": "改名"})
    relinked = client.post(reverse("admin:staffing_staff_change", args=[clerk.pk]), {**staff_form, "user": root.pk})

    assert refused.status_code == 403
    assert "「root」是超级用户,只有超级用户可以修改其账号和密码。" in errors_of(relinked)
    boss.refresh_from_db()
    clerk.refresh_from_db()
    assert (boss.name, clerk.user_id) == ("系统管理员", clerk.user.pk)


def test_a_superuser_still_grants_superuser_and_changes_a_superusers_password(client, clerk, root, django_user_model):
    other_root = django_user_model.objects.create_superuser("root2", password="root2-密码-2026")
    client.force_login(root)

    granted = client.post(change_url(clerk.user), account_form(clerk.user, is_superuser="on"))
    posted = {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    password = client.post(password_url(other_root), posted)

    assert (granted.status_code, password.status_code) == (302, 302)
    clerk.user.refresh_from_db()
    other_root.refresh_from_db()
    assert clerk.user.is_superuser
    assert other_root.check_password(NEW_PASSWORD)
