"""责任追究 (S1.8, S1.4, S5.5) and 考核 (S1.1-c).

Accountability records are opened by `manage.py sweep_deadlines`, never typed in: the list links each
one to the record that caused it, and the office decides it on its page (作出处理 / 免责) through
accountability_decide. Assessment sheets are generated with their measured facts by the casework
page 生成月度考核表 (staffing does not import casework); here the assessor adds score and comment.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from .. import services
from ..models import AccountabilityRecord, AccountabilityStatus, Assessment
from .service_forms import service_message
from .base import DepartmentScopedAdminMixin, HistoryAdmin
from project.secrecy import MaskSecretTitlesMixin  # S3.6-b in derived records (issue 16)

RelatedOnly = admin.RelatedOnlyFieldListFilter
DECIDE_PERMISSION = "staffing.change_accountabilityrecord"


class DecisionForm(forms.Form):
    measure = forms.CharField(
        label="处理措施/免责理由",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="作出处理时写明措施(如:批评教育、通报批评、扣减考核分);免责时写明核查情况和理由。",
    )


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(MaskSecretTitlesMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    list_display = [
        "opened_on", "violation", "source_link", "department", "responsible", "head", "status_display",
        "measure_short", "decided_on",
    ]  # fmt: skip
    list_filter = ["status", "violation", ("department", RelatedOnly)]
    list_select_related = ["department", "responsible", "head", "source_type"]
    search_fields = ["responsible__name", "head__name", "description"]
    show_full_result_count = False
    actions = None
    fields = [
        ("violation", "status"), "source_link", ("department", "opened_on"), ("responsible", "head"), "description",
        "measure", "decided_on",
    ]  # fmt: skip
    readonly_fields = [
        "violation", "status", "source_link", "department", "opened_on", "responsible", "head", "description", "measure",
        "decided_on",
    ]  # fmt: skip
    change_form_template = "admin/staffing/accountabilityrecord/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("source")

    def has_add_permission(self, request):
        return False  # opened by sweep_deadlines

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="来源")
    def source_link(self, obj):
        if obj.source_type_id is None:
            return "—"
        model = obj.source_type.model_class()
        source = obj.source
        if source is not None:
            label = f"{model._meta.verbose_name}:{source}"
        else:
            label = f"{obj.source_type.name} #{obj.source_id}(已删除)"
        short = format_html('<span title="{}">{}</span>', label, Truncator(label).chars(24))
        if source is None or not self.admin_site.is_registered(model):
            return short
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.source_id])
        except NoReverseMatch:
            return short
        return format_html('<a href="{}">{}</a>', url, short)

    @admin.display(description="状态", ordering="status")
    def status_display(self, obj):
        css = {AccountabilityStatus.OPEN: "pending", AccountabilityStatus.DECIDED: "rejected"}.get(obj.status, "approved")
        return format_html('<span class="request-status {}">{}</span>', css, obj.get_status_display())

    @admin.display(description="处理措施")
    def measure_short(self, obj):
        return Truncator(obj.measure).chars(24) if obj.measure else "—"

    # The decision on the record's page

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.decision_view))
        return [path("<path:object_id>/decide/", view, name="staffing_accountabilityrecord_decide")] + super().get_urls()

    def can_decide(self, request, obj) -> bool:
        return obj.status == AccountabilityStatus.OPEN and request.user.has_perm(DECIDE_PERMISSION)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None and self.can_decide(request, obj):
            extra_context.update(
                decision_form=DecisionForm(),
                decision_url=reverse("admin:staffing_accountabilityrecord_decide", args=[obj.pk]),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        buttons = [name for name in ("decide", "dismiss") if name in request.POST]
        form = DecisionForm(request.POST)
        if len(buttons) != 1:
            self.message_user(request, "请点击「作出处理」或「免责」提交。", messages.ERROR)
        elif not form.is_valid():
            self.message_user(request, ";".join(e for errors in form.errors.values() for e in errors), messages.ERROR)
        else:
            dismiss = buttons[0] == "dismiss"
            try:
                services.accountability_decide(
                    record=obj, user=request.user, measure=form.cleaned_data["measure"], dismiss=dismiss
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"未能提交:{service_message(error)}", messages.ERROR)
            else:
                who = obj.responsible.name if obj.responsible_id else str(obj.department)
                done = f"已{'免责' if dismiss else '作出处理'}:{obj.get_violation_display()}({who})。"
                self.log_change(request, obj, done)
                self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:staffing_accountabilityrecord_change", obj.pk)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["score", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        help_texts = {"score": "百分制,可保留一位小数。"}

    def clean_score(self):
        score = self.cleaned_data.get("score")
        if score is not None and not 0 <= score <= 100:
            raise ValidationError("考核得分须在0至100之间。", code="score_range")
        return score


@admin.register(Assessment)
class AssessmentAdmin(DepartmentScopedAdminMixin, HistoryAdmin):
    department_path = "staff__department"
    form = AssessmentForm
    list_display = [
        "staff_name", "department", "period", "cases_handled", "cases_on_time", "on_time_rate_display",
        "complaints_upheld", "refusals_overturned", "accountability_records", "ratings_good", "ratings_bad", "score", "assessor",
    ]  # fmt: skip
    list_filter = ["year", "month", ("staff__department", RelatedOnly)]
    list_select_related = ["staff__department", "assessor"]
    search_fields = ["staff__name", "staff__badge_no"]
    show_full_result_count = False
    actions = None
    facts = [
        "cases_handled", "cases_on_time", "on_time_rate_display", "complaints_upheld", "refusals_overturned",
        "accountability_records", "attendance_issues", "ratings_count", "ratings_good", "ratings_bad",
    ]  # fmt: skip
    fieldsets = [
        ("考核对象", {"fields": [("staff", "year", "month")]}),
        ("统计数据(自动生成)", {"fields": facts}),
        ("考核", {"fields": ["score", "comment", "assessor"]}),
    ]
    readonly_fields = ["staff", "year", "month", *facts, "assessor"]
    change_list_template = "admin/staffing/assessment/change_list.html"

    def has_add_permission(self, request):
        return False  # generated with the measured facts (生成月度考核表)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if request.user.has_perm("staffing.add_assessment"):
            try:
                extra_context["generate_url"] = reverse("admin:casework_case_assessment_generate")
            except NoReverseMatch:  # the casework app provides the page
                pass
        return super().changelist_view(request, extra_context)

    @admin.display(description="工作人员", ordering="staff__name")
    def staff_name(self, obj):
        return obj.staff.name

    @admin.display(description="部门", ordering="staff__department__name")
    def department(self, obj):
        return obj.staff.department.name

    @admin.display(description="月份", ordering="year")
    def period(self, obj):
        return f"{obj.year}年{obj.month}月"

    @admin.display(description="按时办结率")
    def on_time_rate_display(self, obj):
        rate = obj.on_time_rate
        return f"{rate}%" if rate is not None else "—"

    def save_model(self, request, obj, form, change):
        # The score is the assessor's: whoever saves it signs it.
        obj.assessor = getattr(request.user, "staff", None)
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        score = f"{obj.score}分" if obj.score is not None else "(未评分)"
        self.message_user(
            request, f"已保存{obj.staff.name}{obj.year}年{obj.month}月的考核得分{score},考核人记为您本人。", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:staffing_assessment_changelist"))
