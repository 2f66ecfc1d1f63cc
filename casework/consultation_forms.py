"""Forms of the consultation, refusal, appeal, extension and notice-template screens.

The rules live in the services; these forms only collect input. A service's ValidationError is put
back on the form with `staffing.admin.service_forms.add_service_error()`, on the field it names.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from staffing.models import Window

from .models import Appeal, ApplicantKind, Consultation, IdType, NoticeTemplate
from .services.notice_templates import ALLOWED_FILTERS, MAX_LOOP_DEPTH, notice_template_errors, placeholders


class ConsultationForm(forms.ModelForm):
    """首问登记: what window staff type; who answered, department and window come from the login."""

    class Meta:
        model = Consultation
        fields = [
            "asker_name",
            "asker_phone",
            "item",
            "question",
            "outcome",
            "transferred_to",
            "referred_authority",
            "note",
        ]
        widgets = {"question": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        help_texts = {
            "transferred_to": "处理结果为“移交其他窗口”时必选。",
            "referred_authority": "不属中心受理范围的,写明应到哪个机关办理。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "transferred_to" in self.fields:
            self.fields["transferred_to"].queryset = Window.objects.filter(is_active=True)


class OpenCaseForm(forms.Form):
    """转为办件: the applicant of the case opened from a consultation."""

    applicant_kind = forms.ChoiceField(
        label="申请人类型", choices=ApplicantKind.choices, initial=ApplicantKind.PERSON, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(label="申请人", max_length=200)
    id_type = forms.ChoiceField(
        label="证件类型", choices=[("", "---------"), *IdType.choices], required=False, initial=IdType.RESIDENT_ID
    )
    id_number = forms.CharField(label="证件号码", max_length=40, required=False, help_text="自然人填写。")
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False, help_text="法人或其他组织填写。")
    phone = forms.CharField(label="联系电话", max_length=50, required=False)
    window = forms.ModelChoiceField(label="收件窗口", queryset=Window.objects.none(), empty_label=None)

    def __init__(self, *args, consultation: Consultation, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        item = consultation.item
        windows = Window.objects.filter(is_active=True)
        if item is not None:
            windows = windows.filter(department=item.department_id)
        self.fields["window"].queryset = windows
        self.fields["applicant_name"].initial = consultation.asker_name
        self.fields["phone"].initial = consultation.asker_phone
        own_window = getattr(staff, "window", None)
        if own_window is not None and (item is None or own_window.department_id == item.department_id):
            self.fields["window"].initial = own_window.pk
        elif item is not None and item.window_id:
            self.fields["window"].initial = item.window_id


class AppealForm(forms.ModelForm):
    """申诉: filed by the management office against an effective refusal."""

    class Meta:
        model = Appeal
        fields = ["refusal", "appellant", "grounds", "filed_on"]
        widgets = {"grounds": forms.Textarea(attrs={"rows": 4, "cols": 60})}


class DecisionForm(forms.Form):
    """The note that goes with an approve/refuse button (refusals, appeals, extensions)."""

    note = forms.CharField(
        label="意见", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )


def placeholders_help() -> str:
    """The editor's list of what a template may use: each placeholder with its Chinese name."""
    def label(text):  # the values a template compares with (approved, missing…) are code, as the placeholders
        return mark_safe(re.sub(r"([A-Za-z_][A-Za-z_.]*)", r"<code>\1</code>", str(escape(text))))

    rows = format_html_join(
        "", "<tr><td><code>{}</code></td><td>{}</td></tr>", ((code, label(text)) for code, text in placeholders())
    )
    return format_html(
        "写法：占位符写在 <code>{{{{ }}}}</code> 中，按条件显示的文字写在 <code>{{% if … %}}…{{% endif %}}</code> 中，"
        "<code>{{% for %}}</code> 只能遍历材料清单，最多嵌套{}层；可用的过滤器：<code>{}</code>。"
        "保存前可点击「预览」，按示例办件查看生成的通知书。"
        '<table class="notice-placeholders"><thead><tr><th>占位符</th><th>含义</th></tr></thead><tbody>{}</tbody></table>',
        MAX_LOOP_DEPTH,
        "、".join(ALLOWED_FILTERS),
        rows,
    )


class NoticeTemplateForm(forms.ModelForm):
    class Meta:
        model = NoticeTemplate
        fields = ["kind", "title", "number_prefix", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.fields["body"].help_text = placeholders_help()

    def clean_body(self):
        body = self.cleaned_data["body"]
        errors = notice_template_errors(body)
        if errors:
            raise ValidationError(errors, code="template_invalid")
        return body
