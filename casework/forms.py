"""Forms of the case pages. They check what the user typed; the services in casework.services write.

None of these forms saves anything: the admin passes their cleaned data to a service and turns the
service's ValidationError back into form errors with `staffing.admin.service_forms.add_service_error`.
"""

from django import forms
from django.contrib.admin.widgets import AdminRadioSelect, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse

from registry import selectors as registry_selectors
from staffing.admin.service_forms import add_service_error

from . import selectors, services
from .models import Case, CaseExtension, CaseMaterial, MaterialState, Refusal, RefusalCategory
from .validators import validate_applicant


class ItemAutocomplete(AutocompleteSelect):
    """The admin's autocomplete, searching only the items the user may receive cases for."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:casework_case_item_autocomplete")


class CaseReceiveForm(forms.ModelForm):
    """收件: the item, the window and the applicant; `services.case_receive` opens the case."""

    class Meta:
        model = Case
        fields = [
            "item",
            "window",
            "applicant_kind",
            "applicant_name",
            "id_type",
            "id_number",
            "credit_code",
            "phone",
            "priority",
            "assisted",
            "assisted_note",
        ]
        widgets = {"applicant_kind": AdminRadioSelect(attrs={"class": "radiolist inline"})}
        help_texts = {
            "item": "输入事项名称或编码查找;只列出本部门在用的事项。",
            "id_number": "居民身份证号按18位校验码核对。",
            "credit_code": "法人或其他组织必填,按校验码核对。",
            "priority": "特事特办的办件排在列表最前。",
        }

    def __init__(self, *args, user, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        item = self.fields["item"]
        item.widget = ItemAutocomplete(Case._meta.get_field("item"), admin_site)
        item.queryset = selectors.receivable_items(user)  # also hands the choices to the new widget
        window = self.fields["window"]
        window.queryset = selectors.intake_windows(user)
        window.required = False
        window.empty_label = "按事项的办理窗口"
        window.help_text = "选择事项后自动改为办理该事项的窗口(本人窗口办理该事项时为本人窗口);留空则按事项的办理窗口收件。"
        window.widget.attrs["data-intake-window"] = "1"
        staff = getattr(user, "staff", None)
        self.staff = staff
        if not self.is_bound:
            initial_item = self.initial.get("item")
            item_obj = item.queryset.filter(pk=getattr(initial_item, "pk", initial_item)).first() if initial_item else None
            if item_obj is not None:
                self.initial.setdefault("window", selectors.default_intake_window_id(item_obj, staff))
            elif staff is not None and staff.window_id:
                self.initial.setdefault("window", staff.window_id)

    class Media:
        js = ["admin/js/jquery.init.js", "casework/intake_window.js"]

    def clean_window(self):
        return self.cleaned_data.get("window")

    def clean(self):
        data = super().clean()
        item = data.get("item")
        if item is not None and "window" not in self.errors:
            window = data.get("window")
            if window is None:
                default = selectors.default_intake_window_id(item, self.staff)
                window = self.fields["window"].queryset.filter(pk=default).first() if default else None
                if window is None:
                    self.add_error("window", f"事项「{item.full_name}」未指定办理窗口,请选择收件窗口。")
                data["window"] = window
            elif not selectors.item_handles_window(item, window):
                if not registry_selectors.item_offered_at(item, window.hall_id):
                    where = f"不在「{window.hall}」办理"
                else:
                    where = f"在「{item.window}」办理" if item.window_id else f"由「{item.department}」的窗口办理"
                self.add_error("window", f"「{window}」不办理事项「{item.full_name}」:该事项{where}。")
        names = ["applicant_kind", "applicant_name", "id_type", "id_number", "credit_code"]
        if any(name in self.errors for name in names):
            return data
        try:
            data.update(
                validate_applicant(
                    kind=data["applicant_kind"],
                    name=data.get("applicant_name", ""),
                    id_type=data.get("id_type", ""),
                    id_number=data.get("id_number", ""),
                    credit_code=data.get("credit_code", ""),
                )
            )
        except ValidationError as error:
            add_service_error(self, error)
        return data

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.case_receive, without the user."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MaterialCheckForm(forms.ModelForm):
    class Meta:
        model = CaseMaterial
        fields = ["state", "problem"]
        widgets = {"problem": forms.TextInput(attrs={"size": 20, "placeholder": "不合格时写明如何修改"})}

    def clean(self):
        data = super().clean()
        # case_check_material refuses the same; checked here so that the message sits on its row.
        if data.get("state") == MaterialState.UNQUALIFIED and not data.get("problem", "").strip():
            self.add_error("problem", f"材料「{self.instance.name}」不合格时须写明需要如何修改。")
        return data


class MaterialCheckFormSet(BaseInlineFormSet):
    """The checklist: each changed row goes through services.case_check_material."""

    def save(self, commit=True):
        raise NotImplementedError("核验结果须通过 save_checks(user=...) 保存。")

    def save_checks(self, *, user) -> list[CaseMaterial]:
        self.new_objects, self.deleted_objects, self.changed_objects = [], [], []
        for form in self.initial_forms:
            if not form.has_changed():
                continue
            material = services.case_check_material(
                material=form.instance,
                user=user,
                state=form.cleaned_data["state"],
                problem=form.cleaned_data.get("problem", ""),
            )
            self.changed_objects.append((material, form.changed_data))
        return [material for material, _ in self.changed_objects]


class CaseNoteForm(forms.Form):
    """The optional note of a transition, and the reason a second 补正 notice needs."""

    note = forms.CharField(label="说明", max_length=500, required=False)
    repeat_reason = forms.CharField(
        label="再次补正理由", max_length=300, required=False, help_text="同一办件再次出具补正告知书须说明理由,计为服务瑕疵。"
    )


class RefusalForm(forms.ModelForm):
    """不予受理 / 不予批准: the refusal record that case_refuse files (否定报备)."""

    class Meta:
        model = Refusal
        fields = ["category", "reason", "legal_basis", "referred_authority"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "legal_basis": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }
        help_texts = {
            "category": "以材料不全或材料不合格为由时,须先在材料清单中标明相应材料。",
            "legal_basis": "写明法律、法规或规章的名称和条款。",
            "referred_authority": "不属本中心受理的,须告知申请人应向哪个机关申请。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "请选择")] + RefusalCategory.choices


class ExtensionForm(forms.ModelForm):
    """申请延期: days and reason; a leader approves it later."""

    class Meta:
        model = CaseExtension
        fields = ["days", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        help_texts = {"days": "工作日。延期后不得超过法定办结时限。"}
