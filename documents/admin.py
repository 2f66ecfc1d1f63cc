from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin

from . import services
from .models import ReportObligation


class ReportSubmitForm(forms.Form):
    """报送: the day the department handed in its report."""

    submitted_on = forms.DateField(label="报送日期", widget=AdminDateWidget, initial=timezone.localdate)
    note = forms.CharField(label="备注", max_length=300, required=False, widget=forms.TextInput(attrs={"size": 40}))


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


@admin.register(ReportObligation)
class ReportObligationAdmin(DepartmentScopedAdminMixin, HistoryAdmin):
    list_display = ["title", "department", "due_date", "state", "submitted_on"]
    list_filter = [SubmissionFilter, "department"]
    list_select_related = ["department"]
    search_fields = ["title"]
    date_hierarchy = "due_date"
    actions = None
    add_fields = ["department", "title", "due_date", "note"]
    change_fields = ["department", "title", "due_date", "submitted_on", "note", "source_link"]

    # An obligation is opened by its source (a meeting) or by the office; after that it only moves by 报送.

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return self.change_fields + (["submit_button"] if self.has_change_permission(request, obj) else [])

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.source_id is None)

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
        return [
            path("<int:object_id>/submit/", self.admin_site.admin_view(self.submit_view), name="documents_reportobligation_submit"),
        ] + super().get_urls()

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
        # The meetings app's one-form page: the record's breadcrumb, the form, the service's refusal on top.
        return TemplateResponse(request, "admin/meetings/form_page.html", context)
