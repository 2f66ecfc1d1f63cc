"""报告任务 (S2.4-b, S3.3, S3.5): the obligations list with 报送, 「生成年度报告任务」, and the late
reports grouped per section."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin
from staffing.admin.service_forms import add_service_error

from .. import selectors, services
from ..forms import ReportSubmitForm, YearForm
from ..models import ReportObligation
from .common import export_link, wants_xlsx, xlsx_response
from project.secrecy import MaskSecretTitlesMixin  # S3.6-b in derived records (issue 16)


class SubmissionFilter(admin.SimpleListFilter):
    title = "报送情况"
    parameter_name = "submission"

    def lookups(self, request, model_admin):
        return [("overdue", "逾期未报送"), ("open", "未报送"), ("submitted", "已报送")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(submitted_on__isnull=True, due_date__lt=timezone.localdate())
        if self.value() == "open":
            return queryset.filter(submitted_on__isnull=True)
        if self.value() == "submitted":
            return queryset.filter(submitted_on__isnull=False)
        return queryset


class WaitingForMeFilter(admin.SimpleListFilter):
    """待我办理 (project.inbox): reports my section still owes."""

    title = "待我办理"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", "本股室待报送")]

    def queryset(self, request, queryset):
        from staffing.selectors import user_department_ids

        if self.value() == "me":
            return queryset.filter(submitted_on__isnull=True, department_id__in=list(user_department_ids(request.user)))
        return queryset


@admin.register(ReportObligation)
class ReportObligationAdmin(MaskSecretTitlesMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    list_display = ["title", "department", "due_date", "state", "submitted_on"]
    list_filter = [WaitingForMeFilter, SubmissionFilter, "department"]
    list_select_related = ["department"]
    search_fields = ["title"]
    date_hierarchy = "due_date"
    actions = None
    change_list_template = "admin/documents/reportobligation/change_list.html"
    add_fields = ["department", "title", "due_date", "note"]
    change_fields = ["department", "title", "due_date", "submitted_on", "note", "source_link"]

    # An obligation is opened by its source (a meeting) or by the office; after that it only moves by 报送.

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return self.change_fields + (["submit_button"] if self.has_change_permission(request, obj) else [])

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    @admin.display(description="状态", ordering="due_date")
    def state(self, obj):
        if obj.submitted_on:
            return "已报送"
        if obj.due_date < timezone.localdate():
            return mark_safe('<strong style="color:#ba2121">逾期未报送</strong>')
        return "待报送"

    @admin.display(description="来源")
    def source_link(self, obj):
        source = obj.source
        if source is None:
            return "—"
        opts = source._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[source.pk])
        except NoReverseMatch:
            return str(source)
        return format_html('<a href="{}">{}</a>', url, source)

    @admin.display(description="报送")
    def submit_button(self, obj):
        if obj.submitted_on:
            return f"已于{obj.submitted_on:%Y年%m月%d日}报送"
        return format_html('<a class="button" href="{}">报送…</a>', reverse("admin:documents_reportobligation_submit", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only here: the page changes only by its 报送 button.
        buttons = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**buttons, **(extra_context or {})})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("generate/", wrap(self.generate_view), name="documents_reportobligation_generate"),
            path("late/", wrap(self.late_view), name="documents_reportobligation_late"),
            path("<int:object_id>/submit/", wrap(self.submit_view), name="documents_reportobligation_submit"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        context = {"can_generate": self.has_add_permission(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def generate_view(self, request):
        """生成年度报告任务: every section's quarterly and monthly reports of a year, on the work calendar."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = YearForm(request.POST if request.method == "POST" else None, initial={"year": today.year})
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"]
            try:
                created = services.report_obligations_generate(year=year, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                if created:
                    self.message_user(request, f"已生成{year}年报告任务{created}项。", messages.SUCCESS)
                else:
                    self.message_user(request, f"{year}年的报告任务已全部生成,没有新增。", messages.INFO)
                return HttpResponseRedirect(reverse("admin:documents_reportobligation_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "生成年度报告任务",
            "label": "生成年度报告任务",
            "record_url": "",
            "form": form,
            "facts": [
                ("股室", "每季度年度目标自查报告(季末前若干个工作日,见公文与督办设置);每月重点工作情况报告(月末最后一个工作日)"),
                ("各部门", "每月工作总结及下月计划(月末最后一个工作日)"),
            ],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/documents/form_page.html", context)

    def late_view(self, request):
        """逾期未报送, per section: what each department owes and since when."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        groups = selectors.late_reports_by_department(request.user, today)
        headers = ["报告名称", "报告类别", "报送期限", "逾期天数"]
        if wants_xlsx(request):
            rows = [
                [group["department"].name, o.title, o.kind, o.due_date, (today - o.due_date).days]
                for group in groups
                for o in group["obligations"]
            ]
            return xlsx_response(f"逾期未报送报告-{today:%Y%m%d}.xlsx", [("逾期未报送", ["部门"] + headers, rows)])
        tables = [
            {
                "title": f"{group['department'].name}(逾期{len(group['obligations'])}项)",
                "headers": headers,
                "rows": [
                    {
                        "cells": [
                            {"text": o.title, "url": reverse("admin:documents_reportobligation_change", args=[o.pk])},
                            {"text": o.kind or "—"},
                            {"text": o.due_date.isoformat()},
                            {"text": f"{(today - o.due_date).days}天", "num": True},
                        ]
                    }
                    for o in group["obligations"]
                ],
            }
            for group in groups
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "逾期未报送的报告",
            "tables": tables,
            "empty": "没有逾期未报送的报告。",
            "export_url": export_link(request),
        }
        return TemplateResponse(request, "admin/documents/report.html", context)

    def submit_view(self, request, object_id):
        obligation = self.get_object(request, unquote(str(object_id)))  # scoped: another department's is "not found"
        if obligation is None:
            raise Http404("没有找到该报告任务。")
        if not self.has_change_permission(request, obligation):
            raise PermissionDenied
        change_url = reverse("admin:documents_reportobligation_change", args=[obligation.pk])
        form = ReportSubmitForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                services.report_obligation_submit(obligation=obligation, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, f"已登记「{obligation.title}」于{obligation.submitted_on:%Y年%m月%d日}报送。", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"报送:{obligation.title}",
            "label": "登记报送",
            "record": obligation,
            "record_url": change_url,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/documents/form_page.html", context)
