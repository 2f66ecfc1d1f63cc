from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from halls import demo as halls_demo
from staffing import demo, roles
from staffing.models import Department, DepartmentKind, LeaderRole, Post, PostSubstitute, Staff, Window

User = get_user_model()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Forty-odd accounts with the production hasher would take seconds; the logins work the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def logins(db):
    return demo.load_demo()


def counts():
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (Department, Window, Staff, Post, PostSubstitute)
    } | {"User": (User.objects.count(), None)}


def test_loading_twice_gives_the_same_rows_and_writes_nothing_the_second_time(db):
    demo.load_demo()
    first = counts()

    demo.load_demo()

    assert counts() == first
    assert Department.objects.filter(kind=DepartmentKind.STATIONED).count() >= 12
    assert Department.objects.filter(kind=DepartmentKind.SECTION).count() >= 3
    assert 35 <= Staff.objects.count() <= 45
    assert Staff.objects.count() == len(demo.STAFF)
    assert Post.objects.count() == len(demo.POSTS)


def test_there_is_one_login_per_role(logins):
    assert sorted(role for role, _username, _password in logins) == sorted(roles.ALL_ROLES)
    assert len({username for _role, username, _password in logins}) == len(roles.ALL_ROLES)


def test_every_role_account_is_active_staff_in_exactly_its_group_and_can_log_in(logins):
    for role, username, password in logins:
        user = User.objects.get(username=username)
        assert user.is_active and user.is_staff, username
        assert not user.is_superuser, username
        assert list(user.groups.values_list("name", flat=True)) == [role], username
        assert user.staff.is_active, username
        assert Client().login(username=username, password=password), username


def test_the_role_accounts_sit_in_sensible_departments(logins):
    department = {username: User.objects.get(username=username).staff.department.name for _r, username, _p in logins}
    assert department["windowhead"] == department["window"] == "县市场监督管理局"
    assert department["inspector"] == "督查股"
    assert User.objects.get(username="leader").staff.leader_role == LeaderRole.MAIN
    assert User.objects.get(username="deputy").staff.leader_role == LeaderRole.IN_CHARGE


def test_the_demo_password_passes_the_password_validators(logins):
    for _role, username, password in logins:
        validate_password(password, User.objects.get(username=username))


def test_loading_again_restores_a_demo_login_that_was_changed(logins):
    user = User.objects.get(username="window")
    user.set_password("something-else-2026")
    user.is_active = False
    user.save()
    user.groups.add(*user.groups.model.objects.filter(name=roles.CENTER_ADMIN))

    demo.load_demo()

    user.refresh_from_db()
    assert user.is_active
    assert list(user.groups.values_list("name", flat=True)) == [roles.WINDOW_STAFF]
    assert Client().login(username="window", password=demo.DEMO_PASSWORD)


def test_every_demo_staff_member_belongs_to_one_role_group(logins):
    for staff in Staff.objects.select_related("user"):
        assert staff.user.groups.count() == 1, staff


def test_every_demo_post_has_at_least_one_b_holder_of_its_own_department(logins):
    posts = Post.objects.annotate(b_count=Count("substitutes"))
    assert posts.exists()
    for post in posts:
        assert post.b_count >= 1, post
    for substitute in PostSubstitute.objects.select_related("post", "staff", "post__a_holder"):
        assert substitute.staff.department_id == substitute.post.department_id, substitute
        assert substitute.staff_id != substitute.post.a_holder_id, substitute


def test_every_window_and_every_section_has_a_post(logins):
    for window in Window.objects.select_related("department"):
        assert window.department.posts.exists(), window
    for section in Department.objects.filter(kind=DepartmentKind.SECTION):
        assert section.posts.exists(), section


def test_every_department_has_one_of_the_two_deputies_as_leader_in_charge(logins):
    assert not Department.objects.filter(leader_in_charge=None).exists()
    leaders = Staff.objects.filter(departments_in_charge__isnull=False).distinct()
    assert leaders.count() == 2
    assert set(leaders.values_list("leader_role", flat=True)) == {LeaderRole.IN_CHARGE}
    assert Staff.objects.filter(leader_role=LeaderRole.MAIN).count() == 1


def test_loading_again_keeps_what_an_administrator_changed(logins):
    market = Department.objects.get(name="县市场监督管理局")
    market.phone = "0797-8729999"
    market.save()
    post = Post.objects.get(department=market, name="市场主体登记受理岗")
    post.substitutes.filter(order=1).delete()

    demo.load_demo()

    market.refresh_from_db()
    assert market.phone == "0797-8729999"
    assert post.substitutes.count() == 2


def test_a_demo_username_taken_by_another_account_stops_the_load_and_changes_nothing(db):
    User.objects.create_user(username="admin", password="own-password-2026")

    with pytest.raises(ValidationError, match="admin"):
        demo.load_demo()

    assert not Department.objects.exists()
    assert not Staff.objects.exists()
    assert User.objects.count() == 1


def test_the_command_prints_every_login_and_the_admin_address(db, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path  # the office demo stores the signed original of its archived document
    out = StringIO()

    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)

    printed = out.getvalue()
    assert "角色" in printed and "用户名" in printed and "密码" in printed
    for role, username, _badge in demo.DEMO_ACCOUNTS:
        assert role in printed and username in printed
    assert demo.DEMO_PASSWORD in printed
    assert "http://127.0.0.1:8000/admin/" in printed
    assert Staff.objects.count() == len(demo.STAFF) + len(halls_demo.STAFF)  # the 分中心's head and clerk
    assert "演示会议:新增会议室" in printed and "演示会议:系统中已有会议室" in printed
    assert "演示公文与办公用品:新增文件" in printed and "演示公文与办公用品:系统中已有文件" in printed
    # 我的后台任务 of the administrator: the catalog checked again as a background job, once.
    from staffing.models import BackgroundJob, JobStatus

    job = BackgroundJob.objects.get()
    assert job.user.username == "admin" and job.status == JobStatus.DONE
    assert "新增 0 个,更新 0 个" in job.message and job.rows_read == job.total > 0


def test_the_command_refuses_to_load_demo_logins_when_debug_is_off(db, settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())

    assert not Staff.objects.exists()
    call_command("load_demo", "--force", stdout=StringIO())
    assert Staff.objects.count() == len(demo.STAFF) + len(halls_demo.STAFF)
