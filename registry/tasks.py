"""The catalog import and export as background tasks: the same `workbook.catalog_import` as the admin's
确认导入 and `manage.py import_catalog`, the same `write_catalog_workbook` as the export action and
`manage.py export_catalog`, run by the worker (`manage.py db_worker`) above the sizes of 后台任务设置."""

from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from staffing.background import export_file, job_run

from . import workbook
from .models import ServiceItem

RESULT_ERRORS = 1000  # errors kept on the job for its page; the rest are counted


@task()
def catalog_import_task(job_id: int) -> dict:
    return job_run(job_id, import_catalog_job)


def import_catalog_job(job, progress) -> dict:
    path = job.params["path"]
    try:
        with default_storage.open(path, "rb") as source:
            plan = workbook.catalog_import(
                source, file_name=job.file_name, user=job.user,
                create_departments=job.params.get("create_departments", False), progress=progress,
            )  # fmt: skip
    finally:
        default_storage.delete(path)
    return plan_result(plan)


def plan_result(plan) -> dict:
    """What the result page shows of a plan: today's success message, or the preview's errors."""
    return {
        "ok": plan.ok,
        "file_name": plan.file_name,
        "summary": plan.summary,
        "counts": [len(plan.new_items), len(plan.changed_items), plan.unchanged_count, len(plan.errors)],
        "errors": [str(error) for error in plan.errors[:RESULT_ERRORS]],
        "errors_more": max(0, len(plan.errors) - RESULT_ERRORS),
        "warnings": plan.unknown_columns + plan.warnings,
        "new_departments": [department.name for department in plan.new_departments],
        "next_url": reverse("admin:registry_serviceitem_changelist" if plan.ok else "admin:registry_serviceitem_catalog_import"),
        "next_label": "查看事项目录" if plan.ok else "重新上传",
        "message": (
            f"已导入「{plan.file_name}」:{plan.summary}。"
            if plan.ok
            else f"工作簿有 {len(plan.errors)} 处错误,未作任何修改。请改正后重新上传。"
        ),
    }


@task()
def catalog_export_task(job_id: int) -> dict:
    return job_run(job_id, export_catalog_job)


def export_catalog_job(job, progress) -> dict:
    """Write the chosen items' workbook for its owner to download."""
    items = ServiceItem.objects.filter(pk__in=job.params["ids"])
    result = export_file(job, lambda target: workbook.write_catalog_workbook(items, target, progress=progress), "{count} 个事项")
    progress("", read=result["count"], checked=result["count"], written=result["count"])
    return result
