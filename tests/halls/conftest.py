"""Two kinds of fixtures: for scoping, the center's own hall (created by the migration) and a 分中心 run by
the market department with a window of that department there; for inspections, the tax bureau's 分中心
(police window 02 moved to it, run by the second department), a township center, and the people who
inspect and rectify."""

import datetime

import pytest

from halls.models import Hall, HallInspection, HallKind, InspectionChecklist, InspectionFinding
from registry.models import HandlingMode, ItemHall, ItemStatus, ItemType, ServiceItem
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


@pytest.fixture
def branch(two_departments, center_hall):
    _, police = two_departments
    hall = Hall.objects.create(
        name="国家税务总局大余县税务局办税服务分中心", kind=HallKind.BRANCH, department=police, address="大余县南安镇新华路18号",
        phone="0797-8721188", working_hours="周一至周五 上午8:00—12:00 下午14:30—17:30",
    )
    Window.objects.filter(number="02").update(hall=hall)
    return hall


@pytest.fixture
def township(db):
    return Hall.objects.create(name="池江镇便民服务中心", kind=HallKind.TOWNSHIP, uses_system=False)


@pytest.fixture
def branch_head(branch, two_departments, make_staff):
    head = make_staff(two_departments[1], role=roles.WINDOW_HEAD, name="刘建华")
    branch.head = head
    branch.save()
    return head


@pytest.fixture
def market_head(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.WINDOW_HEAD, name="王市场")


@pytest.fixture
def inspector(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.INSPECTOR, name="赵督查")


@pytest.fixture
def checklist(db):
    return InspectionChecklist.objects.get(name="窗口服务规范检查表")


@pytest.fixture
def make_inspection(inspector, checklist):
    def make(hall, descriptions=("窗口无办事指南",), date=None, limit_days=None):
        inspection = HallInspection.objects.create(hall=hall, date=date or datetime.date(2026, 9, 29), checklist=checklist)
        inspection.inspectors.add(inspector)
        for index, text in enumerate(descriptions):
            InspectionFinding.objects.create(
                inspection=inspection, item=checklist.items.all()[index], description=text, limit_days=limit_days
            )
        return inspection

    return make


@pytest.fixture
def item(two_departments):
    return ServiceItem.objects.create(
        code="000009", name="税务登记", item_type=ItemType.LICENSING,
        department=two_departments[1], handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20, committed_limit_days=5,
        status=ItemStatus.ACTIVE,
    )
