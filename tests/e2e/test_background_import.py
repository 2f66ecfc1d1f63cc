"""A catalog above the size setting is imported by a real background worker while the administrator
watches its progress page (issue 20).

The tasks really run in the background here: the database backend of django-tasks, and the worker of
`manage.py db_worker` (its `Worker` class) in a thread of this process, so that it sees the live
server's test database (on SQLite an in-memory database shared by the process's connections, on
PostgreSQL the test database). The worker starts only once the page shows the job 排队中, so the page
is seen waiting, then moving, then finished.
"""

import threading

import pytest
from django.db import connections

from registry.models import ServiceItem
from staffing.models import BackgroundJob, BackgroundSettings, Department, DepartmentKind, JobStatus
from staffing.roles import CENTER_ADMIN

from .conftest import admin_login
from .test_catalog_import import DEPARTMENT, FILE_NAME, ITEMS, PASSWORD, table_cells, write_workbook

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class WorkerThread(threading.Thread):
    """`manage.py db_worker`'s loop in a thread (signals are the main thread's, so they are left alone)."""

    def __init__(self):
        from django_tasks_db.management.commands.db_worker import Worker

        super().__init__(daemon=True)
        self.worker = Worker(
            queue_names=["default"], interval=0.2, batch=False, backend_name="default", startup_delay=False,
            max_tasks=None, worker_id="e2e-worker", excluded_queue_names=[],
        )  # fmt: skip

    def run(self):
        try:
            self.worker.run()
        finally:
            connections.close_all()

    def stop(self):
        self.worker.running = False
        self.join(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_center_admin_imports_a_catalog_in_the_background_and_watches_it_to_the_end(
    live_server, page, make_staff, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = DATABASE_TASKS
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"import_rows": 2})  # 3 items: above it
    Department.objects.create(name=DEPARTMENT, kind=DepartmentKind.STATIONED)
    office = Department.objects.create(name="县行政服务中心办公室", kind=DepartmentKind.STATIONED)
    admin_staff = make_staff(office, role=CENTER_ADMIN, name="王主任")
    workbook = write_workbook(tmp_path / FILE_NAME)

    admin_login(page, live_server, admin_staff.user.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/registry/serviceitem/import/")
    page.get_by_label("Excel 工作簿").set_input_files(str(workbook))
    page.get_by_role("button", name="上传并预览").click()
    page.locator("#catalog-counts").wait_for()
    page.get_by_role("button", name="确认导入").click()

    # The request returns at once: the job waits for the worker, nothing is written yet.
    page.wait_for_url("**/admin/staffing/backgroundjob/*/progress/")
    assert page.locator("#job-status").inner_text() == "排队中"
    assert "已读取" in page.locator("#job-numbers").inner_text() and "预计剩余" in page.locator("#job-numbers").inner_text()
    assert not ServiceItem.objects.exists()
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.total == 3 + 5 + 6
    screenshot("background-import-queued")

    worker = WorkerThread()
    worker.start()
    try:
        # The page polls its job every second and shows the result when the worker is done.
        page.locator("#job-result").wait_for(timeout=60_000)
    finally:
        worker.stop()

    assert page.locator("#job-status").inner_text() == "已完成"
    assert page.locator("#job-percent").inner_text() == "100"
    assert page.locator("#job-read").inner_text() == "14" and page.locator("#job-written").inner_text() == "14"
    result = page.locator("#job-result").inner_text()
    assert f"已导入「{FILE_NAME}」:新增 3 个,更新 0 个,未变 0 个,错误 0 处。" in result, result
    assert table_cells(page.locator("#catalog-counts")) == {"新增": "3", "更新": "0", "未变": "0", "错误": "0"}
    screenshot("background-import-done")

    page.get_by_role("link", name="查看事项目录").click()
    page.wait_for_url("**/admin/registry/serviceitem/")
    assert page.locator("#result_list tbody tr").count() == len(ITEMS)
    assert sorted(ServiceItem.objects.values_list("code", flat=True)) == ["E2E-001", "E2E-002", "E2E-003"]
    assert {h.history_user for h in ServiceItem.history.all()} == {admin_staff.user}

    page.goto(f"{live_server.url}/admin/staffing/backgroundjob/")
    assert f"事项目录导入「{FILE_NAME}」" in page.locator("#result_list").inner_text()
    assert "已完成" in page.locator("#result_list").inner_text()
