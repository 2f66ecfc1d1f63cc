from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from import_export.admin import ImportExportMixin

from .. import selectors, services
from ..models import Department, JobKind, Post, PostSubstitute, Staff, Window
from ..resources import DepartmentResource, StaffResource, WindowResource
from ..services import accounts
from .base import DepartmentScopedAdminMixin, HistoryAdmin
from .imports import ExcelImportMixin
from .whereabouts import acting_description


@admin.register(Department)
class DepartmentAdmin(ExcelImportMixin, ImportExportMixin, HistoryAdmin):
    resource_classes = [DepartmentResource]
    background_job_kind = JobKind.ORGANISATION_IMPORT
    allow_revert = True

    def has_delete_permission(self, request, obj=None):
        # A department is retired by unticking 在用: records of every app point at it, and the
        # deletion page would list them all — secret documents' titles included.
        return False
    list_display = ["name", "kind", "phone", "leader_in_charge", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["leader_in_charge"]
    search_fields = ["name"]
    autocomplete_fields = ["leader_in_charge"]


@admin.register(Window)
class WindowAdmin(DepartmentScopedAdminMixin, ExcelImportMixin, ImportExportMixin, HistoryAdmin):
    resource_classes = [WindowResource]
    background_job_kind = JobKind.ORGANISATION_IMPORT
    allow_revert = True
    list_display = ["number", "name", "department", "hall", "location", "is_active"]
    list_filter = ["department__kind", "hall", "is_active"]
    list_select_related = ["department", "hall"]
    search_fields = ["number", "name", "department__name"]
    autocomplete_fields = ["department"]


class StaffAddForm(forms.ModelForm):
    """Adding a staff member creates the login (username = 工号); the password is set afterwards."""

    class Meta:
        model = Staff
        exclude = ["user"]

    def clean_badge_no(self):
        badge_no = self.cleaned_data["badge_no"]
        try:
            services.staff_login_check_available(badge_no)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return badge_no


class StaffChangeForm(forms.ModelForm):
    actor = None  # the acting user, set by StaffAdmin.get_form

    def clean_user(self):
        user = self.cleaned_data["user"]
        try:
            accounts.account_check_editable(actor=self.actor, account=user)
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error
        return user


@admin.register(Staff)
class StaffAdmin(DepartmentScopedAdminMixin, ExcelImportMixin, ImportExportMixin, HistoryAdmin):
    resource_classes = [StaffResource]
    background_job_kind = JobKind.ORGANISATION_IMPORT
    add_form = StaffAddForm
    form = StaffChangeForm
    list_display = ["badge_no", "name", "department", "window", "position", "leader_role", "phone", "is_active"]
    list_filter = ["leader_role", "is_active", "department__kind"]
    list_select_related = ["department", "window"]
    search_fields = ["badge_no", "name", "phone"]
    autocomplete_fields = ["user", "department", "window"]
    readonly_fields = ["departments_in_charge"]
    show_full_result_count = False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def has_change_permission(self, request, obj=None):
        # A superuser's staff record is edited by a superuser only (issue 21).
        allowed = obj is None or accounts.account_may_edit(actor=request.user, account=obj.user)
        return super().has_change_permission(request, obj) and allowed

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [f for f in fields if f != "user"] if obj is None else fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.staff_save_new(staff=obj)

    @admin.display(description="分管部门")
    def departments_in_charge(self, obj):
        return "、".join(d.name for d in obj.departments_in_charge.all()) or "—"


class SubstituteFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        substitutes = [
            form.cleaned_data["staff"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("staff")
        ]
        try:
            services.post_check_substitutes(post=self.instance, substitutes=substitutes)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class PostSubstituteInline(admin.TabularInline):
    model = PostSubstitute
    formset = SubstituteFormSet
    extra = 1
    autocomplete_fields = ["staff"]


class MissingSubstituteFilter(admin.SimpleListFilter):
    title = "B岗设置"
    parameter_name = "b_holder"

    def lookups(self, request, model_admin):
        return [("missing", "缺少B岗"), ("present", "已设B岗")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(substitute_count=0)
        if self.value() == "present":
            return queryset.filter(substitute_count__gt=0)
        return queryset


@admin.register(Post)
class PostAdmin(DepartmentScopedAdminMixin, HistoryAdmin):
    list_display = ["name", "department", "a_holder", "substitute_count_display", "acting_now"]
    list_filter = [MissingSubstituteFilter, "department__kind"]
    list_select_related = ["department", "a_holder"]
    search_fields = ["name", "department__name", "a_holder__name"]
    autocomplete_fields = ["department", "a_holder"]
    inlines = [PostSubstituteInline]
    readonly_fields = ["acting_now"]

    def get_queryset(self, request):
        return selectors.posts_with_substitute_count(super().get_queryset(request))

    def get_list_display(self, request):
        # S1.9-b: who holds each post now. Who is away is read once for the whole page.
        away = services.away_staff_ids()
        entries = services.current_whereabouts(away)

        @admin.display(description="当前在岗(顶岗)")
        def acting_now(obj):
            return acting_description(obj, away, entries)

        return [acting_now if name == "acting_now" else name for name in super().get_list_display(request)]

    @admin.display(description="当前在岗(顶岗)")
    def acting_now(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        away = services.away_staff_ids()
        return acting_description(obj, away, services.current_whereabouts(away))

    @admin.display(description="B岗人数", ordering="substitute_count")
    def substitute_count_display(self, obj):
        return obj.substitute_count or "缺少B岗"
