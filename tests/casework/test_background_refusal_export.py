"""The refusal register's export above the export size (后台任务设置) is written by a background job
with the same columns and values, and downloaded by its owner only (issue 20)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from staffing.models import BackgroundJob, BackgroundSettings, JobKind, JobStatus
from tests.casework.test_refusal_admin import receive, refuse

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/casework/refusal/export/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def values(content):
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.values)


def test_the_register_above_the_export_size_becomes_a_job_with_the_same_rows(
    client, committed_item, market_window, clerk, make_staff, two_departments
):
    refuse(receive(committed_item, market_window, clerk), clerk, reason="第一个理由")
    refuse(receive(committed_item, market_window, clerk), clerk, reason="=1+1")
    refuse(receive(committed_item, market_window, clerk), clerk, category="other", reason="其他原因")
    client.force_login(clerk.user)
    in_request = values(client.get(EXPORT_URL + "?category=not_allowed").content)
    assert not BackgroundJob.objects.exists() and len(in_request) == 3
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"export_rows": 1})

    response = client.get(EXPORT_URL + "?category=not_allowed")

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.kind == JobKind.LIST_EXPORT and job.status == JobStatus.DONE and job.total == 2
    assert job.message == f"已导出 2 条否定报备到「{job.file_name}」,请下载。" and job.file_name.endswith(".xlsx")
    download = client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk]))
    rows = values(b"".join(download.streaming_content))
    assert rows[0] == in_request[0] and sorted(rows[1:]) == sorted(in_request[1:])
    assert {row[5] for row in rows[1:]} == {"第一个理由", "1+1"}  # never a formula: "=" dropped, as in the request

    client.force_login(make_staff(two_departments[1]).user)
    assert client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk])).status_code == 404
