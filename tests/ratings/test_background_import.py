"""The province's ratings above the size setting (后台任务设置) are imported by the background worker
after their preview: 确认导入 returns at once to the job's progress page (issue 20)."""

import pytest
from django.urls import reverse

from ratings.models import BadRatingTicket, Rating
from ratings.services import importing
from staffing.models import BackgroundJob, BackgroundSettings, JobKind, JobStatus
from tests.ratings.test_import import workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(office.user)
    return client


def rows_for(*cases):
    return [
        [cases[0].number, "满意", "网上", "2026-01-05 10:20", "很方便", "是"],
        [cases[1].number, "不满意", "短信", "2026-01-05 11:00", "等了很久", "否"],
        [cases[1].number, "非常满意", "二维码", "2026-01-05 11:05", "", "否"],
    ]


def preview_and_confirm(client, rows):
    upload = workbook(rows)
    upload.name = "评价.xlsx"
    preview = client.post(reverse("admin:ratings_rating_import"), {"workbook": upload})
    return client.post(reverse("admin:ratings_rating_import_confirm"), {"token": preview.context["token"]})


def low_threshold(rows):
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"import_rows": rows})


def uploads_left(tmp_path):
    return list((tmp_path / "media" / "tmp" / "rating-imports").iterdir())


def test_ratings_at_or_below_the_threshold_are_imported_in_the_request_as_before(signed_in, completed_case):
    low_threshold(3)

    response = preview_and_confirm(signed_in, rows_for(completed_case(), completed_case("李四")))

    assert response.url == reverse("admin:ratings_rating_changelist")
    assert Rating.objects.count() == 3 and not BackgroundJob.objects.exists()


def test_ratings_above_the_threshold_become_a_job_that_ends_with_todays_message(signed_in, completed_case, office, tmp_path):
    low_threshold(2)

    response = preview_and_confirm(signed_in, rows_for(completed_case(), completed_case("李四")))

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.kind == JobKind.RATINGS_IMPORT and job.status == JobStatus.DONE and job.user == office.user
    assert (job.total, job.rows_read, job.rows_checked, job.rows_written) == (3, 3, 3, 3)
    assert job.message == "已导入「评价.xlsx」:新增评价 3 条(其中差评 1 条,已开立差评工单),未变化 0 条。差评工单已进入承办部门的待办。"
    assert Rating.objects.count() == 3 and BadRatingTicket.objects.count() == 1
    assert not uploads_left(tmp_path)
    page = signed_in.get(response.url).content.decode()
    assert "已完成" in page and "差评工单已进入承办部门的待办" in page and "查看评价" in page and "100</span>%" in page


def test_a_row_wrong_since_the_preview_fails_the_job_listing_it_and_imports_nothing(signed_in, completed_case, office):
    low_threshold(2)
    first, second = completed_case(), completed_case("李四")
    upload = workbook(rows_for(first, second))
    upload.name = "评价.xlsx"
    preview = signed_in.post(reverse("admin:ratings_rating_import"), {"workbook": upload})
    importing.ratings_import(workbook([[first.number, "非常不满意", "网上", "2026-01-05 09:00", "", "否"]]), file_name="别的.xlsx", user=office.user)

    response = signed_in.post(reverse("admin:ratings_rating_import_confirm"), {"token": preview.context["token"]})

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED and job.message == "工作簿有 1 处错误,未导入任何评价。请改正后重新上传。"
    assert Rating.objects.count() == 1 and job.rows_written == 0
    page = signed_in.get(response.url).content.decode()
    assert f"第3行:办件{first.number}已有「网上」评价(「非常不满意」)" in page and "重新上传" in page


def test_an_exception_while_writing_fails_the_job_in_chinese_and_writes_nothing(signed_in, completed_case, monkeypatch):
    low_threshold(2)
    record = importing.rating_record
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:  # the first rating (and its history) is written, inside the transaction
            raise RuntimeError("disk full")
        return record(**kwargs)

    monkeypatch.setattr(importing, "rating_record", broken)

    response = preview_and_confirm(signed_in, rows_for(completed_case(), completed_case("李四")))

    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message == "后台任务出错(RuntimeError),未写入任何数据。请检查文件后重试;如仍出错,请联系系统管理员。"
    assert not Rating.objects.exists() and not BadRatingTicket.objects.exists()
    assert "未写入任何数据" in signed_in.get(response.url).content.decode()


def test_only_the_owner_sees_the_ratings_jobs_page(signed_in, completed_case, client, window_head):
    low_threshold(2)
    response = preview_and_confirm(signed_in, rows_for(completed_case(), completed_case("李四")))

    client.force_login(window_head.user)

    assert client.get(response.url).status_code == 404
