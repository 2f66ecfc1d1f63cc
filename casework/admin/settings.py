"""Casework settings (办件设置) and the wording of the notices (文书模板), with a preview for a sample case."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from staffing.admin.base import HistoryAdmin, register_control_panel

from ..consultation_forms import NoticeTemplateForm
from ..models import CaseworkSettings, NoticeKind, NoticeTemplate
from ..services.notice_templates import render_preview

register_control_panel(CaseworkSettings)


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(HistoryAdmin):
    """One template per kind of notice; issued notices keep the text they were issued with."""

    form = NoticeTemplateForm
    list_display = ["kind", "title", "number_prefix"]
    fields = ["kind", "title", "number_prefix", "body"]

    change_form_template = "admin/casework/noticetemplate/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "body_source"] if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ["kind", "title", "number_prefix", "body_source"]  # read-only: the source shown as code
        return self.fields

    @admin.display(description="正文模板")
    def body_source(self, template):
        return format_html('<pre style="white-space:pre-wrap"><code>{}</code></pre>', template.body)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<path:object_id>/preview/", preview, name="casework_noticetemplate_preview"), *super().get_urls()]

    def preview_view(self, request, object_id):
        """The notice that the template (as stored, or as edited and posted here) gives for a sample case;
        nothing is saved. The page keeps the edited text, to save it or change it again."""
        template = self.get_object(request, unquote(object_id))
        if template is None:
            raise Http404("没有这个文书模板。")
        if not self.has_change_permission(request, template):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else {}
        title = data.get("title", template.title)
        number_prefix = data.get("number_prefix", template.number_prefix)
        body = data.get("body", template.body)
        text, errors = render_preview(body)
        year = timezone.localdate().year
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": template,
            "title": f"预览：{template}",
            "preview_title": title,
            "preview_number": f"{number_prefix}〔{year}〕1号",
            "preview_text": text,
            "preview_errors": errors,
            "edited": {"title": title, "number_prefix": number_prefix, "body": body},
            "change_url": reverse("admin:casework_noticetemplate_change", args=[template.pk]),
            "preview_url": reverse("admin:casework_noticetemplate_preview", args=[template.pk]),
        }
        return TemplateResponse(request, "admin/casework/noticetemplate/preview.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        preview_url = reverse("admin:casework_noticetemplate_preview", args=[object_id])
        extra_context = {**(extra_context or {}), "preview_url": preview_url}
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        # Only a kind without a template may be added (the four come with the installation).
        if not super().has_add_permission(request):
            return False
        # The sidebar of every admin page asks too; the four templates come with the installation and
        # cannot be deleted, so only the templates' own pages count them (a query saved on every page).
        match = getattr(request, "resolver_match", None)
        if match is None or not (match.url_name or "").startswith("casework_noticetemplate_"):
            return False
        if not hasattr(request, "_notice_kinds_missing"):
            request._notice_kinds_missing = NoticeTemplate.objects.count() < len(NoticeKind.choices)
        return request._notice_kinds_missing

    def has_delete_permission(self, request, obj=None):
        return False
