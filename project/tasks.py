"""The timeline export as a background task, above the export size of 后台任务设置: the same
`write_timeline_workbook` as the export link, run by the worker (`manage.py db_worker`) for the
user who asked, with that user's view of secret documents."""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django_tasks import task

from staffing.background import export_file, job_run

from . import history
from .history_export import write_timeline_workbook


@task()
def timeline_export_task(job_id: int) -> dict:
    return job_run(job_id, export_timeline_job)


def export_timeline_job(job, progress) -> dict:
    """Write the workbook of the filters the user chose (the export link's query) to
    MEDIA_ROOT/exports/<job>/, for its owner to download."""
    from .views import REVIEWER_ONLY, filters_from_query, may_read

    filters = filters_from_query(QueryDict(job.params.get("query", "")), job.user)
    if not may_read(job.user, filters):  # the user's roles may have changed since the job was queued
        raise ValidationError(REVIEWER_ONLY)
    visible = history.secrecy_restrictions(job.user)
    return export_file(job, lambda target: write_timeline_workbook(filters, target, visible=visible, progress=progress),
                       "{count} 行变更记录")
