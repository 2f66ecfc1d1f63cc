"""我的后台任务 and the progress page of one job: only its owner (and superusers) see it."""

from django.contrib import admin
from django.http import FileResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .. import background
from ..models import BackgroundJob, BackgroundSettings
from .base import HistoryAdmin, register_control_panel

register_control_panel(BackgroundSettings)


@admin.register(BackgroundJob)
class BackgroundJobAdmin(HistoryAdmin):
    list_display = ["job", "status", "created_at", "finished_at", "message_short"]
    list_filter = ["status", "kind"]
    list_display_links = None
    show_full_result_count = False

    def get_queryset(self, request):
        jobs = super().get_queryset(request).select_related("user")
        return jobs if request.user.is_superuser else jobs.filter(user=request.user)

    # Everyone who signs in may start an import or export, so everyone sees their own jobs.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and (obj is None or self._owns(request, obj))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _owns(self, request, obj):
        return request.user.is_superuser or obj.user_id == request.user.pk

    @admin.display(description="任务", ordering="created_at")
    def job(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:staffing_backgroundjob_progress", args=[obj.pk]), str(obj))

    @admin.display(description="结果说明")
    def message_short(self, obj):
        text = obj.message or obj.stage
        return text if len(text) <= 60 else text[:60] + "…"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:job_id>/progress/", view(self.progress_view), name="staffing_backgroundjob_progress"),
            path("<int:job_id>/status/", view(self.status_view), name="staffing_backgroundjob_status"),
            path("<int:job_id>/download/", view(self.download_view), name="staffing_backgroundjob_download"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = background.job_for(request.user, object_id)
        return self.progress_view(request, job.pk)

    def progress_view(self, request, job_id):
        job = background.job_for(request.user, job_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"后台任务:{job}",
            "job": job,
            "status": _status(job),
            "status_url": reverse("admin:staffing_backgroundjob_status", args=[job.pk]),
            "download_url": reverse("admin:staffing_backgroundjob_download", args=[job.pk]) if job.output else "",
        }
        return TemplateResponse(request, "admin/staffing/backgroundjob/progress.html", context)

    def status_view(self, request, job_id):
        """What the progress page polls every second, until the job has finished."""
        return JsonResponse(_status(background.job_for(request.user, job_id)))

    def download_view(self, request, job_id):
        from django.core.files.storage import default_storage

        job = background.job_output_for(request.user, job_id)
        name = job.result.get("download_name") or job.output.rsplit("/", 1)[-1]
        return FileResponse(default_storage.open(job.output, "rb"), as_attachment=True, filename=name)


def _status(job) -> dict:
    numbers = background.job_progress(job)
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "stage": job.stage,
        "total": job.total,
        "read": job.rows_read,
        "checked": job.rows_checked,
        "written": job.rows_written,
        "percent": numbers["percent"],
        "elapsed": background.duration_text(numbers["elapsed"]),
        "remaining": "—" if job.finished else background.duration_text(numbers["remaining"]),
    }
