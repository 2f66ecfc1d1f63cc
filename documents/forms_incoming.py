"""Forms of 收文 (S3.6-g): each is answered by a service in documents.services.incoming."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from staffing.models import Department, Staff

from .forms import StaffChoiceField, StaffMultipleChoiceField, active_departments, active_staff, date_field, text_area
from .models import IncomingAction, Secrecy, Urgency


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class IncomingRegisterForm(forms.Form):
    sender = forms.CharField(label="来文单位", max_length=100, widget=forms.TextInput(attrs={"size": 40}))
    sender_number = forms.CharField(label="来文字号", max_length=60, required=False, help_text="如:余府办字〔2026〕88号。")
    title = forms.CharField(label="标题", max_length=200, widget=forms.TextInput(attrs={"size": 60}))
    received_on = date_field("收文日期", initial=timezone.localdate)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    action = forms.ChoiceField(label="来文要求", choices=IncomingAction.choices, initial=IncomingAction.HANDLE)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=999, initial=1)
    pages = forms.IntegerField(label="页数", min_value=1, max_value=9999, initial=1)
    secrecy = forms.ChoiceField(label="密级", choices=Secrecy.choices, initial=Secrecy.NORMAL,
                                help_text="秘密、机密来文只有知悉范围内的人员和经手人能查阅。")
    scope_departments = forms.ModelMultipleChoiceField(
        label="知悉范围(部门)", queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    scope_staff = StaffMultipleChoiceField(
        label="知悉范围(人员)", queryset=Staff.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    scans = MultipleFileField(label="扫描件", required=False, help_text="可一次选择多个文件;拟办前须至少上传一份扫描件。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_departments"].queryset = active_departments()
        self.fields["scope_staff"].queryset = active_staff()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError("收文日期不能晚于今天。", code="future")
        return day

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def leaders():
    return Staff.objects.filter(is_active=True).exclude(leader_role="").order_by("leader_role", "pk")


class IncomingProposeForm(forms.Form):
    proposal = forms.CharField(label="拟办意见", widget=text_area(4), help_text="如:拟请审批协调股办理,综合股阅知。")
    leader = StaffChoiceField(label="呈批领导", queryset=Staff.objects.none(), empty_label="请选择批办领导")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders()


class IncomingDecideForm(forms.Form):
    decision = forms.CharField(label="批办意见", widget=text_area(4), initial="同意拟办意见。")
    handle_departments = forms.ModelMultipleChoiceField(
        label="办理部门", queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="办理:在期限内反馈办理结果或说明延期原因。",
    )
    read_departments = forms.ModelMultipleChoiceField(
        label="阅知部门", queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="阅知:确认已阅。",
    )
    handle_staff = StaffMultipleChoiceField(
        label="办理人员", queryset=Staff.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    read_staff = StaffMultipleChoiceField(
        label="阅知人员", queryset=Staff.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("handle_departments", "read_departments"):
            self.fields[name].queryset = active_departments()
        for name in ("handle_staff", "read_staff"):
            self.fields[name].queryset = active_staff()

    @staticmethod
    def service_kwargs_of(data: dict) -> dict:
        return {name: list(value) if name != "decision" else value for name, value in data.items()}


class IncomingReturnForm(forms.Form):
    note = forms.CharField(label="退回意见", max_length=300, widget=text_area(3))


class IncomingScanForm(forms.Form):
    scans = MultipleFileField(label="扫描件")


class IncomingArchiveForm(forms.Form):
    archive_number = forms.CharField(label="归档号", max_length=60, help_text="如:WS·2026-Y-015(文书档案·年度-永久-件号)。")


class CirculationRemindForm(forms.Form):
    method = forms.ChoiceField(label="方式", choices=[(v, v) for v in ("电话催办", "口头催办", "书面催办", "现场催办")])
    note = forms.CharField(label="催办情况", max_length=300, required=False, widget=text_area(2))


class RegisterPeriodForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)


class ConfirmReadForm(forms.Form):
    """确认已阅: nothing to type; the button confirms."""
