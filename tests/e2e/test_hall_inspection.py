"""S1.1-f end to end: an inspector records an inspection of the tax bureau's 分中心 with two findings and issues
the notice; the hall's head records both rectifications; an inspector verifies them; the month's ranking shows
the 分中心 with its findings rectified."""

import pytest
from django.utils import timezone

from halls.models import ChecklistItem, Hall, HallKind, InspectionChecklist, InspectionFinding, InspectionStatus
from staffing.models import Department, DepartmentKind, Window
from staffing.roles import INSPECTOR, WINDOW_HEAD

from .conftest import RESULTS_DIR, admin_login

PASSWORD = "测试密码-2026"
BRANCH = "国家税务总局大余县税务局办税服务分中心"


def submit(page, button):
    with page.expect_navigation():
        button.click()


def shot(page, name):
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"hall-inspection-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_an_inspection_of_the_branch_center_is_rectified_verified_and_ranked(live_server, browser, make_staff):
    # Transactional tests flush the migrations' rows: the center's hall and a checklist are made here.
    Hall.objects.get_or_create(name="大余县行政服务中心大厅", defaults={"kind": HallKind.CENTER})
    tax = Department.objects.create(name="国家税务总局大余县税务局", kind=DepartmentKind.STATIONED)
    oversight = Department.objects.create(name="督查股", kind=DepartmentKind.SECTION)
    branch = Hall.objects.create(
        name=BRANCH, kind=HallKind.BRANCH, department=tax, address="大余县南安镇新华路18号", phone="0797-8721188",
        working_hours="周一至周五 上午8:00—12:00 下午14:30—17:30",
    )
    Window.objects.create(number="F01", name="综合办税(分中心)", department=tax, hall=branch)
    head = make_staff(tax, role=WINDOW_HEAD, name="刘建华")
    branch.head = head
    branch.save()
    inspector = make_staff(oversight, role=INSPECTOR, name="蓝晓燕")
    checklist, _ = InspectionChecklist.objects.get_or_create(name="窗口服务规范检查表")
    ChecklistItem.objects.get_or_create(checklist=checklist, order=1, category="挂牌上岗", text="窗口工作人员挂牌上岗。")
    ChecklistItem.objects.get_or_create(checklist=checklist, order=2, category="办事指南", text="窗口备有办事指南。")

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()

    # 1. The inspector records the inspection with two findings and issues the notice.
    admin_login(page, live_server, inspector.user.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/halls/hallinspection/add/")
    page.select_option("#id_hall", label=BRANCH)
    page.fill("#id_summary", "检查了挂牌上岗和办事指南。")
    page.select_option("#id_findings-0-item", label="1. 窗口工作人员挂牌上岗。")
    page.fill("#id_findings-0-description", "F01窗口工作人员未佩戴工作牌。")
    page.select_option("#id_findings-1-item", label="2. 窗口备有办事指南。")
    page.fill("#id_findings-1-description", "F01窗口未摆放办事指南。")
    shot(page, "1-add")
    submit(page, page.locator("input[name=_continue]"))
    assert page.locator(".errornote").count() == 0, page.inner_text("#content")
    submit(page, page.get_by_role("link", name="下达整改通知书"))
    submit(page, page.locator("input[type=submit]"))
    assert "已下达" in page.inner_text(".messagelist")
    inspection = branch.inspections.get()
    assert inspection.status == InspectionStatus.ISSUED
    page.goto(f"{live_server.url}/admin/halls/hallinspection/{inspection.pk}/notice/")
    notice = page.inner_text("body")
    assert "监督检查整改通知书" in notice and "F01窗口未摆放办事指南" in notice and "蓝晓燕" in notice
    due = inspection.findings.first().due_date
    assert f"{due.year}年{due.month}月{due.day}日" in notice
    shot(page, "2-notice")
    context.clear_cookies()

    # 2. The hall's head finds both in 待我办理 and records the rectifications.
    admin_login(page, live_server, head.user.username, PASSWORD)
    assert "监督检查发现问题待整改" in page.inner_text("#content")
    for text in ("已为工作人员补发工作牌。", "已印制办事指南并摆放在窗口。"):
        page.goto(f"{live_server.url}/admin/halls/inspectionfinding/?todo=rectify")
        submit(page, page.get_by_role("link", name="填报整改", exact=True).first)
        page.fill("#id_rectification", text)
        submit(page, page.locator("input[type=submit]"))
        assert "已填报整改情况" in page.inner_text(".messagelist")
    shot(page, "3-rectified")
    assert set(InspectionFinding.objects.values_list("status", flat=True)) == {"rectified"}
    context.clear_cookies()

    # 3. An inspector verifies both.
    admin_login(page, live_server, inspector.user.username, PASSWORD)
    for _ in range(2):
        page.goto(f"{live_server.url}/admin/halls/inspectionfinding/?todo=verify")
        submit(page, page.get_by_role("link", name="复查", exact=True).first)
        page.locator("input[name=result][value=passed]").check()
        submit(page, page.locator("input[type=submit]"))
        assert "已复查整改情况" in page.inner_text(".messagelist")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DONE

    # 4. The month's ranking shows the 分中心 with both findings rectified in time.
    month = timezone.localdate().replace(day=1)
    page.goto(f"{live_server.url}/admin/halls/hallinspection/ranking/?month={month:%Y-%m}")
    row = page.locator(f"tr.hall-{branch.pk}")
    cells = row.locator("td").all_inner_texts()
    assert cells[1].startswith(BRANCH)
    assert cells[7] == "2" and cells[8] == "100.0%", cells
    shot(page, "4-ranking")
    context.close()
