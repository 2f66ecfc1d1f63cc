"""The forms of the 差评工单 steps and of the pad's device account; the services hold the rules."""

from django import forms
from django.utils import timezone

from staffing.models import Window

from .models import RatingTag, ReplyMethod, TicketOutcome


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="回访日期", widget=DateInput, initial=timezone.localdate)
    visit_method = forms.ChoiceField(label="回访方式", choices=ReplyMethod.choices)
    findings = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="处理方式", choices=TicketOutcome.choices, widget=forms.RadioSelect)
    measures = forms.CharField(
        label="整改措施/解释说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="立行立改写明已采取的措施;解释说明写明诉求无法律依据的理由;限期整改可写整改计划。",
    )


class RectifyForm(forms.Form):
    rectified_on = forms.DateField(label="整改完成日期", widget=DateInput, initial=timezone.localdate)
    measures = forms.CharField(label="整改措施和结果", widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    replied_on = forms.DateField(label="答复日期", widget=DateInput, initial=timezone.localdate)
    reply_method = forms.ChoiceField(label="答复方式", choices=ReplyMethod.choices)
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结果", choices=[("1", "通过,工单办结"), ("0", "退回重新答复")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    appeal_reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 3}), help_text="误评、恶意评价等,写明依据。")


class AppealDecideForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="复核结果", choices=[("1", "申诉成立(该评价不计入统计)"), ("0", "申诉不成立,继续办理")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    appeal_decision = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 2}))


class PadCreateForm(forms.Form):
    window = forms.ModelChoiceField(label="窗口", queryset=Window.objects.filter(is_active=True).order_by("number"))
    username = forms.CharField(label="设备账号", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, min_length=10)


class PadTagsForm(forms.Form):
    tags = forms.MultipleChoiceField(label="评价标签", choices=RatingTag.choices, required=False)


class RatingRecordForm(forms.Form):
    """A rating taken by the office: by phone (电话回访), or read out from an SMS or QR-code reply."""

    case_number = forms.CharField(label="办件编号", max_length=40)
    channel = forms.ChoiceField(label="评价渠道", choices=[])
    level = forms.TypedChoiceField(label="评价等级", choices=[], coerce=int, widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(label="评价标签", choices=RatingTag.choices, required=False, widget=forms.CheckboxSelectMultiple)
    content = forms.CharField(label="评价内容", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    real_name = forms.BooleanField(label="实名评价", required=False)

    def __init__(self, *args, **kwargs):
        from .models import RatingChannel, RatingLevel

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, label) for c, label in RatingChannel.choices if c != RatingChannel.PAD]
        self.fields["level"].choices = RatingLevel.choices

    def clean_case_number(self):
        from casework.models import Case

        number = self.cleaned_data["case_number"].strip()
        case = Case.objects.filter(number=number).select_related("department").first()
        if case is None:
            raise forms.ValidationError(f"找不到办件编号为「{number}」的办件。")
        self.case = case
        return number
