import datetime

import pytest

from bidding import services
from bidding.models import BiddingMethod, ProjectType
from staffing import roles

D = datetime.date


@pytest.fixture(autouse=True)
def after_the_events(travel):
    """The events of these tests open in October and November 2026, and a step is dated today: the tests run
    as on 2026-12-01 whatever the real date (a test that needs another day travels again)."""
    travel(D(2026, 12, 1))


@pytest.fixture
def office(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="赖美玲")


@pytest.fixture
def supervisor(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="温海燕")


@pytest.fixture
def inspector(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.INSPECTOR, name="蓝晓燕")


@pytest.fixture
def window_clerk(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.WINDOW_STAFF, name="李春梅")


@pytest.fixture
def make_event(office):
    counter = iter(range(1, 10_000))

    def make(*, opening_on, supervisor=None, project_type=ProjectType.WORKS, announced_on=None, budget=None, **fields):
        number = next(counter)
        return services.event_register(
            user=office.user, name=fields.pop("name", f"测试项目{number}"), project_type=project_type,
            method=fields.pop("method", BiddingMethod.OPEN), tenderer="大余县城市建设投资有限公司",
            announced_on=announced_on, opening_on=opening_on, supervisor=supervisor, budget=budget, **fields,
        )  # fmt: skip

    return make
