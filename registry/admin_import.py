"""The catalog workbook in the admin: upload → preview → confirm, the blank template, the export action.

The upload is kept in the default storage under tmp/catalog-imports/ (MEDIA_ROOT/tmp/… on disk,
shared storage when several app servers run) and its token in the uploader's session, so that only
the uploader confirms it. Confirming reads the stored file again and imports it in one transaction.
"""

import datetime
import io
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from staffing import background, spreadsheet
from staffing.models import JobKind

from . import workbook
from .tasks import catalog_export_task, catalog_import_task

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_DIR = "tmp/catalog-imports"
SESSION_KEY = "catalog_imports"
PREVIEW_LIMIT = 200  # new and changed items listed in the preview; the rest are counted
STALE_UPLOAD = datetime.timedelta(days=1)


def xlsx_response(write, file_name):
    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name)
    return response


class CatalogImportAdminMixin:
    """For ServiceItemAdmin: the 「导入事项目录」 pages and the 「导出所选事项为Excel」 action."""

    change_list_template = "admin/registry/serviceitem/catalog_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.catalog_import_view), name="registry_serviceitem_catalog_import"),
            path("import/confirm/", view(self.catalog_confirm_view), name="registry_serviceitem_catalog_confirm"),
            path("import/template/", view(self.catalog_template_view), name="registry_serviceitem_catalog_template"),
        ] + super().get_urls()

    def has_catalog_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_catalog_import_permission(request):
            extra_context["catalog_import_url"] = reverse("admin:registry_serviceitem_catalog_import")
            extra_context["catalog_template_url"] = reverse("admin:registry_serviceitem_catalog_template")
        return super().changelist_view(request, extra_context=extra_context)

    def _context(self, request, title, **context):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context}

    def catalog_template_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return xlsx_response(workbook.write_blank_template, "事项目录导入模板.xlsx")

    def catalog_import_view(self, request):
        if not self.has_catalog_import_permission(request):
            raise PermissionDenied
        upload = request.FILES.get("workbook") if request.method == "POST" else None
        if upload is None:
            return self._upload_page(request, "请选择要导入的 Excel 工作簿(.xlsx)。" if request.method == "POST" else "")
        try:
            spreadsheet.check_upload_size(upload)
        except ValidationError as error:
            return self._upload_page(request, error.messages[0])
        create = request.POST.get("create_departments") == "on"
        _remove_stale_uploads()
        token = uuid.uuid4().hex
        stored = default_storage.save(f"{UPLOAD_DIR}/{token}.xlsx", upload)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"path": stored, "file_name": upload.name, "create_departments": create}
        request.session[SESSION_KEY] = pending
        with default_storage.open(stored, "rb") as source:
            plan = workbook.catalog_plan(source, file_name=upload.name, create_departments=create)
        if not plan.ok:
            _forget(request, token)
        else:  # its size decides, at 确认导入, whether the import runs in the background
            pending[token].update(items=plan.sheet_rows.get(workbook.ITEM_SHEET, 0), rows=plan.rows_read)
            request.session[SESSION_KEY] = pending
        return self._preview(request, plan, token)

    def _upload_page(self, request, error):
        return TemplateResponse(
            request,
            "admin/registry/serviceitem/catalog_import.html",
            self._context(request, "导入事项目录", error=error, template_url=reverse("admin:registry_serviceitem_catalog_template")),
        )

    def _preview(self, request, plan, token):
        new, changed = plan.new_items, plan.changed_items
        context = self._context(
            request,
            "导入事项目录:预览" if plan.ok else "导入事项目录:有错误,未导入",
            plan=plan,
            token=token,
            new_items=new[:PREVIEW_LIMIT],
            new_more=max(0, len(new) - PREVIEW_LIMIT),
            changed_items=changed[:PREVIEW_LIMIT],
            changed_more=max(0, len(changed) - PREVIEW_LIMIT),
            import_url=reverse("admin:registry_serviceitem_catalog_import"),
        )
        return TemplateResponse(request, "admin/registry/serviceitem/catalog_preview.html", context)

    def catalog_confirm_view(self, request):
        if not self.has_catalog_import_permission(request):
            raise PermissionDenied
        token = request.POST.get("token", "") if request.method == "POST" else ""
        pending = request.session.get(SESSION_KEY, {}).get(token)
        if pending is None or not default_storage.exists(pending["path"]):
            _forget(request, token)
            self.message_user(request, "导入已失效或已完成,请重新上传工作簿。", messages.WARNING)
            return redirect("admin:registry_serviceitem_catalog_import")
        if background.runs_in_background("import", pending.get("items", 0)):
            return self._confirm_in_background(request, token, pending)
        with default_storage.open(pending["path"], "rb") as source:
            plan = workbook.catalog_import(
                source, file_name=pending["file_name"], user=request.user, create_departments=pending["create_departments"]
            )
        _forget(request, token)
        if not plan.ok:
            return self._preview(request, plan, token="")
        self.message_user(request, f"已导入「{plan.file_name}」:{plan.summary}。", messages.SUCCESS)
        return redirect("admin:registry_serviceitem_changelist")

    def _confirm_in_background(self, request, token, pending):
        """A large workbook: the worker imports it; the page returns at once to the job's progress."""
        job = background.job_create(
            kind=JobKind.CATALOG_IMPORT, user=request.user, file_name=pending["file_name"], total=pending.get("rows", 0),
            params={"path": pending["path"], "create_departments": pending["create_departments"]},
        )  # fmt: skip
        _forget(request, token, keep_file=True)  # the task reads it, then deletes it
        background.job_enqueue(job, catalog_import_task)
        return redirect("admin:staffing_backgroundjob_progress", job.pk)

    def export_catalog(self, request, queryset):
        stamp = timezone.localdate().strftime("%Y%m%d")
        file_name = f"事项目录-{stamp}.xlsx"
        ids = list(queryset.order_by().values_list("pk", flat=True))
        if background.runs_in_background("export", len(ids)):
            job = background.job_create(
                kind=JobKind.CATALOG_EXPORT, user=request.user, file_name=file_name, total=len(ids), params={"ids": ids}
            )
            background.job_enqueue(job, catalog_export_task)
            return redirect("admin:staffing_backgroundjob_progress", job.pk)
        return xlsx_response(lambda target: workbook.write_catalog_workbook(queryset, target), file_name)

    export_catalog.short_description = "导出所选事项为Excel"
    export_catalog.allowed_permissions = ["view"]


def _forget(request, token, keep_file=False):
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry and not keep_file:
        default_storage.delete(entry["path"])


def _remove_stale_uploads():
    """Uploads that were previewed but never confirmed, after a day."""
    try:
        _, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return
    for name in files:
        file_path = f"{UPLOAD_DIR}/{name}"
        if timezone.now() - default_storage.get_modified_time(file_path) > STALE_UPLOAD:
            default_storage.delete(file_path)
