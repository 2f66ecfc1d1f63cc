"""Forms of the oversight screens: report-up steps, joint opinions, complaints, statistics.

As everywhere in casework, they only collect input; the services in casework.services.oversight
decide, and their ValidationError is put back on the form with
`staffing.admin.service_forms.add_service_error()`.
"""

import calendar
import datetime

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminRadioSelect
from django.utils import timezone

from .models import Complaint, ComplaintKind, OpinionStatus
from .statistics import GROUPINGS

TEXTAREA = {"rows": 3, "cols": 60}


# --- The case page's report-up steps (S5.6-d) -----------------------------------------------------


class ReportUpForm(forms.Form):
    authority = forms.CharField(label="上报机关", max_length=200, help_text="默认为事项登记的上报机关。")
    on = forms.DateField(label="上报日期", widget=AdminDateWidget)


class FollowUpForm(forms.Form):
    on = forms.DateField(label="跟踪日期", widget=AdminDateWidget)
    method = forms.CharField(label="方式", max_length=50, help_text="如:电话、公文、网上系统、当面。")
    answer = forms.CharField(label="上级答复", widget=forms.Textarea(attrs=TEXTAREA))


class ReportResultForm(forms.Form):
    report_result = forms.CharField(label="上级审批结果", widget=forms.Textarea(attrs=TEXTAREA))
    on = forms.DateField(label="结果日期", widget=AdminDateWidget)


# --- Joint opinions (S5.6-c) -----------------------------------------------------------------------


class OpinionForm(forms.Form):
    """The co-department's answer: agree, disagree or ask for material; reasons unless agreeing."""

    status = forms.ChoiceField(
        label="意见",
        choices=[c for c in OpinionStatus.choices if c[0] != OpinionStatus.PENDING],
        widget=AdminRadioSelect(attrs={"class": "radiolist inline"}),
    )
    reasons = forms.CharField(
        label="理由/说明", required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="不同意或需补充材料时须写明理由。",
    )
    attachment = forms.FileField(label="附件", required=False)


# --- Complaints (S1.1-b) ---------------------------------------------------------------------------


class ComplaintForm(forms.ModelForm):
    """登记投诉: what was received; the due date and the department come from complaint_register."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].required = False  # left out: 一般投诉

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ComplaintKind.GENERAL

    class Meta:
        model = Complaint
        fields = ["kind", "channel", "complainant", "phone", "window", "staff", "case", "bidding_event", "content", "received_on"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4, "cols": 60})}
        help_texts = {
            "complainant": "可匿名,留空即为匿名投诉。",
            "staff": "输入姓名或工号查找。",
            "case": "输入完整的办件编号或申请人姓名查找。",
            "received_on": "办理期限按工作日自该日起计算(一般投诉与招投标投诉的期限分别在「办件设置」中设定)。",
            "bidding_event": "招投标投诉:输入项目名称、编号或招标人查找。",
        }


class ComplaintResolveForm(forms.Form):
    findings = forms.CharField(label="调查情况", widget=forms.Textarea(attrs=TEXTAREA))
    upheld = forms.TypedChoiceField(
        label="投诉是否属实",
        choices=[("yes", "属实"), ("no", "不属实")],
        coerce=lambda value: value == "yes",
        widget=AdminRadioSelect(attrs={"class": "radiolist inline"}),
    )
    reply = forms.CharField(label="答复投诉人", widget=forms.Textarea(attrs=TEXTAREA))
    replied_on = forms.DateField(label="答复日期", required=False, widget=AdminDateWidget, help_text="留空为今天。")


# --- Statistics (S1.1-d) and assessment (S1.1-c) ---------------------------------------------------


def this_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


class StatisticsForm(forms.Form):
    """The period, the grouping and (for those who see several) the department and hall of the statistics page."""

    start = forms.DateField(label="起始日期", widget=AdminDateWidget)
    end = forms.DateField(label="截止日期", widget=AdminDateWidget)
    by = forms.ChoiceField(label="分组", choices=[(key, label) for key, (_, label) in GROUPINGS.items()])
    department = forms.ModelChoiceField(label="部门", queryset=None, required=False, empty_label="全部部门")
    hall = forms.TypedChoiceField(label="服务场所", coerce=int, required=False, empty_value=None)

    MAX_DAYS = 366 * 5

    def __init__(self, *args, departments, halls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["hall"].choices = [("", "全部场所"), *halls]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "截止日期不能早于起始日期。")
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("end", "统计区间最长五年。")
        return data


class AssessmentGenerateForm(forms.Form):
    department = forms.ModelChoiceField(label="部门/股室", queryset=None, empty_label="请选择")
    year = forms.IntegerField(label="年", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="月", choices=[(m, f"{m}月") for m in range(1, 13)], coerce=int)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def clean(self):
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        if year and month and datetime.date(year, month, 1) > timezone.localdate():
            self.add_error("month", "不能为尚未开始的月份生成考核表。")
        return data
