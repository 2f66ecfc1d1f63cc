"""Two halls: the center's own (created by the migration) and a 分中心 run by the market department, with
a window of that department there."""

import pytest

from halls.models import Hall, HallKind
from registry.models import ItemHall
from staffing import roles
from staffing.models import Window
from tests.casework.conftest import clerk, committed_item, immediate_item, market_window  # noqa: F401


@pytest.fixture
def center_hall(db):
    return Hall.objects.get(kind=HallKind.CENTER)


@pytest.fixture
def branch_hall(two_departments):
    return Hall.objects.create(
        name="县市场监督管理局登记分中心",
        kind=HallKind.BRANCH,
        department=two_departments[0],
        address="大余县南安镇东山路8号",
        phone="0797-8720001",
        working_hours="周一至周五 上午8:00—12:00 下午14:30—17:30",
    )


@pytest.fixture
def branch_window(two_departments, branch_hall):
    return Window.objects.create(number="F01", name="登记(分中心)", department=two_departments[0], hall=branch_hall)


@pytest.fixture
def branch_clerk(two_departments, make_staff, branch_window):
    return make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="陈静", window=branch_window)


def offer(item, *halls):
    for hall in halls:
        ItemHall.objects.get_or_create(item=item, hall=hall)
    return item
