"""Forms of the staffing operations pages: leave, overtime, whereabouts, clock import, attendance sheet, duty.

None of these forms saves anything: the admin passes the cleaned data to a service in
staffing.services and turns the service's ValidationError back into form errors with
`staffing.admin.service_forms.add_service_error`.
"""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseModelFormSet
from django.utils import timezone

from . import selectors, services, spreadsheet
from .admin.service_forms import add_service_error
from .services.approvals import approval_rule_conflicts
from .models import (
    ApprovalRule,
    ApproverRole,
    approver_role_labels,
    Department,
    LeaveRequest,
    OvertimeRequest,
    Staff,
    Whereabouts,
)


def set_help_texts(form: forms.BaseForm, texts: dict) -> None:
    for name, text in texts.items():
        if name in form.fields:
            form.fields[name].help_text = text


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, staff):
        return f"{staff.name}({staff.badge_no},{staff.department.name})"


def handover_candidates(staff: Staff):
    """Who can take over: active colleagues of the departments the requester works in, and their B holders."""
    b_holders = Staff.objects.filter(b_posts__post__a_holder=staff).values("pk")
    return (
        Staff.objects.filter(is_active=True)
        .filter(Q(department_id=staff.department_id) | Q(pk__in=b_holders))
        .exclude(pk=staff.pk)
        .select_related("department")
    )


class LeaveRequestForm(forms.ModelForm):
    """请假: the service computes the working days, picks the approval chain and checks the handover (S1.9-c)."""

    class Meta:
        model = LeaveRequest
        fields = [
            "leave_type",
            "start_date",
            "start_half",
            "end_date",
            "end_half",
            "reason",
            "destination",
            "contact",
            "handover_to",
            "handover_note",
        ]
        widgets = {
            "start_half": forms.RadioSelect,
            "end_half": forms.RadioSelect,
            "reason": forms.TextInput(attrs={"size": 60}),
            "handover_note": forms.Textarea(attrs={"rows": 3, "cols": 60}),
        }
    # Set on the fields, not in Meta: the admin would repeat Meta's help texts on the read-only page.
    HELP = {
        "start_date": "请假天数按工作日历计算,节假日和周末不计。",
        "handover_to": "默认为本人岗位第一位在岗的B岗责任人。",
        "handover_note": "写明在办事项、待办事项和需要注意的事情(AB岗制度:离岗前必须做好工作移交)。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_help_texts(self, self.HELP)
        # The service has the rule (and the message) for a missing handover: see leave_submit.
        for name in ("handover_to", "handover_note"):
            if name in self.fields:
                self.fields[name].required = False

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["handover_note"] = data["handover_note"] or ""
        return data


class OvertimeRequestForm(forms.ModelForm):
    class Meta:
        model = OvertimeRequest
        fields = ["date", "starts_at", "ends_at", "reason"]
        widgets = {"reason": forms.TextInput(attrs={"size": 60})}

    HELP = {"starts_at": "如 09:00", "ends_at": "时长按开始、结束时间计算。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_help_texts(self, self.HELP)


class WhereaboutsForm(forms.ModelForm):
    """开会 / 外出 / 出差: checked by the same rule the service applies (no overlap, return after start)."""

    class Meta:
        model = Whereabouts
        fields = ["staff", "status", "reason", "destination", "contact", "starts_at", "returns_at"]

    HELP = {
        "status": "请假须提交请假申请,批准后自动登记到去向牌。",
        "contact": "留空则使用本人登记的电话。",
        "returns_at": "到时自动恢复为在岗;提前返回请在登记页点「已返回」。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_help_texts(self, self.HELP)
        if "status" in self.fields:
            self.fields["status"].choices = [("", "---------")] + [
                (status.value, status.label) for status in services.ENTERED_STATUSES
            ]
        if self.instance.pk is None and "starts_at" in self.fields:
            self.fields["starts_at"].initial = timezone.now

    def clean(self):
        data = super().clean()
        staff = data.get("staff") or self.instance_staff()
        if staff is None or self.errors:
            return data
        try:
            services.whereabouts_check(
                staff=staff,
                status=data.get("status", self.instance.status),
                starts_at=data.get("starts_at", self.instance.starts_at),
                returns_at=data.get("returns_at", self.instance.returns_at),
                exclude_pk=self.instance.pk,
            )
        except ValidationError as error:
            add_service_error(self, error)
        return data

    def instance_staff(self):
        if self.instance.staff_id:
            return self.instance.staff
        return getattr(self, "acting_staff", None)


class ApprovalDecisionForm(forms.Form):
    comment = forms.CharField(
        label="审批意见",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60, "placeholder": "同意时可不填;不同意时须写明理由"}),
    )


class ApprovalRuleListForm(forms.ModelForm):
    """A row of the editable rule list: the approvers are ticked from the roles, shown by their labels
    (the center's titles); the chain runs in order of rank, whatever order they are ticked in."""

    approvers = forms.MultipleChoiceField(
        label="审批人(按顺序)", widget=forms.CheckboxSelectMultiple, choices=ApproverRole.choices,
        help_text="勾选需要审批的角色;审批按职级由低到高依次进行。",
        error_messages={"required": "请至少勾选一个审批角色。", "invalid_choice": "「%(value)s」不是可选的审批角色。"},
    )

    class Meta:
        model = ApprovalRule
        fields = ["above", "up_to", "approvers", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approvers"].choices = list(approver_role_labels().items())
        if self.instance.pk:
            self.initial["approvers"] = self.instance.approver_roles()

    def clean_approvers(self):
        chosen = set(self.cleaned_data["approvers"])
        return ",".join(code for code in ApproverRole.values if code in chosen)


class ApprovalRuleForm(ApprovalRuleListForm):
    """The change form: the rule must not overlap the stored rules of its kind."""

    class Meta:
        model = ApprovalRule
        fields = ["kind", "above", "up_to", "approvers", "note"]

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the values entered
        if not self.errors:
            for message in approval_rule_conflicts(self.instance):
                self.add_error(None, message)


class ApprovalRuleListFormSet(BaseModelFormSet):
    """The rule list edits several rules at once: each changed rule is checked against the others as entered."""

    def clean(self):
        super().clean()
        entered = {form.instance.pk: form.instance for form in self.forms if form.is_valid()}
        rules = [entered.get(rule.pk, rule) for rule in ApprovalRule.objects.all()]
        for form in self.forms:
            if form.instance.pk in entered and form.has_changed():
                for message in approval_rule_conflicts(form.instance, others=rules):
                    form.add_error(None, message)


class PunchImportForm(forms.Form):
    file = forms.FileField(
        label="考勤机导出文件",
        help_text="Excel(.xlsx)或 CSV 文件。须有「工号」列,以及「打卡时间」列或「日期」「时间」两列;重复导入的记录自动忽略。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError("请选择 Excel(.xlsx)或 CSV 文件。", code="format")
        spreadsheet.check_upload_size(upload)
        return upload


class AttendanceSheetForm(forms.Form):
    """Which month of which department: only the departments the user sees are offered."""

    department = forms.ModelChoiceField(label="部门/股室", queryset=Department.objects.none(), empty_label=None)
    year = forms.IntegerField(label="年", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="月", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        departments = selectors.scope_to_department(Department.objects.filter(is_active=True), user, "pk")
        self.fields["department"].queryset = departments
        today = timezone.localdate()
        own = selectors.user_department_id(user)
        self.fields["department"].initial = own if departments.filter(pk=own).exists() else departments.first()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month

    def selection(self):
        """The chosen (department, year, month), or the defaults when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["department"], self.cleaned_data["year"], self.cleaned_data["month"]
        department = self.fields["department"].initial
        if isinstance(department, int):
            department = self.fields["department"].queryset.get(pk=department)
        return department, self.fields["year"].initial, self.fields["month"].initial


class DutyRosterForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=AdminDateWidget)
    end = forms.DateField(label="结束日期", widget=AdminDateWidget)
    staff = StaffMultipleChoiceField(
        label="值班人员",
        queryset=Staff.objects.filter(is_active=True).select_related("department"),
        widget=FilteredSelectMultiple("值班人员", is_stacked=False),
        help_text="按所列顺序轮流值班;只为休息日和法定节假日排班,已有安排的日期保持不变。",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end - start) > datetime.timedelta(days=366):
            self.add_error("end", "一次最多生成一年的值班表。")
        return data

