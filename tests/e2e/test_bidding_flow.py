"""招投标监督 in the browser (S1.1-g): an opening without an on-site supervisor waits in the office's
待我办理, shows on 开标日历, and cannot be registered as opened until a supervisor is assigned."""

import pytest
from django.utils import timezone

from bidding import services
from staffing.models import Department, DepartmentKind
from staffing.roles import OFFICE_STAFF
from staffing.working_days import add_working_days

from .conftest import RESULTS_DIR, admin_login

PASSWORD = "测试密码-2026"


@pytest.mark.django_db(transaction=True)
def test_an_opening_without_a_supervisor_waits_in_the_office_inbox_and_cannot_be_opened(live_server, page, make_staff):
    office_department = Department.objects.create(name="办公室", kind=DepartmentKind.SECTION)
    office = make_staff(office_department, role=OFFICE_STAFF, name="赖美玲")
    office.user.set_password(PASSWORD)
    office.user.save()
    services.event_register(
        user=office.user, name="县城区污水管网改造工程(二期)", project_type="works", method="open",
        tenderer="大余县城市建设投资有限公司", opening_on=add_working_days(timezone.localdate(), 2), venue="县公共资源交易中心第一开标室",
    )  # fmt: skip

    admin_login(page, live_server, office.user.username, PASSWORD)
    page.click("text=待派员监督的开标")
    page.wait_for_selector("#result_list")
    assert "需要派员监督" in page.inner_text("#result_list")

    page.goto(f"{live_server.url}/admin/bidding/biddingevent/openings/")
    assert "其中 1 个需要派员监督" in page.inner_text("#content-main")
    page.click("text=县城区污水管网改造工程(二期)")
    page.click("text=登记进展")
    page.select_option("#id_to", "opened")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "未指派现场监督人员,不能登记开标" in page.inner_text("#content-main")
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "bidding-opening-refused.png"), full_page=True)
