"""Staffing's background tasks: the clock file import, the same `read_punch_file` and
`services.punches_import` as the admin's 导入考勤机数据, and the organisation import, the same checks
and writing as the admin's 导入 (`organisation_import.sheet_import`), run by the worker for large files;
and the Excel export of any large list (`list_exports`)."""

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks import task
from import_export.signals import post_import

from . import services, spreadsheet
from .attendance_import import import_summary, read_punch_file
from .background import job_run
from .list_exports import list_export_job
from .organisation_import import first_sheet_dataset, sheet_import
from .resources import ExcelModelResource


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


@task()
def organisation_import_task(job_id: int) -> dict:
    return job_run(job_id, import_organisation_job)


def import_organisation_job(job, progress) -> dict:
    """The admin's 导入 of 部门, 窗口 or 工作人员 (the first sheet, with that list's resource): every row
    checked, then written in one transaction, or nothing written and every error listed."""
    resource_class = import_string(job.params["resource"])
    if not issubclass(resource_class, ExcelModelResource):
        raise ValueError(f"not an Excel import resource: {job.params['resource']}")
    path = job.params["path"]
    try:
        with default_storage.open(path, "rb") as source:
            sheet, dataset = first_sheet_dataset(source, job.file_name, job.params.get("rows_kind", "organisation"))
    except spreadsheet.WorkbookError as error:
        return {"ok": False, "message": f"无法读取「{job.file_name}」,未作任何修改。", "errors": [str(error)]}
    finally:
        default_storage.delete(path)
    result = sheet_import(dataset, sheet=sheet, resource_class=resource_class, user=job.user, progress=progress)
    if result["ok"]:
        post_import.send(sender=None, model=resource_class._meta.model)
    result["next_url"] = job.params["next_url" if result["ok"] else "retry_url"]
    result["next_label"] = "查看列表" if result["ok"] else "重新上传"
    return result


@task()
def list_export_task(job_id: int) -> dict:
    return job_run(job_id, list_export_job)
