"""Issue 20: above 后台任务设置's export size the timeline export runs as a background job.

Below the size the export link answers with the workbook, as before; above it the user is sent to the
job's progress page and downloads from there a workbook with the same rows, secret titles masked
for them exactly as in the direct one. Nobody else sees the job."""

import io

import openpyxl
import pytest
from django.urls import reverse

from staffing import roles
from staffing.models import BackgroundJob, BackgroundSettings, Department, JobKind, JobStatus
from tests.documents.conftest import people, registered  # noqa: F401  (fixtures)
from tests.project.test_history_secrecy import SECRET, secret_world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def inspector(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.INSPECTOR, name="蓝晓燕")


def rows_of(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def exported_directly(client, params) -> list[tuple]:
    response = client.get(reverse("history_timeline_export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not BackgroundJob.objects.filter(kind=JobKind.TIMELINE_EXPORT).exists()
    return rows_of(response.content)


def exported_in_background(client, params) -> tuple[BackgroundJob, list[tuple]]:
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"export_rows": 1})
    response = client.get(reverse("history_timeline_export"), params)
    job = BackgroundJob.objects.get(kind=JobKind.TIMELINE_EXPORT)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    download = client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk]))
    assert download.status_code == 200
    return job, rows_of(b"".join(download.streaming_content))


def test_above_the_export_size_a_job_writes_the_same_rows_as_the_direct_export(client, inspector):
    for name in ("临时专班", "项目推进组", "督查专班"):
        Department.objects.create(name=name)
    renamed = Department.objects.get(name="临时专班")
    renamed.name = "重点项目专班"
    renamed.save()
    client.force_login(inspector.user)
    params = {"model": "staffing.Department"}
    direct = exported_directly(client, params)
    assert any(row[5] == "名称" and row[6] == "临时专班" and row[7] == "重点项目专班" for row in direct)

    job, background = exported_in_background(client, params)

    assert background == direct
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.user == inspector.user
    assert job.total == 6  # the changes counted: 2 departments of the fixture, 3 new ones, 1 rename
    assert job.message == f"已导出 {len(direct) - 1} 行变更记录到「{job.file_name}」,请下载。"
    page = client.get(reverse("admin:staffing_backgroundjob_progress", args=[job.pk]))
    assert page.status_code == 200 and "变更记录导出" in page.content.decode()


def test_another_user_gets_404_for_the_export_job(client, inspector, two_departments, make_staff):
    client.force_login(inspector.user)
    job, _ = exported_in_background(client, {"model": "staffing.Department"})
    other = make_staff(two_departments[0], role=roles.INSPECTOR, name="黄丽华")
    client.force_login(other.user)
    for view in ("progress", "status", "download"):
        assert client.get(reverse(f"admin:staffing_backgroundjob_{view}", args=[job.pk])).status_code == 404


def test_secret_titles_are_masked_in_the_background_file_exactly_as_in_the_direct_one(client, people, secret_world):  # noqa: F811
    client.force_login(people["inspector"].user)
    params = {"app": "documents"}
    direct = exported_directly(client, params)

    _, background = exported_in_background(client, params)

    assert background == direct
    text = "\n".join(str(cell) for row in background for cell in row if cell is not None)
    assert SECRET not in text and "(涉密文件)" in text and "文印登记" in text


def test_a_job_queued_for_someone_who_may_no_longer_read_the_timeline_fails_with_the_reason(client, inspector):
    from django.contrib.auth.models import Group

    from project.tasks import timeline_export_task
    from staffing import background

    job = background.job_create(kind=JobKind.TIMELINE_EXPORT, user=inspector.user, file_name="history.xlsx", params={"query": ""})
    inspector.user.groups.remove(Group.objects.get(name=roles.INSPECTOR))
    background.job_enqueue(job, timeline_export_task)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == "变更记录仅供督查人员和中心管理员查阅。"
