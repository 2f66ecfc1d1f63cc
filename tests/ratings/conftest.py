import datetime

import pytest

from casework import services as casework_services
from staffing import roles
from tests.casework.conftest import (  # noqa: F401  (fixtures)
    PERSON,
    clerk,
    committed_item,
    deputy,
    immediate_item,
    market_window,
)


@pytest.fixture
def window_head(two_departments, make_staff, market_window):
    return make_staff(two_departments[0], role=roles.WINDOW_HEAD, name="王建国", window=market_window)


@pytest.fixture
def police_head(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.WINDOW_HEAD, name="赵警官")


@pytest.fixture
def office(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="刘办公")


@pytest.fixture
def completed_case(immediate_item, market_window, clerk):
    """An immediate case received and completed at 01号窗口 today."""

    def make(applicant="张三"):
        case = casework_services.case_receive(
            item=immediate_item, window=market_window, user=clerk.user, **{**PERSON, "applicant_name": applicant}
        )
        for material in case.materials.all():
            casework_services.case_check_material(material=material, user=clerk.user, state="received")
        casework_services.case_accept(case=case, user=clerk.user)
        casework_services.case_approve(case=case, user=clerk.user)
        case.refresh_from_db()
        return case

    return make


def day(text):
    return datetime.date.fromisoformat(text)
