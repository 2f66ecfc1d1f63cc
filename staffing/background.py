"""Background jobs: the lifecycle every app's tasks.py runs its work in, and the progress it reports.

    job = job_create(kind=JobKind.CATALOG_IMPORT, user=request.user, file_name=..., total=..., params=...)
    job_enqueue(job, catalog_import_task)          # registry/tasks.py: @task() def …(job_id)
    # in the task:
    return job_run(job_id, work)                   # work(job, progress) -> result dict

`job_run` marks the job 进行中, calls the work with a `Progress` (one UPDATE per call: the work calls
it once per batch of rows), and ends it 已完成 (or 失败, when the result says so) with the result; an
exception ends it 失败 with a Chinese message. The work writes in one transaction of its own, so a
failure leaves nothing half-written, while the counts written before that transaction are committed
and visible to the progress page.
"""

import logging
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

from .models import BackgroundJob, BackgroundSettings, JobStatus

logger = logging.getLogger(__name__)
FAILURE = "后台任务出错({error}),未写入任何数据。请检查文件后重试;如仍出错,请联系系统管理员。"
WRITING_SHARE = 50  # percent of a job's bar for its one writing transaction (about half an import's time)


# ---------------------------------------------------------------- thresholds


def runs_in_background(kind: str, rows: int) -> bool:
    """Whether work of this many rows leaves the request (kind: "import" or "export")."""
    panel = BackgroundSettings.load()
    return rows > (panel.import_rows if kind == "import" else panel.export_rows)


# ---------------------------------------------------------------- lifecycle (services)


def job_create(*, kind, user, file_name="", total=0, params=None) -> BackgroundJob:
    job = BackgroundJob(kind=kind, user=user, file_name=file_name, total=total, params=params or {}, stage="等待后台处理…")
    job._history_user = user
    job.full_clean()
    job.save()
    return job


def job_enqueue(job: BackgroundJob, task) -> BackgroundJob:
    """Hand the job to the worker (django-tasks); the immediate backend runs it here and now."""
    task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _transition(job, status, **fields):
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)
    job._history_user = job.user
    job.save()


def job_start(job: BackgroundJob) -> None:
    if job.status != JobStatus.QUEUED:
        raise ValidationError(f"后台任务「{job}」的状态为「{job.get_status_display()}」,不能再次开始。")
    _transition(job, JobStatus.RUNNING, started_at=timezone.now(), stage="开始处理…")


def job_finish(job: BackgroundJob, result: dict) -> None:
    """已完成, or 失败 when the result says the work refused its input (result["ok"] is False)."""
    ok = result.get("ok", True)
    _transition(
        job, JobStatus.DONE if ok else JobStatus.FAILED,
        finished_at=timezone.now(), result=result, message=result.get("message", ""), output=result.get("output", ""),
        stage="" if ok else "未完成",
    )  # fmt: skip


def job_fail(job: BackgroundJob, message: str) -> None:
    _transition(job, JobStatus.FAILED, finished_at=timezone.now(), message=message, stage="失败")


def job_run(job_id: int, work) -> dict:
    job = BackgroundJob.objects.select_related("user").get(pk=job_id)
    job_start(job)
    try:
        result = work(job, Progress(job))
    except Exception as error:
        # The work's own transaction has rolled back; the failure itself is recorded outside it.
        logger.exception("Background job %s failed", job_id)
        job.refresh_from_db()
        job_fail(job, failure_message(error))
        raise
    job.refresh_from_db()
    job_finish(job, result)
    return result


def failure_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return ";".join(error.messages)
    return FAILURE.format(error=type(error).__name__)


def export_file(job: BackgroundJob, write, counted: str) -> dict:
    """An export job's ending: `write(target)` fills a temporary file and returns the rows it wrote; the
    file is kept under MEDIA_ROOT/exports/<job>/ for its owner to download from the progress page.
    `counted` names the rows, e.g. "{count} 个事项"."""
    with tempfile.TemporaryFile() as target:
        count = write(target)
        target.seek(0)
        path = default_storage.save(f"exports/{job.pk}/{job.file_name}", target)
    return {
        "ok": True,
        "message": f"已导出 {counted.format(count=count)}到「{job.file_name}」,请下载。",
        "output": path,
        "download_name": job.file_name,
        "count": count,
    }


class Progress:
    """The work's progress callback: `progress("正在…", read=…, checked=…, written=…)`, once per batch."""

    def __init__(self, job):
        self.job = job

    def __call__(self, stage="", *, read=None, checked=None, written=None, writing=False):
        fields = {"stage": stage[:200]} if stage else {}
        for name, value in (("rows_read", read), ("rows_checked", checked), ("rows_written", written)):
            if value is not None:
                fields[name] = value
        if writing:
            fields["writing_started_at"] = timezone.now()
        if fields:
            BackgroundJob.objects.filter(pk=self.job.pk).update(**fields)


# ---------------------------------------------------------------- reading (selectors)


def job_for(user, job_id) -> BackgroundJob:
    """The job, for its owner or a superuser; anyone else gets 404 (a job's id says nothing)."""
    jobs = BackgroundJob.objects.select_related("user")
    if not user.is_superuser:
        jobs = jobs.filter(user=user)
    try:
        return jobs.get(pk=job_id)
    except (BackgroundJob.DoesNotExist, ValueError):
        raise Http404("没有这个后台任务。") from None


def job_output_for(user, job_id) -> BackgroundJob:
    job = job_for(user, job_id)
    if not job.output or job.status != JobStatus.DONE:
        raise PermissionDenied("这个后台任务没有可下载的文件。")
    return job


def job_progress(job: BackgroundJob, now=None) -> dict:
    """Percent, elapsed and remaining seconds for the progress page.

    Reading and checking fill the first half of the bar by rows; the writing transaction the second
    half, estimated by time (its rows become visible only when it commits): it takes about as long as
    reading and checking did.
    """
    now = now or timezone.now()
    if job.finished:
        percent = 100 if job.status == JobStatus.DONE else _counted_percent(job)
        elapsed = ((job.finished_at or now) - (job.started_at or job.created_at)).total_seconds()
        return {"percent": percent, "elapsed": elapsed, "remaining": 0}
    if job.started_at is None:
        return {"percent": 0, "elapsed": 0, "remaining": None}
    elapsed = (now - job.started_at).total_seconds()
    if job.writing_started_at:
        before = max(1.0, (job.writing_started_at - job.started_at).total_seconds())
        writing = (now - job.writing_started_at).total_seconds()
        share = min(0.95, writing / before)
        percent = 100 - WRITING_SHARE + int(WRITING_SHARE * share)
        return {"percent": percent, "elapsed": elapsed, "remaining": max(0.0, before - writing)}
    percent = _counted_percent(job)
    remaining = elapsed * (100 - percent) / percent if percent else None
    return {"percent": percent, "elapsed": elapsed, "remaining": remaining}


def _counted_percent(job):
    if not job.total:
        return 0
    done = (min(job.rows_read, job.total) + min(job.rows_checked, job.total)) / (2 * job.total)
    written = min(job.rows_written, job.total) / job.total
    return int((100 - WRITING_SHARE) * done + WRITING_SHARE * written)


def duration_text(seconds) -> str:
    if seconds is None:
        return "正在估算…"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} 秒"
    return f"{seconds // 60} 分 {seconds % 60} 秒"
