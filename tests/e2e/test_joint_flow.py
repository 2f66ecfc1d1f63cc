"""A 联办件 in a real browser (S5.6-c): the lead window accepts it, its 办结 is refused while two
co-departments have not answered, each co-department's clerk gives the opinion from their own list,
and the lead clerk then completes the case: 办结(准予)."""

import re

import pytest

from casework import services as casework_services
from casework.models import Case, CaseStatus, JointOpinion, OpinionStatus
from registry.models import HandlingMode, ItemCoDepartment, ItemStatus, ItemType, Material, ProcedureStep, ServiceItem
from staffing import roles
from staffing import services as staffing_services
from staffing.models import Department, DepartmentKind, Window

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
APPLICANT = {"applicant_name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13907970001"}
FORM, PLAN = "建设项目申请书", "消防设计文件"


@pytest.fixture
def center(make_staff):
    staffing_services.calendar_seed_from_package(years=[2025, 2026])
    lead = Department.objects.create(name="县住房和城乡建设局", kind=DepartmentKind.STATIONED)
    fire = Department.objects.create(name="县消防救援大队", kind=DepartmentKind.STATIONED)
    land = Department.objects.create(name="县自然资源局", kind=DepartmentKind.STATIONED)
    lead_window = Window.objects.create(number="05", name="工程建设项目审批", department=lead)
    item = ServiceItem.objects.create(
        code="E2E-300", name="建设工程规划类许可", item_type=ItemType.LICENSING, department=lead, window=lead_window,
        handling_mode=HandlingMode.JOINT, statutory_limit_days=20, committed_limit_days=12,
        legal_basis="《中华人民共和国城乡规划法》第四十条", procedure="受理→联合审查→决定", contact="陈晓红",
        phone="0797-8725555", status=ItemStatus.ACTIVE, disclosure_complete=True,
    )  # fmt: skip
    Material.objects.create(item=item, order=1, name=FORM, required=True)
    Material.objects.create(item=item, order=2, name=PLAN, required=True)
    ProcedureStep.objects.create(item=item, order=1, name="联合审查", limit_days=10)
    ItemCoDepartment.objects.create(item=item, department=fire)
    ItemCoDepartment.objects.create(item=item, department=land)
    clerk = make_staff(lead, role=roles.WINDOW_STAFF, name="陈晓红", window=lead_window)
    firefighter = make_staff(fire, role=roles.WINDOW_STAFF, name="周建平")
    surveyor = make_staff(land, role=roles.WINDOW_STAFF, name="吴丽华")
    case = casework_services.case_receive(item=item, window=lead_window, user=clerk.user, **APPLICANT)
    return {"clerk": clerk, "firefighter": firefighter, "surveyor": surveyor, "case": case}


def log_in_as(page, live_server, staff):
    page.context.clear_cookies()
    admin_login(page, live_server, staff.user.username, PASSWORD)


def submit(page, button):
    with page.expect_navigation():
        button.click()


def messages(page) -> str:
    return page.locator("ul.messagelist").inner_text()


def case_status(page) -> str:
    return page.locator(".case-panel .case-status").inner_text()


def give_opinion(page, live_server, staff, status_label, reasons):
    """The co-department's clerk opens 联办意见 (it opens on 待我部门提出意见), the one request, and answers."""
    log_in_as(page, live_server, staff)
    page.goto(f"{live_server.url}/admin/casework/jointopinion/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1, page.locator("#content").inner_text()
    assert "待提出意见" in rows.first.inner_text()
    submit(page, rows.first.locator("th a, td a").first)
    panel = page.locator(".ov-panel")
    assert FORM in panel.inner_text() and "县住房和城乡建设局" in panel.inner_text()
    page.locator("#action-form").get_by_label(status_label, exact=True).check()
    page.fill("#action-form textarea[name=reasons]", reasons)
    submit(page, page.get_by_role("button", name="确认提出意见"))
    return page.locator("ul.messagelist li.success").inner_text()


@pytest.mark.django_db(transaction=True)
def test_a_joint_case_goes_from_acceptance_through_two_opinions_to_completion(live_server, page, center, screenshot):
    case = center["case"]
    case_url = f"{live_server.url}/admin/casework/case/{case.pk}/change/"

    # The lead window clerk checks the materials and accepts: both co-departments are asked.
    log_in_as(page, live_server, center["clerk"])
    page.goto(case_url)
    for name in (FORM, PLAN):
        page.locator("#materials-group tr.form-row", has_text=name).get_by_label("已收取", exact=True).check()
    submit(page, page.get_by_role("button", name="保存材料核验结果"))
    submit(page, page.get_by_role("button", name="受理", exact=True))
    assert "已受理" in messages(page), messages(page)
    waiting = page.locator(".case-waiting-opinions").inner_text()
    assert "县消防救援大队" in waiting and "县自然资源局" in waiting, waiting
    opinions = page.locator("#opinions-group")
    assert opinions.inner_text().count("待提出意见") == 2, opinions.inner_text()

    # 开始办理, then 办结 is refused until the opinions are in.
    submit(page, page.get_by_role("button", name="开始办理"))
    submit(page, page.get_by_role("button", name="办结(准予)"))
    refusal = page.locator("ul.messagelist li.error").inner_text()
    assert "联办件须待全部协办部门提出意见后方可作出决定" in refusal, refusal
    assert re.match(r"状态\s*办理中", case_status(page)), case_status(page)
    screenshot("joint-flow-waiting-for-opinions")

    # Each co-department answers from its own list.
    done = give_opinion(page, live_server, center["firefighter"], "同意", "消防设计符合规范")
    assert f"已提出意见「同意」:办件{case.number}" in done, done
    screenshot("joint-flow-opinion-given")
    done = give_opinion(page, live_server, center["surveyor"], "同意", "用地符合控制性详细规划")
    assert "已提出意见「同意」" in done, done

    # The lead clerk sees both opinions and completes the case.
    log_in_as(page, live_server, center["clerk"])
    page.goto(case_url)
    assert page.locator(".case-waiting-opinions").count() == 0
    opinions = page.locator("#opinions-group").inner_text()
    assert "消防设计符合规范" in opinions and "用地符合控制性详细规划" in opinions, opinions
    submit(page, page.get_by_role("button", name="办结(准予)"))
    assert "已办结(准予)" in messages(page), messages(page)
    assert re.match(r"状态\s*办结\(准予\)", case_status(page)), case_status(page)
    screenshot("joint-flow-approved")

    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert set(JointOpinion.objects.filter(case=case).values_list("status", flat=True)) == {OpinionStatus.AGREE}
    assert Case.objects.count() == 1
