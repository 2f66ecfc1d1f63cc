import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group

from staffing import services
from staffing.models import Department, DepartmentKind, Window
from tests.plugins import CENTER_TIME_ZONE


@pytest.fixture
def travel():
    """`travel(day)`: the rest of the test runs as on that day at 10:00 in the center's time zone (or at a
    given aware datetime), with time moving unless `tick=False`. Travel before logging in: a session
    expires two weeks after the clock of its login."""
    travellers = []

    def go(when, *, tick=True):
        if not isinstance(when, datetime.datetime):
            when = datetime.datetime.combine(when, datetime.time(10), CENTER_TIME_ZONE)
        traveller = time_machine.travel(when, tick=tick)
        traveller.start()
        travellers.append(traveller)
        return when

    yield go
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def official_calendar(db):
    """The official 2025–2026 holidays and make-up workdays, as chinese-calendar publishes them."""
    services.calendar_seed_from_package(years=[2025, 2026])


@pytest.fixture
def two_departments(db):
    """Two stationed departments with a window each: the minimum to prove row-level scoping."""
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    police = Department.objects.create(name="县公安局", kind=DepartmentKind.STATIONED)
    Window.objects.create(number="01", name="市场主体登记", department=market)
    Window.objects.create(number="02", name="户籍办理", department=police)
    return market, police


@pytest.fixture
def make_staff(db):
    counter = iter(range(1, 10_000))

    def make(department, *, role=None, name=None, window=None, leader_role=""):
        number = next(counter)
        staff = services.staff_create(
            name=name or f"测试人员{number}",
            badge_no=f"T{number:04d}",
            department=department,
            window=window,
            leader_role=leader_role,
            password="测试密码-2026",
        )
        if role:
            staff.user.groups.add(Group.objects.get(name=role))
        return staff

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing with PBKDF2 costs ~0.3 s a user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run in the calling thread (tests/e2e/test_background_import.py runs a real worker)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """The 服务场所 filters' cached hall list and the cached menus outlive a test's rolled-back rows: each test
    starts without them."""
    from halls.selectors import clear_hall_choices
    from project.admin_site import clear_menus

    clear_hall_choices()
    clear_menus()
