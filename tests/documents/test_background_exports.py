"""Large Excel exports of the documents' lists (文件登记簿, 收文登记簿) are written by a background job
above the export size (后台任务设置), and downloaded by their owner only (issue 20)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from documents.services import incoming as incoming_services
from staffing.models import BackgroundJob, BackgroundSettings, JobKind, JobStatus
from tests.documents.test_documents_admin import SECRET_TITLE, draft, login, secret_document

pytestmark = pytest.mark.django_db


def export_threshold(rows):
    BackgroundSettings.objects.update_or_create(pk=1, defaults={"export_rows": rows})


def sheet_of(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return sheet.title, list(sheet.iter_rows(values_only=True))


def export_documents(client, documents):
    return client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "export_xlsx", "_selected_action": [d.pk for d in documents], "index": 0},
    )


def download(client, job):
    response = client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_documents_at_or_below_the_export_size_are_downloaded_at_once_as_before(client, people):
    export_threshold(2)
    documents = [draft(people, title="一号通知"), draft(people, title="二号通知")]

    response = export_documents(login(client, people["office"]), documents)

    assert response.status_code == 200 and not BackgroundJob.objects.exists()
    title, rows = sheet_of(response.content)
    assert title == "文件" and [row[1] for row in rows[1:]] == ["一号通知", "二号通知"]


def test_documents_above_the_export_size_become_a_job_with_the_same_workbook_only_its_owner_downloads(client, people):
    documents = [draft(people, title="一号通知"), draft(people, title="二号通知"), secret_document(people)]
    login(client, people["office"])  # the office, but not in the secret document's scope
    in_request = sheet_of(export_documents(client, documents).content)
    export_threshold(1)

    response = export_documents(client, documents)

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.kind == JobKind.LIST_EXPORT and job.status == JobStatus.DONE and job.user == people["office"].user
    assert (job.total, job.rows_written) == (2, 2) and job.output.startswith(f"exports/{job.pk}/")
    assert job.message == f"已导出 2 份文件到「{job.file_name}」,请下载。"
    page = client.get(response.url).content.decode()
    assert "下载文件" in page and "100</span>%" in page
    assert sheet_of(download(client, job)) == in_request
    assert SECRET_TITLE not in str(in_request)

    login(client, people["drafter"])
    assert client.get(reverse("admin:staffing_backgroundjob_download", args=[job.pk])).status_code == 404
    assert client.get(response.url).status_code == 404


def received(people, title):
    return incoming_services.incoming_register(user=people["office"].user, sender="县委办", title=title)


def test_the_incoming_register_of_a_year_above_the_export_size_is_written_by_a_job(client, people):
    first, second = received(people, "第一份来文"), received(people, "第二份来文")
    login(client, people["office"])
    url = reverse("admin:documents_incomingdocument_register") + f"?year={first.year}&format=xlsx"
    in_request = sheet_of(client.get(url).content)
    assert not BackgroundJob.objects.exists()
    export_threshold(1)

    response = client.get(url)

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    assert job.status == JobStatus.DONE and job.file_name == f"收文登记簿-{first.year}.xlsx"
    assert job.message == f"已导出 2 件收文到「收文登记簿-{first.year}.xlsx」,请下载。"
    title, rows = sheet_of(download(client, job))
    assert (title, rows) == in_request and title == f"{first.year}年收文登记簿"
    assert [row[4] for row in rows[1:]] == ["第一份来文", "第二份来文"] and rows[1][0] == first.number


def test_selected_incoming_documents_above_the_export_size_are_written_by_a_job(client, people):
    documents = [received(people, "第一份来文"), received(people, "第二份来文")]
    export_threshold(1)

    response = login(client, people["office"]).post(
        reverse("admin:documents_incomingdocument_changelist"),
        {"action": "export_xlsx", "_selected_action": [d.pk for d in documents], "index": 0},
    )

    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:staffing_backgroundjob_progress", args=[job.pk])
    title, rows = sheet_of(download(client, job))
    assert title == "收文登记簿" and [row[4] for row in rows[1:]] == ["第一份来文", "第二份来文"]
