"""Background jobs (issue 20): lifecycle, progress numbers, who sees a job, 我的后台任务."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from staffing import background
from staffing.models import BackgroundJob, BackgroundSettings, JobKind, JobStatus
from staffing.roles import CENTER_ADMIN, OFFICE_STAFF

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(two_departments, make_staff):
    return make_staff(two_departments[0], role=CENTER_ADMIN).user


def new_job(user, total=1000):
    return background.job_create(kind=JobKind.CATALOG_IMPORT, user=user, file_name="目录.xlsx", total=total)


def test_a_job_runs_from_queued_through_running_to_done_with_its_result_and_history(owner):
    job = new_job(owner)
    seen = []

    def work(running, progress):
        seen.append(BackgroundJob.objects.get(pk=running.pk).status)
        progress("校验中", read=1000, checked=500)
        return {"ok": True, "message": "已导入。"}

    assert background.job_run(job.pk, work) == {"ok": True, "message": "已导入。"}

    job.refresh_from_db()
    assert seen == [JobStatus.RUNNING]
    assert job.status == JobStatus.DONE and job.message == "已导入。" and job.finished_at >= job.started_at
    assert (job.rows_read, job.rows_checked) == (1000, 500)
    assert list(job.history.order_by("history_id").values_list("status", "history_user")) == [
        ("queued", owner.pk), ("running", owner.pk), ("done", owner.pk),
    ]  # fmt: skip


def test_an_exception_marks_the_job_failed_with_a_chinese_message_and_is_raised_again(owner):
    job = new_job(owner)

    def work(running, progress):
        raise KeyError("x")

    with pytest.raises(KeyError):
        background.job_run(job.pk, work)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "后台任务出错(KeyError),未写入任何数据。请检查文件后重试;如仍出错,请联系系统管理员。"


def test_a_validation_error_fails_the_job_with_its_own_message(owner):
    job = new_job(owner)

    def work(running, progress):
        raise ValidationError("工作簿有 3 处错误,不能导入。")

    with pytest.raises(ValidationError):
        background.job_run(job.pk, work)

    assert BackgroundJob.objects.get(pk=job.pk).message == "工作簿有 3 处错误,不能导入。"


def test_a_job_that_has_started_cannot_start_again(owner):
    job = new_job(owner)
    background.job_start(job)

    with pytest.raises(ValidationError, match="的状态为「进行中」,不能再次开始"):
        background.job_start(job)


def test_progress_counts_half_the_bar_by_rows_read_and_checked_and_estimates_the_rest(owner):
    job = new_job(owner, total=1000)
    start = timezone.now()
    job.status, job.started_at, job.rows_read, job.rows_checked = JobStatus.RUNNING, start, 1000, 600

    numbers = background.job_progress(job, now=start + datetime.timedelta(seconds=40))

    assert numbers["percent"] == 40  # 50 × (1000 + 600) / 2000
    assert numbers["elapsed"] == 40 and numbers["remaining"] == 60


def test_while_writing_the_bar_moves_by_time_against_the_time_reading_took(owner):
    job = new_job(owner, total=1000)
    start = timezone.now()
    job.status, job.started_at = JobStatus.RUNNING, start
    job.writing_started_at = start + datetime.timedelta(seconds=20)

    numbers = background.job_progress(job, now=start + datetime.timedelta(seconds=30))

    assert numbers["percent"] == 75 and numbers["remaining"] == 10
    assert background.job_progress(job, now=start + datetime.timedelta(seconds=90))["percent"] == 97


def test_a_queued_job_is_at_zero_and_a_finished_one_at_one_hundred(owner):
    job = new_job(owner)
    assert background.job_progress(job) == {"percent": 0, "elapsed": 0, "remaining": None}
    background.job_run(job.pk, lambda running, progress: {"ok": True})
    job.refresh_from_db()
    assert background.job_progress(job)["percent"] == 100 and background.job_progress(job)["remaining"] == 0


def test_durations_read_in_chinese():
    assert background.duration_text(None) == "正在估算…"
    assert background.duration_text(42.4) == "42 秒"
    assert background.duration_text(125) == "2 分 5 秒"


def test_the_threshold_is_a_setting_with_the_defaults_and_only_more_rows_leave_the_request():
    panel = BackgroundSettings.load()
    assert (panel.import_rows, panel.export_rows) == (2000, 5000)
    assert not background.runs_in_background("import", 2000)
    assert background.runs_in_background("import", 2001)
    assert not background.runs_in_background("export", 5000) and background.runs_in_background("export", 5001)


def test_only_the_owner_and_superusers_see_a_job_and_another_users_job_is_404(client, owner, two_departments, make_staff, admin_user):
    job = new_job(owner)
    other = make_staff(two_departments[1], role=OFFICE_STAFF).user
    progress = reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    status = reverse("admin:staffing_backgroundjob_status", args=[job.pk])

    client.force_login(owner)
    page = client.get(progress)
    assert page.status_code == 200 and "排队中" in page.content.decode() and "已读取" in page.content.decode()
    assert client.get(status).json()["status_label"] == "排队中"
    client.force_login(other)
    assert client.get(progress).status_code == 404 and client.get(status).status_code == 404
    assert "目录.xlsx" not in client.get(reverse("admin:staffing_backgroundjob_changelist")).content.decode()
    assert client.get(reverse("admin:staffing_backgroundjob_change", args=[job.pk])).status_code == 404
    client.force_login(admin_user)
    assert client.get(progress).status_code == 200


def test_my_background_jobs_lists_only_my_jobs_in_a_fixed_number_of_queries(
    client, owner, two_departments, make_staff, django_assert_max_num_queries
):
    other = make_staff(two_departments[1], role=OFFICE_STAFF).user
    for _ in range(20):
        new_job(owner)
    background.job_create(kind=JobKind.CATALOG_IMPORT, user=other, file_name="别人的.xlsx")
    client.force_login(owner)

    with django_assert_max_num_queries(14):
        page = client.get(reverse("admin:staffing_backgroundjob_changelist")).content.decode()

    assert page.count("事项目录导入「目录.xlsx」") == 20 and "别人的.xlsx" not in page


def test_a_job_without_a_file_offers_no_download(client, owner):
    job = new_job(owner)
    client.force_login(owner)
    assert client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk])).status_code == 403


def test_a_clock_file_above_the_threshold_is_imported_by_a_job_with_its_unknown_badges_listed(
    client, two_departments, make_staff, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from staffing.models import ClockPunch

    settings.MEDIA_ROOT = tmp_path / "media"
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"import_rows": 2})
    office = make_staff(two_departments[0], role=OFFICE_STAFF)
    client.force_login(office.user)
    badge = office.badge_no
    data = f"工号,打卡时间\n{badge},2026-11-26 07:58\n{badge},2026-11-26 18:02\nX999,2026-11-26 08:00\n".encode()

    response = client.post("/admin/staffing/clockpunch/import/", {"file": SimpleUploadedFile("考勤11月.csv", data)})

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.kind == JobKind.CLOCK_IMPORT and job.status == JobStatus.DONE and job.total == 3
    assert ClockPunch.objects.filter(staff=office).count() == 2
    assert job.message == "已导入「考勤11月.csv」:新增 2 条,重复 0 条(已忽略),未知工号 1 条(未导入)。"
    page = client.get(response.url).content.decode()
    assert "第4行 工号「X999」:未知工号,未导入" in page and "查看打卡记录" in page
    assert not list((tmp_path / "media" / "tmp" / "clock-imports").iterdir())
