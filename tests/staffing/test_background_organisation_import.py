"""An organisation sheet (部门, 窗口, 工作人员) above the size setting (后台任务设置) is imported by the
background worker: the upload returns at once to the job's progress page (issue 20)."""

import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from staffing import organisation_import
from staffing.models import BackgroundJob, BackgroundSettings, Department, JobKind, JobStatus, Staff, Window
from staffing.roles import CENTER_ADMIN
from tests.staffing.test_organisation_import import DEPARTMENTS, STAFF, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_admin(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return admin_client


def low_threshold(rows):
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"import_rows": rows})


def post_import(client, path, model="department"):
    with open(path, "rb") as data:
        upload = io.BytesIO(data.read())
    upload.name = path.rsplit("/", 1)[-1]
    return client.post(reverse(f"admin:staffing_{model}_import"), {"resource": "0", "format": "0", "import_file": upload})


def uploads_left(tmp_path):
    folder = tmp_path / "media" / "tmp" / "excel-imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_sheet_at_or_below_the_threshold_is_previewed_in_the_request_as_before(import_admin, tmp_path):
    low_threshold(3)

    response = post_import(import_admin, workbook(tmp_path / "部门.xlsx", 部门=DEPARTMENTS))

    assert response.status_code == 200 and "confirm_form" in response.context
    assert not BackgroundJob.objects.exists() and not Department.objects.exists()


def test_a_sheet_above_the_threshold_becomes_a_job_that_imports_it_with_todays_message(import_admin, admin_user, tmp_path):
    low_threshold(2)

    response = post_import(import_admin, workbook(tmp_path / "部门.xlsx", 部门=DEPARTMENTS))

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.kind == JobKind.ORGANISATION_IMPORT and job.status == JobStatus.DONE and job.user == admin_user
    assert (job.total, job.rows_read, job.rows_checked, job.rows_written) == (3, 3, 3, 3)
    assert job.message == "导入成功，新增3条记录，更新0条记录，删除0条记录，忽略0条记录。"  # django-import-export's words
    assert sorted(Department.objects.values_list("name", flat=True)) == ["县公安局", "县市场监督管理局", "综合股"]
    assert {h.history_user for h in Department.history.all()} == {admin_user}
    assert not uploads_left(tmp_path)
    page = import_admin.get(response.url).content.decode()
    assert "已完成" in page and "新增3条记录" in page and "100</span>%" in page
    assert reverse("admin:staffing_department_changelist") in page and "查看列表" in page


def test_staff_above_the_threshold_get_their_logins_only_when_written(import_admin, tmp_path):
    Department.objects.bulk_create(Department(name=row[0]) for row in DEPARTMENTS[1:])
    Window.objects.create(number="01", name="市场主体登记", department=Department.objects.get(name="县市场监督管理局"))
    Window.objects.create(number="02", name="户籍办理", department=Department.objects.get(name="县公安局"))
    low_threshold(2)

    post_import(import_admin, workbook(tmp_path / "人员.xlsx", 工作人员=STAFF), model="staff")

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.DONE and job.rows_written == 3
    assert sorted(Staff.objects.values_list("user__username", flat=True)) == ["s001", "s002", "s003"]
    assert User.objects.count() == 4  # the administrator and one login each: the check created none


def test_a_wrong_row_fails_the_job_listing_row_column_and_value_and_writes_nothing(import_admin, tmp_path):
    low_threshold(2)
    rows = [*DEPARTMENTS, ["县税务局", "外星部门", "", 4, "是"]]

    response = post_import(import_admin, workbook(tmp_path / "部门.xlsx", 部门=rows))

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED and job.message == "工作簿有 1 处错误,未作任何修改。请改正后重新上传。"
    assert job.rows_checked == 4 and job.rows_written == 0
    assert not Department.objects.exists() and not Department.history.exists()
    page = import_admin.get(response.url).content.decode()
    assert "工作表「部门」第5行 类型:「外星部门」无效,只能填写「进驻部门」、「股室」。" in page
    assert reverse("admin:staffing_department_import") in page and "重新上传" in page
    assert not uploads_left(tmp_path)


def test_an_exception_while_writing_fails_the_job_in_chinese_and_writes_nothing(import_admin, tmp_path, monkeypatch):
    low_threshold(2)

    listed = organisation_import.import_errors

    def broken(sheet, dataset, result):
        if result.totals["new"]:  # every row written, inside the transaction
            raise RuntimeError("disk full")
        return listed(sheet, dataset, result)

    monkeypatch.setattr(organisation_import, "import_errors", broken)

    response = post_import(import_admin, workbook(tmp_path / "部门.xlsx", 部门=DEPARTMENTS))

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message == "后台任务出错(RuntimeError),未写入任何数据。请检查文件后重试;如仍出错,请联系系统管理员。"
    assert not Department.objects.exists() and not Department.history.exists()
    assert "未写入任何数据" in import_admin.get(response.url).content.decode()


def test_only_the_owner_sees_the_organisation_jobs_page(import_admin, tmp_path, client, two_departments, make_staff):
    low_threshold(2)
    response = post_import(import_admin, workbook(tmp_path / "部门.xlsx", 部门=DEPARTMENTS))

    client.force_login(make_staff(two_departments[0], role=CENTER_ADMIN).user)

    assert client.get(response.url).status_code == 404
