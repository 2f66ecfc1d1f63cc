"""A catalog above the size setting (后台任务设置) is imported by the background worker (issue 20)."""

import pytest
from django.urls import reverse

from registry import workbook
from registry.models import Material, ServiceItem
from staffing.models import BackgroundJob, BackgroundSettings, Department, JobStatus
from staffing.roles import CENTER_ADMIN

from tests.registry.test_catalog_import import center_admin, two_items, upload  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_threshold(db):
    panel = BackgroundSettings.load()
    panel.import_rows = 1
    panel.save()
    return panel


def confirm(client, preview):
    return client.post(reverse("admin:registry_serviceitem_catalog_confirm"), {"token": preview.context["token"]})


def test_a_catalog_at_or_below_the_threshold_is_imported_in_the_request_as_before(client, center_admin, tmp_path):
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"import_rows": 2})

    response = confirm(client, upload(client, two_items(tmp_path)))

    assert response.url == reverse("admin:registry_serviceitem_changelist")
    assert ServiceItem.objects.count() == 2 and not BackgroundJob.objects.exists()


def test_a_catalog_above_the_threshold_becomes_a_job_and_its_page_shows_the_result(client, center_admin, tmp_path, low_threshold):
    response = confirm(client, upload(client, two_items(tmp_path)))

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.status == JobStatus.DONE and job.user == center_admin and job.file_name == "catalog.xlsx"
    # 2 items, 3 materials and 4 steps: every row read, checked and written
    assert (job.total, job.rows_read, job.rows_checked, job.rows_written) == (9, 9, 9, 9)
    assert job.started_at <= job.finished_at
    assert sorted(ServiceItem.objects.values_list("code", flat=True)) == ["A001", "A002"]
    assert {h.history_user for h in ServiceItem.history.all()} == {center_admin}
    assert not list((tmp_path / "media" / "tmp" / "catalog-imports").iterdir())
    page = client.get(response.url).content.decode()
    assert "已完成" in page and "已导入「catalog.xlsx」:新增 2 个,更新 0 个,未变 0 个,错误 0 处。" in page
    assert "100</span>%" in page and "查看事项目录" in page
    assert [h.status for h in job.history.order_by("history_id")] == ["queued", "running", "done"]


def test_a_failure_while_writing_marks_the_job_failed_in_chinese_and_writes_nothing(
    client, center_admin, tmp_path, low_threshold, monkeypatch
):
    def broken(kind, item_plan):
        raise RuntimeError("disk full")

    monkeypatch.setattr(workbook, "_new_children", broken)  # after the items' own rows are inserted

    response = confirm(client, upload(client, two_items(tmp_path)))

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message == "后台任务出错(RuntimeError),未写入任何数据。请检查文件后重试;如仍出错,请联系系统管理员。"
    assert not ServiceItem.objects.exists() and not ServiceItem.history.exists() and not Material.objects.exists()
    page = client.get(response.url).content.decode()
    assert "失败" in page and "未写入任何数据" in page


def test_a_workbook_that_went_wrong_since_its_preview_ends_failed_with_the_previews_errors(
    client, center_admin, tmp_path, low_threshold
):
    preview = upload(client, two_items(tmp_path))
    Department.objects.filter(name="县市场监督管理局").update(name="县市场监管局")  # renamed meanwhile

    response = confirm(client, preview)

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED and job.message == "工作簿有 2 处错误,未作任何修改。请改正后重新上传。"
    page = client.get(response.url).content.decode()
    assert "找不到名称或编码为「县市场监督管理局」的部门" in page and "重新上传" in page
    assert not ServiceItem.objects.exists()


def test_an_export_above_its_threshold_becomes_a_job_whose_file_only_its_owner_downloads(
    client, center_admin, tmp_path, two_departments, make_staff
):
    from tests.registry.test_catalog_import import run_import

    run_import(two_items(tmp_path))
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"export_rows": 1})
    changelist = reverse("admin:registry_serviceitem_changelist")
    ids = [str(pk) for pk in ServiceItem.objects.values_list("pk", flat=True)]

    response = client.post(changelist, {"action": "export_catalog", "_selected_action": ids})

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.status == JobStatus.DONE and job.output.startswith(f"exports/{job.pk}/")
    assert job.message == f"已导出 2 个事项到「{job.file_name}」,请下载。"
    page = client.get(response.url).content.decode()
    assert "下载文件" in page and "100</span>%" in page
    download = client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an xlsx is a zip
    client.force_login(make_staff(two_departments[1], role=CENTER_ADMIN).user)
    assert client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk])).status_code == 404
