"""Forms of the documents admin. They check what the user typed; documents.services write.

None of these forms saves anything (except the office registers, which have no rules beyond their
fields): the admin passes their cleaned data to a service and turns the service's ValidationError
back into form errors with `staffing.admin.service_forms.add_service_error`.
"""

import re
import string
from decimal import Decimal

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils import timezone

from staffing.models import Department, RequestStatus, Staff

from .models import (
    CallLog,
    DocumentCategory,
    FundRequest,
    PrintLog,
    ReminderMethod,
    RepairRequest,
    Secrecy,
    SignerRole,
    Supply,
    SupervisionSource,
)
from .models.documents import NUMBER_PLACEHOLDERS, OLD_NUMBER_PLACEHOLDERS, format_document_number

CENT = Decimal("0.01")


def active_departments():
    return Department.objects.filter(is_active=True).order_by("sort_order", "name")


def active_staff():
    return Staff.objects.filter(is_active=True).select_related("department").order_by("department__sort_order", "name")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, staff):
        return f"{staff.name}({staff.department.name})"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, staff):
        return f"{staff.name}({staff.department.name})"


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=AdminDateWidget, **kwargs)


def text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows, "cols": 60})


# --- Documents ----------------------------------------------------------------------------------


class DocumentDraftForm(forms.Form):
    """拟稿: `services.document_draft` names the drafter and the drafting unit."""

    category = forms.ModelChoiceField(label="类别", queryset=DocumentCategory.objects.none(), empty_label="请选择文件类别")
    title = forms.CharField(label="标题", max_length=200, widget=forms.TextInput(attrs={"size": 60}))
    summary = forms.CharField(label="内容摘要", required=False, widget=text_area(4))
    secrecy = forms.ChoiceField(label="密级", choices=Secrecy.choices, initial=Secrecy.NORMAL)
    scope_departments = forms.ModelMultipleChoiceField(
        label="知悉范围(部门)", queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    scope_staff = StaffMultipleChoiceField(
        label="知悉范围(人员)", queryset=Staff.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}), help_text="按住 Ctrl 键可选择多人。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = DocumentCategory.objects.filter(is_active=True).order_by("pk")
        self.fields["scope_departments"].queryset = active_departments()
        self.fields["scope_staff"].queryset = active_staff()
        self.fields["secrecy"].help_text = "秘密、机密文件只有知悉范围内的人员(以及拟稿人、签发人)能查阅、打印、导出。"

    def clean(self):
        data = super().clean()
        secret = data.get("secrecy") not in (None, Secrecy.NORMAL)
        if secret and not (data.get("scope_staff") or data.get("scope_departments")):
            self.add_error("secrecy", "涉密文件须指定知悉范围(人员或部门)。")
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class DocumentCategoryForm(forms.ModelForm):
    class Meta:
        model = DocumentCategory
        fields = ["name", "drafting_department", "signer_role", "designated_signer", "number_pattern", "needs_handling", "is_active"]

    def clean_number_pattern(self):
        pattern = self.cleaned_data["number_pattern"]
        names = "、".join(f"{{{name}}}" for name in NUMBER_PLACEHOLDERS)
        try:
            fields = {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
            format_document_number(pattern, year=2026, sequence=1)
        except (KeyError, IndexError, ValueError, AttributeError):
            fields = None
        if fields is None or fields - set(NUMBER_PLACEHOLDERS) - set(OLD_NUMBER_PLACEHOLDERS):
            raise ValidationError(f"编号格式「{pattern}」只能使用 {names} 两个占位符。", code="bad_pattern")
        if not fields & {"序号", "seq"}:
            raise ValidationError("编号格式须包含 {序号}（本类别当年的序号）。", code="no_seq")
        # Stored in the Chinese names, whichever the clerk typed.
        for old, new in OLD_NUMBER_PLACEHOLDERS.items():
            pattern = re.sub(r"\{" + old + r"([:!}])", "{" + new + r"\1", pattern)
        return pattern

    def clean(self):
        data = super().clean()
        if data.get("signer_role") == SignerRole.DESIGNATED and not data.get("designated_signer"):
            self.add_error("designated_signer", "签发人为「指定签发人」时须选择指定签发人。")
        return data


class StepNoteForm(forms.Form):
    """The optional note of a lifecycle button (核稿 意见; required by the service for 退回)."""

    note = forms.CharField(label="意见", max_length=300, required=False)


class CirculateForm(forms.Form):
    """分发办理: recipients (departments and/or people) and the day the document was received."""

    departments = forms.ModelMultipleChoiceField(
        label="承办部门", queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    staff = StaffMultipleChoiceField(
        label="承办人", queryset=Staff.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="指定到人时,由该人员(其外出时由顶岗的B岗人员)办理。按住 Ctrl 键可选择多人。",
    )
    received_on = date_field("收文日期", initial=timezone.localdate, help_text="办理期限自收文日期起算。补登已收到的文件时填写实际收文日期。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = active_departments()
        self.fields["staff"].queryset = active_staff()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError("收文日期不能晚于今天。", code="future")
        return day

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("departments") or data.get("staff")):
            raise ValidationError("请至少选择一个承办部门或承办人。", code="no_recipient")
        return data


class CirculationFeedbackForm(forms.Form):
    feedback = forms.CharField(label="办理结果", widget=text_area(5))


class CirculationDelayForm(forms.Form):
    """说明延期: the reason and the expected date, before or after the due date (S3.6-d)."""

    delay_reason = forms.CharField(label="未能按期办结的原因", max_length=300, widget=text_area(3))
    expected_on = date_field("预计办结日期")

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["delay_reason"], "expected_on": self.cleaned_data["expected_on"]}


# --- Supervision --------------------------------------------------------------------------------


class SupervisionRegisterForm(forms.Form):
    """立项: `services.supervision_register` requires the original text of a leader's instruction."""

    source = forms.ChoiceField(label="来源", choices=SupervisionSource.choices)
    title = forms.CharField(label="督办事项", max_length=200, widget=forms.TextInput(attrs={"size": 60}))
    content = forms.CharField(label="督办内容", widget=text_area(4))
    instruction = forms.CharField(label="领导批示原文", required=False, widget=text_area(3), help_text="来源为领导批示时必填。")
    instructing_leader = StaffChoiceField(label="批示领导", queryset=Staff.objects.none(), required=False)
    department = forms.ModelChoiceField(label="承办股室", queryset=Department.objects.none())
    responsible = StaffChoiceField(label="责任人", queryset=Staff.objects.none(), required=False, help_text="可在交办时再指定。")
    deadline = date_field("办结期限")
    urgent = forms.BooleanField(label="紧急", required=False, help_text="紧急事项排在前面、优先催办。")
    is_project = forms.BooleanField(
        label="立项督办", required=False, help_text="重大事项按 立项→交办→督办→反馈→领导审阅→归档 管理,归档前须上传立项登记表和反馈材料。"
    )
    category = forms.CharField(label="归档类别", max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructing_leader"].queryset = active_staff().exclude(leader_role="")
        self.fields["department"].queryset = active_departments()
        self.fields["responsible"].queryset = active_staff()

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError("办结期限不能早于今天。", code="past")
        return deadline

    def clean(self):
        data = super().clean()
        if data.get("source") == SupervisionSource.INSTRUCTION and not (data.get("instruction") or "").strip():
            self.add_error("instruction", "领导批示事项须录入批示原文。")
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SupervisionAssignForm(forms.Form):
    responsible = StaffChoiceField(label="责任人", queryset=Staff.objects.none())

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, initial={"responsible": item.responsible_id}, **kwargs)
        # The undertaking section's people first; anyone may be named.
        self.fields["responsible"].queryset = active_staff()


class SupervisionFeedbackForm(forms.Form):
    feedback = forms.CharField(label="办理反馈", widget=text_area(5))


class LeaderReviewForm(forms.Form):
    leader_comment = forms.CharField(label="审阅意见", widget=text_area(4))


class ReminderForm(forms.Form):
    """催办记录 (S2.3-a): method, date and the answer received."""

    method = forms.ChoiceField(label="方式", choices=ReminderMethod.choices)
    on = date_field("日期", initial=timezone.localdate)
    answer = forms.CharField(label="答复情况", required=False, widget=forms.TextInput(attrs={"size": 40}))

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise ValidationError("催办日期不能晚于今天。", code="future")
        return day


# --- Report obligations ------------------------------------------------------------------------


class ReportSubmitForm(forms.Form):
    """报送: the day the department handed in its report."""

    submitted_on = date_field("报送日期", initial=timezone.localdate)
    note = forms.CharField(label="备注", max_length=300, required=False, widget=forms.TextInput(attrs={"size": 40}))


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    @classmethod
    def for_request(cls, data, default: int):
        form = cls(data if "year" in data else None, initial={"year": default})
        year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else default
        return form, year


# --- Supplies -----------------------------------------------------------------------------------


class SupplyChoiceField(forms.ModelChoiceField):
    """A supply with its unit, and the stock on hand when the queryset is annotated with it."""

    def label_from_instance(self, supply):
        on_hand = getattr(supply, "on_hand", None)
        if on_hand is None:
            return f"{supply}({supply.unit})"
        return f"{supply}(现有{format(on_hand.normalize(), 'f')}{supply.unit})"


def quantity_field(label="数量"):
    return forms.DecimalField(label=label, max_digits=10, decimal_places=2, min_value=CENT)


def money_field(label, min_value=Decimal(0)):
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=min_value)


class FundRequestForm(forms.Form):
    """资金使用审批表: purpose here, the items in the lines below; the amount picks the approvers."""

    purpose = forms.CharField(label="用途", max_length=300, widget=forms.TextInput(attrs={"size": 60}))


class NoFieldsForm(forms.Form):
    """The requisition page: the department is the requester's, everything else is in the lines."""


class FundRequestLineForm(forms.Form):
    supply = SupplyChoiceField(label="用品", queryset=Supply.objects.none(), required=False, empty_label="(目录外物品)")
    description = forms.CharField(label="品名", max_length=200, required=False)
    quantity = quantity_field()
    unit_price = money_field("预计单价(元)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supply"].queryset = Supply.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if not (data.get("description") or "").strip():
            if data.get("supply") is None:
                self.add_error("description", "请填写品名或选择用品。")
            else:
                data["description"] = str(data["supply"])
        return data


class PurchaseForm(forms.Form):
    fund_request = forms.ModelChoiceField(label="资金使用审批表", queryset=FundRequest.objects.none(), empty_label="请选择已批准的审批表")
    invoice_number = forms.CharField(label="发票号码", max_length=50)
    invoice_amount = money_field("发票金额(元)")
    purchased_on = date_field("采购日期", initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund_request"].queryset = FundRequest.objects.filter(status=RequestStatus.APPROVED).select_related("department")

    def clean_purchased_on(self):
        day = self.cleaned_data["purchased_on"]
        if day > timezone.localdate():
            raise ValidationError("采购日期不能晚于今天。", code="future")
        return day


class PurchaseLineForm(forms.Form):
    supply = SupplyChoiceField(label="用品", queryset=Supply.objects.none(), empty_label="请选择用品")
    quantity = quantity_field()
    amount = money_field("金额(元)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supply"].queryset = Supply.objects.filter(is_active=True)


class RequisitionLineForm(forms.Form):
    supply = SupplyChoiceField(label="用品", queryset=Supply.objects.none(), empty_label="请选择用品")
    quantity = quantity_field("领用数量")

    def __init__(self, *args, supplies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supply"].queryset = supplies if supplies is not None else Supply.objects.filter(is_active=True)


class BaseLineFormSet(forms.BaseFormSet):
    """Line tables: blank rows are ignored; `lines()` are the filled ones, in order."""

    def lines(self) -> list[dict]:
        return [
            {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


def line_formset(form, extra=4):
    return forms.formset_factory(form, formset=BaseLineFormSet, extra=extra, max_num=50, validate_max=True)


FundRequestLineFormSet = line_formset(FundRequestLineForm)
PurchaseLineFormSet = line_formset(PurchaseLineForm)
RequisitionLineFormSet = line_formset(RequisitionLineForm)


class FundDecisionForm(forms.Form):
    comment = forms.CharField(
        label="审批意见", required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60, "placeholder": "同意时可不填;不同意时须写明理由"}),
    )


# --- Office registers ---------------------------------------------------------------------------


class RegisterEntryForm(forms.ModelForm):
    """An office register entry: the acting staff member is filled in from the login, never chosen."""

    acting_staff = None  # set per request by the admin

    def stamp(self, instance, staff) -> None:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            if self.acting_staff is None:
                raise ValidationError("当前账号未关联工作人员,不能登记。", code="no_staff")
            self.stamp(self.instance, self.acting_staff)
        return data


class CallLogForm(RegisterEntryForm):
    class Meta:
        model = CallLog
        fields = ["at", "caller", "phone", "for_whom", "content", "handling"]
        field_classes = {"for_whom": StaffChoiceField}
        widgets = {"content": text_area(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "for_whom" in self.fields:
            self.fields["for_whom"].queryset = active_staff()

    def stamp(self, instance, staff):
        instance.taken_by = staff


class RepairRequestForm(RegisterEntryForm):
    class Meta:
        model = RepairRequest
        fields = ["equipment", "location", "fault", "status", "result"]
        widgets = {"fault": text_area(3)}

    def stamp(self, instance, staff):
        instance.reported_by, instance.department = staff, staff.department


class PrintLogForm(RegisterEntryForm):
    class Meta:
        model = PrintLog
        fields = ["at", "kind", "what", "pages", "document", "purpose"]

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "document" in self.fields and documents is not None:
            self.fields["document"].queryset = documents  # a secret document outside one's scope is not offered

    def clean_pages(self):
        pages = self.cleaned_data["pages"]
        if pages < 1:
            raise ValidationError("页数须大于0。", code="min")
        return pages

    def stamp(self, instance, staff):
        instance.staff = staff
