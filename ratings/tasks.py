"""The province's ratings import as a background task: the same `importing.ratings_import` as the
admin's 确认导入, run by the worker above the size of 后台任务设置."""

from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from staffing.background import job_run

from .services import importing


@task()
def ratings_import_task(job_id: int) -> dict:
    return job_run(job_id, import_ratings_job)


def import_ratings_job(job, progress) -> dict:
    path = job.params["path"]
    try:
        with default_storage.open(path, "rb") as source:
            plan = importing.ratings_import(source, file_name=job.file_name, user=job.user, progress=progress)
    finally:
        default_storage.delete(path)
    if not plan.ok:
        errors = len(plan.errors) + plan.more_errors
        return {
            "ok": False,
            "message": f"工作簿有 {errors} 处错误,未导入任何评价。请改正后重新上传。",
            "errors": plan.errors,
            "errors_more": plan.more_errors,
            "next_url": reverse("admin:ratings_rating_import"),
            "next_label": "重新上传",
        }
    return {
        "ok": True,
        "message": f"已导入「{plan.file_name}」:{plan.summary}。差评工单已进入承办部门的待办。",
        "next_url": reverse("admin:ratings_rating_changelist"),
        "next_label": "查看评价",
    }
