from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from staffing.admin.base import HistoryAdmin
from staffing.admin.files import FileServingAdminMixin, ProtectedFileInlineMixin
from staffing.admin.versioning import VersionedAdminMixin

from . import services
from .admin_import import CatalogImportAdminMixin
from .models import ItemCoDepartment, ItemHall, ItemStatus, Material, ProcedureStep, ServiceItem
from .printing import print_urls


def _kept(formset, field):
    return [
        form.cleaned_data[field] if field else form.instance
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and (form.cleaned_data.get(field or "name"))
    ]


class _ServiceCheckedFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        errors = self.service_errors()
        if errors:
            raise ValidationError(errors)


class StepFormSet(_ServiceCheckedFormSet):
    def service_errors(self):
        return services.item_steps_errors(self.instance, _kept(self, None))


class CoDepartmentFormSet(_ServiceCheckedFormSet):
    def service_errors(self):
        return services.item_co_department_errors(self.instance, _kept(self, "department"))


class MaterialFormSet(_ServiceCheckedFormSet):
    def service_errors(self):
        if self.instance.status != ItemStatus.ACTIVE:
            return []
        missing = services.item_disclosure_missing(self.instance, material_count=len(_kept(self, None)))
        return [f"在用事项的公开要素不能缺少:{'、'.join(missing)}。"] if missing else []


class CoDepartmentInline(admin.TabularInline):
    model = ItemCoDepartment
    formset = CoDepartmentFormSet
    extra = 0
    autocomplete_fields = ["department"]


class HallInline(admin.TabularInline):
    """办理场所 (S1.1-f): none listed means the center's own hall."""

    model = ItemHall
    extra = 0
    autocomplete_fields = ["hall"]
    verbose_name_plural = "办理场所(不填为中心大厅)"


class MaterialInline(ProtectedFileInlineMixin, admin.TabularInline):
    model = Material
    file_field = file_kind = "blank_form"
    formset = MaterialFormSet
    extra = 0
    fields = ["order", "name", "form", "copies", "required", "source", "note", "blank_form"]


class StepInline(admin.TabularInline):
    model = ProcedureStep
    formset = StepFormSet
    extra = 0


@admin.register(ServiceItem)
class ServiceItemAdmin(VersionedAdminMixin, FileServingAdminMixin, CatalogImportAdminMixin, HistoryAdmin):
    protected_files = {"blank_form": ("materials", "blank_form")}  # public forms: anyone who may view the item
    list_display = [
        "code",
        "full_name",
        "department",
        "handling_mode",
        "committed_limit_days",
        "status",
        "disclosure_display",
    ]
    list_filter = ["status", "handling_mode", "disclosure_complete", "item_type", "is_major", "department"]
    list_select_related = ["department"]
    search_fields = ["code__exact", "name", "sub_name"]
    autocomplete_fields = ["department", "window"]
    readonly_fields = ["status", "disclosure_missing"]
    show_full_result_count = False
    inlines = [CoDepartmentInline, HallInline, MaterialInline, StepInline]
    actions = ["publish_items", "suspend_items", "return_items_to_draft", "export_catalog"]
    fieldsets = [
        (None, {"fields": ["code", "name", "sub_name", "item_type", "department", "window", "status", "disclosure_missing"]}),
        ("办理", {"fields": ["handling_mode", "statutory_limit_days", "committed_limit_days", "visits", "online", "is_major", "report_authority"]}),
        ("公开要素", {"fields": ["legal_basis", "conditions", "procedure", "result_name", "charges_fee", "fee_standard", "fee_basis"]}),
        ("办理地点与联系", {"fields": ["location", "office_hours", "contact", "phone", "complaint_phone"]}),
    ]

    def get_urls(self):
        return print_urls(self) + super().get_urls()

    @admin.display(description="事项", ordering="name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description="公开要素", ordering="disclosure_complete")
    def disclosure_display(self, obj):
        return "齐全" if obj.disclosure_complete else f"要素不全:缺{obj.disclosure_missing}"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.item_refresh_disclosure(form.instance)

    def _set_status(self, request, queryset, status):
        done, refused = 0, []
        for item in queryset:
            try:
                services.item_set_status(item=item, status=status, user=request.user)
                done += 1
            except ValidationError as error:
                refused.append(f"{item}:{'；'.join(error.messages)}")
        if done:
            self.message_user(request, f"已将 {done} 个事项设为「{ItemStatus(status).label}」。", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="发布(设为在用)", permissions=["change"])
    def publish_items(self, request, queryset):
        self._set_status(request, queryset, ItemStatus.ACTIVE)

    @admin.action(description="暂停", permissions=["change"])
    def suspend_items(self, request, queryset):
        self._set_status(request, queryset, ItemStatus.SUSPENDED)

    @admin.action(description="退回草稿", permissions=["change"])
    def return_items_to_draft(self, request, queryset):
        self._set_status(request, queryset, ItemStatus.DRAFT)
