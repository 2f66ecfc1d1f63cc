"""Staffing's background tasks: the clock file import, the same `read_punch_file` and
`services.punches_import` as the admin's 导入考勤机数据, run by the worker for large files."""

from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from . import services
from .attendance_import import import_summary, read_punch_file
from .background import job_run


@task()
def clock_import_task(job_id: int) -> dict:
    return job_run(job_id, import_clock_job)


def import_clock_job(job, progress) -> dict:
    path = job.params["path"]
    try:
        with default_storage.open(path, "rb") as source:
            parsed = read_punch_file(source, job.file_name)
    finally:
        default_storage.delete(path)
    progress("文件已读取并校验。", read=len(parsed.rows), checked=len(parsed.rows))
    if not parsed.ok:
        errors = parsed.errors + ([f"……另有 {parsed.more_errors} 处错误未列出。"] if parsed.more_errors else [])
        return {"ok": False, "message": "文件中有无法识别的内容,未导入任何记录。请改正后重新导入。", "errors": errors}
    progress("正在写入打卡记录…", writing=True)
    report = services.punches_import(parsed.rows, user=job.user)
    progress("", written=len(parsed.rows))
    unknown = [f"第{row}行 工号「{badge}」:未知工号,未导入" for row, badge in report.unknown[:1000]]
    return {
        "ok": True,
        "message": import_summary(job.file_name, report),
        "warnings": unknown,
        "next_url": reverse("admin:staffing_clockpunch_changelist"),
        "next_label": "查看打卡记录",
    }
