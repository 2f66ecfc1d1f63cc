import datetime

import pytest

from registry.models import HandlingMode, ItemStatus, ItemType, Material, ProcedureStep, ServiceItem
from staffing import roles
from staffing.models import Window


def publish(item):
    item.status = ItemStatus.ACTIVE
    item.disclosure_complete = True
    item.save()
    return item


@pytest.fixture
def market_window(two_departments):
    return Window.objects.get(number="01")


@pytest.fixture
def committed_item(two_departments, market_window):
    """A 承诺件: statutory 20, committed 10 working days, three steps (one not counted), two materials."""
    item = ServiceItem.objects.create(
        code="000001",
        name="食品经营许可",
        item_type=ItemType.LICENSING,
        department=two_departments[0],
        window=market_window,
        handling_mode=HandlingMode.COMMITTED,
        statutory_limit_days=20,
        committed_limit_days=10,
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        procedure="受理→审查→决定",
        contact="李春梅",
        phone="0797-8721111",
        result_name="食品经营许可证",
    )
    Material.objects.create(item=item, order=1, name="食品经营许可申请书", copies=1)
    Material.objects.create(item=item, order=2, name="营业执照复印件", form="copy", copies=1)
    Material.objects.create(item=item, order=3, name="其他说明材料", required=False)
    ProcedureStep.objects.create(item=item, order=1, name="受理", limit_days=1)
    ProcedureStep.objects.create(item=item, order=2, name="现场核查", limit_days=5)
    ProcedureStep.objects.create(item=item, order=3, name="决定", limit_days=4)
    return publish(item)


@pytest.fixture
def immediate_item(two_departments, market_window):
    item = ServiceItem.objects.create(
        code="000002",
        name="个体工商户名称变更登记",
        item_type=ItemType.CONFIRMATION,
        department=two_departments[0],
        window=market_window,
        handling_mode=HandlingMode.IMMEDIATE,
        committed_limit_days=0,
        legal_basis="《促进个体工商户发展条例》",
        procedure="当场办结",
        contact="李春梅",
        phone="0797-8721111",
    )
    Material.objects.create(item=item, order=1, name="变更登记申请书")
    return publish(item)


@pytest.fixture
def clerk(two_departments, make_staff, market_window):
    return make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="李春梅", window=market_window)


@pytest.fixture
def deputy(two_departments, make_staff):
    """The leader in charge of the market department."""
    market = two_departments[0]
    leader = make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    market.leader_in_charge = leader
    market.save()
    return leader


PERSON = {"applicant_name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13907970001"}


def at(day: datetime.date, hour=9):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
