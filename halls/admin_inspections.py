"""Admin pages of inspections (监督检查), checklists, the hall assessment ranking and township centers (S1.1-f).

Inspectors record inspections and their findings, issue the notice and verify rectifications; the head
of the hall (or of the department that runs it) records rectifications. Each step is a service."""

import datetime
import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from staffing.admin.base import HistoryAdmin, register_control_panel
from staffing.admin.service_forms import add_service_error
from staffing.excel import excel_row
from staffing.models import CenterSettings

from . import ranking
from .inspection_selectors import findings_to_rectify, scope_to_halls
from .models import (
    ChecklistItem,
    FindingStatus,
    GuidanceVisit,
    Hall,
    HallInspection,
    HallKind,
    HallMonthFigures,
    HallSettings,
    InspectionChecklist,
    InspectionFinding,
    InspectionStatus,
)
from .services import inspections as services
from .services.township import COLUMNS, month_figures_import_file

register_control_panel(HallSettings)


def parse_month(value: str | None, default: datetime.date) -> datetime.date | None:
    if not value:
        return default.replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def month_choices(today: datetime.date, count: int = 13) -> list[datetime.date]:
    months, month = [], today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


# --- Checklists ----------------------------------------------------------------------------------


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["order", "category", "text"]
    extra = 0


@admin.register(InspectionChecklist)
class InspectionChecklistAdmin(HistoryAdmin):
    list_display = ["name", "item_count", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [ChecklistItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_items=Count("items"))

    @admin.display(description="检查项目数", ordering="n_items")
    def item_count(self, obj):
        return obj.n_items


# --- Inspections ---------------------------------------------------------------------------------


class FindingInline(admin.StackedInline):
    model = InspectionFinding
    extra = 0
    DRAFT_FIELDS = ["item", "description", "limit_days"]
    FOLLOW_UP = ["due_date", "status", "rectification", "rectified_on", "verification", "verification_note"]

    def get_fields(self, request, obj=None):
        # A draft asks only for the finding; once issued, its due date and rectification follow.
        return self.DRAFT_FIELDS if self._editable(obj) else self.DRAFT_FIELDS + self.FOLLOW_UP

    def get_readonly_fields(self, request, obj=None):
        return [] if self._editable(obj) else self.DRAFT_FIELDS + self.FOLLOW_UP

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":
            kwargs["queryset"] = ChecklistItem.objects.filter(checklist__is_active=True).select_related("checklist")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 0

    def _editable(self, obj):
        return obj is None or obj.status == InspectionStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and request.user.has_perm("halls.change_hallinspection")


class StepForm(forms.Form):
    """A confirmation without fields (下达整改通知书)."""


class RectifyForm(forms.Form):
    rectification = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 5, "cols": 60}))
    rectified_on = forms.DateField(label="整改日期", required=False, help_text="留空为今天。", widget=forms.DateInput(attrs={"type": "date"}))


class VerifyForm(forms.Form):
    result = forms.ChoiceField(label="复查结果", choices=[("passed", "合格"), ("failed", "不合格")], widget=forms.RadioSelect)
    verification_note = forms.CharField(label="复查意见", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


def _service_page(model_admin, request, *, title, form, record=None, record_url=None):
    return TemplateResponse(
        request,
        "admin/service_form_page.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            "label": title,
            "form": form,
            "media": form.media,
            "record": record,
            "record_url": record_url,
        },
    )


@admin.register(HallInspection)
class HallInspectionAdmin(HistoryAdmin):
    list_display = ["hall", "date", "inspector_names", "status", "finding_count", "open_count", "issued_on", "notice_link"]
    list_filter = ["status", "hall"]
    list_select_related = ["hall"]
    search_fields = ["hall__name", "summary"]
    autocomplete_fields = ["inspectors"]  # halls and checklists are few: plain selects
    inlines = [FindingInline]
    change_form_template = "admin/halls/hallinspection/change_form.html"
    change_list_template = "admin/halls/hallinspection/change_list.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("inspectors").annotate(
            n_findings=Count("findings"), n_open=Count("findings", filter=~Q(findings__status=FindingStatus.CLOSED))
        )
        return scope_to_halls(queryset, request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != InspectionStatus.DRAFT:
            return ["hall", "date", "inspectors", "checklist", "summary", "status", "issued_on", "issued_by"]
        return ["status", "issued_on", "issued_by"]

    def get_fields(self, request, obj=None):
        return ["hall", "date", "inspectors", "checklist", "summary", "status", "issued_on", "issued_by"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("date", timezone.localdate())
        checklist = InspectionChecklist.objects.filter(is_active=True).first()
        if checklist:
            initial.setdefault("checklist", checklist.pk)
        staff = getattr(request.user, "staff", None)
        if staff is not None:
            initial.setdefault("inspectors", [staff.pk])
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "checklist":
            kwargs["queryset"] = InspectionChecklist.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != InspectionStatus.DRAFT:
            return False  # an issued notice is not edited; its findings move through their own steps
        return super().has_change_permission(request, obj)

    @admin.display(description="检查人员")
    def inspector_names(self, obj):
        return "、".join(staff.name for staff in obj.inspectors.all()) or "—"

    @admin.display(description="发现问题", ordering="n_findings")
    def finding_count(self, obj):
        return obj.n_findings

    @admin.display(description="未整改完毕")
    def open_count(self, obj):
        return obj.n_open

    @admin.display(description="通知书")
    def notice_link(self, obj):
        if obj.status == InspectionStatus.DRAFT:
            return "未下达"
        return format_html('<a href="{}" target="_blank">打印</a>', reverse("admin:halls_hallinspection_notice", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("ranking/", view(self.ranking_view), name="halls_hallinspection_ranking"),
            path("<int:pk>/issue/", view(self.issue_view), name="halls_hallinspection_issue"),
            path("<int:pk>/notice/", view(self.notice_view), name="halls_hallinspection_notice"),
        ] + super().get_urls()

    def _inspection(self, request, pk) -> HallInspection:
        inspection = self.get_queryset(request).filter(pk=pk).first()
        if inspection is None:
            raise Http404("记录不存在或不在您的权限范围内。")
        return inspection

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        obj = self.get_queryset(request).filter(pk=object_id).first()
        if obj is not None:
            extra["inspection"] = obj
            extra["may_issue"] = obj.status == InspectionStatus.DRAFT and request.user.has_perm("halls.change_hallinspection")
        return super().change_view(request, object_id, form_url, extra)

    def issue_view(self, request, pk):
        inspection = self._inspection(request, pk)
        if not request.user.has_perm("halls.change_hallinspection"):
            raise PermissionDenied
        record_url = reverse("admin:halls_hallinspection_change", args=[pk])
        form = StepForm(request.POST or None)
        if request.method == "POST":
            try:
                services.inspection_issue(inspection=inspection, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"已下达「{inspection}」的整改通知书。")
                return redirect(record_url)
        days = HallSettings.load().rectify_days
        page = _service_page(self, request, title="下达整改通知书", form=form, record=inspection, record_url=record_url)
        page.template_name = "admin/halls/inspectionfinding/step.html"
        page.context_data["intro"] = f"下达后,各发现问题的整改期限自今天起按工作日计算(未填写时限的按{days}个工作日)。"
        return page

    def notice_view(self, request, pk):
        inspection = self._inspection(request, pk)
        if inspection.status == InspectionStatus.DRAFT:
            raise Http404("整改通知书尚未下达。")
        findings = inspection.findings.select_related("item").order_by("pk")
        context = {
            "title": "监督检查整改通知书",
            "center": CenterSettings.load(),
            "inspection": inspection,
            "hall": inspection.hall,
            "inspectors": "、".join(s.name for s in inspection.inspectors.all()),
            "findings": findings,
        }
        return TemplateResponse(request, "halls/print/inspection_notice.html", context)

    # --- the monthly ranking (统一考核) ---------------------------------------------------------------

    def ranking_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        month = parse_month(request.GET.get("month"), today)
        error = ""
        if month is None:
            error = f"月份「{request.GET.get('month')}」无效,应写作 2026-11;已显示本月。"
            month = today.replace(day=1)
        rows = ranking.hall_ranking(month)
        weights = HallSettings.load()
        if request.GET.get("export") == "xlsx":
            return ranking_workbook(month, rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{month:%Y年%-m月}服务场所统一考核排名",
            "month": month,
            "months": month_choices(today),
            "rows": rows,
            "weights": weights,
            "error": error,
            "center": CenterSettings.load(),
            "printed_at": today,
        }
        template = "halls/print/ranking.html" if request.GET.get("print") else "admin/halls/ranking.html"
        return TemplateResponse(request, template, context)


RANKING_HEADERS = ["名次", "服务场所", "类型", "办结件数", "按时办结率(%)", "超期件数", "属实投诉", "差评", "发现问题", "按时整改率(%)", "得分"]


def ranking_workbook(month, rows) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"{month:%Y年%m月}"
    sheet.append(RANKING_HEADERS)
    for row in rows:
        sheet.append(
            excel_row(
                [
                    row.rank or "—", row.hall.name, row.hall.get_kind_display(), row.completed,
                    float(row.on_time_rate) if row.on_time_rate is not None else "—", row.overdue, row.complaints,
                    row.bad_ratings, row.findings, float(row.rectified_rate) if row.rectified_rate is not None else "—",
                    float(row.score) if row.rank else "无数据",
                ]
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=hall-ranking-{month:%Y-%m}.xlsx"
    return response


# --- Findings: rectification and verification ----------------------------------------------------


class TodoFilter(admin.SimpleListFilter):
    title = "待我办理"
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [("rectify", "待我整改"), ("verify", "待复查")]

    def queryset(self, request, queryset):
        if self.value() == "rectify":
            mine = findings_to_rectify(request.user, getattr(request.user, "staff", None))
            return queryset.filter(pk__in=mine.values("pk")) if mine is not None else queryset.none()
        if self.value() == "verify":
            return queryset.filter(status=FindingStatus.RECTIFIED)
        return queryset


@admin.register(InspectionFinding)
class InspectionFindingAdmin(HistoryAdmin):
    list_display = ["description_short", "hall", "inspection_date", "due_date", "status", "rectified_on", "verification", "step_link"]
    list_filter = [TodoFilter, "status", "verification"]
    list_select_related = ["inspection__hall"]
    search_fields = ["description", "inspection__hall__name"]
    readonly_fields = [
        "inspection", "item", "description", "limit_days", "due_date", "status", "rectification", "rectified_on",
        "rectified_by", "verification", "verification_note", "verified_on", "verified_by",
    ]

    def get_queryset(self, request):
        return scope_to_halls(super().get_queryset(request), request.user, "inspection__hall")

    def has_add_permission(self, request):
        return False  # findings are recorded on their inspection

    def has_change_permission(self, request, obj=None):
        return False  # rectification and verification are steps (links in the list)

    @admin.display(description="发现问题")
    def description_short(self, obj):
        return obj.description if len(obj.description) <= 24 else obj.description[:24] + "…"

    @admin.display(description="服务场所", ordering="inspection__hall__name")
    def hall(self, obj):
        return obj.inspection.hall.name

    @admin.display(description="检查日期", ordering="inspection__date")
    def inspection_date(self, obj):
        return obj.inspection.date

    @admin.display(description="办理")
    def step_link(self, obj):
        if obj.inspection.status == InspectionStatus.DRAFT:
            return "通知书未下达"
        if obj.status == FindingStatus.OPEN:
            return format_html('<a href="{}">填报整改</a>', reverse("admin:halls_inspectionfinding_rectify", args=[obj.pk]))
        if obj.status == FindingStatus.RECTIFIED:
            return format_html('<a href="{}">复查</a>', reverse("admin:halls_inspectionfinding_verify", args=[obj.pk]))
        return "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/rectify/", view(self.rectify_view), name="halls_inspectionfinding_rectify"),
            path("<int:pk>/verify/", view(self.verify_view), name="halls_inspectionfinding_verify"),
        ] + super().get_urls()

    def _finding(self, request, pk) -> InspectionFinding:
        finding = self.get_queryset(request).select_related("inspection__hall").filter(pk=pk).first()
        if finding is None:
            raise Http404("记录不存在或不在您的权限范围内。")
        return finding

    def _step(self, request, pk, *, title, form_class, run, allowed):
        finding = self._finding(request, pk)
        if not allowed(finding):
            # Refused before the form is filled in, not after (the services check again on saving).
            raise PermissionDenied(f"您不能{title}:「{finding.inspection.hall}」的「{finding}」。")
        back = reverse("admin:halls_inspectionfinding_changelist")
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run(finding, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"已{title}:{finding.inspection.hall}「{finding}」。")
                return redirect(back)
        page = _service_page(self, request, title=title, form=form, record=finding, record_url=back)
        page.context_data["finding"] = finding
        page.template_name = "admin/halls/inspectionfinding/step.html"
        return page

    def rectify_view(self, request, pk):
        return self._step(
            request, pk, title="填报整改情况", form_class=RectifyForm,
            allowed=lambda finding: services.may_rectify(request.user, finding),
            run=lambda finding, data: services.finding_rectify(
                finding=finding, user=request.user, rectification=data["rectification"], rectified_on=data["rectified_on"]
            ),
        )

    def verify_view(self, request, pk):
        return self._step(
            request, pk, title="复查整改情况", form_class=VerifyForm,
            allowed=lambda finding: services.may_verify(request.user),
            run=lambda finding, data: services.finding_verify(
                finding=finding, user=request.user, passed=data["result"] == "passed", note=data["verification_note"]
            ),
        )


# --- Township centers ----------------------------------------------------------------------------


@admin.register(GuidanceVisit)
class GuidanceVisitAdmin(HistoryAdmin):
    list_display = ["hall", "date", "visitor_names", "topics_short"]
    list_filter = ["hall"]
    list_select_related = ["hall"]
    search_fields = ["hall__name", "topics", "problems"]
    autocomplete_fields = ["visitors"]
    fields = ["hall", "date", "visitors", "topics", "problems", "follow_up", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def get_queryset(self, request):
        return scope_to_halls(super().get_queryset(request).prefetch_related("visitors"), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "hall":
            kwargs["queryset"] = Hall.objects.filter(kind=HallKind.TOWNSHIP)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="指导人员")
    def visitor_names(self, obj):
        return "、".join(staff.name for staff in obj.visitors.all()) or "—"

    @admin.display(description="指导内容")
    def topics_short(self, obj):
        return obj.topics if len(obj.topics) <= 40 else obj.topics[:40] + "…"


class FiguresImportForm(forms.Form):
    file = forms.FileField(label="Excel文件", help_text=f"第一行为表头:{'、'.join(COLUMNS)}。月份写成 2026-11。")


@admin.register(HallMonthFigures)
class HallMonthFiguresAdmin(HistoryAdmin):
    list_display = ["hall", "month_label", "received", "completed", "completed_on_time", "overdue"]
    list_filter = ["hall"]
    list_select_related = ["hall"]
    change_list_template = "admin/halls/hallmonthfigures/change_list.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "hall":
            kwargs["queryset"] = Hall.objects.filter(uses_system=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="月份", ordering="month")
    def month_label(self, obj):
        return f"{obj.month:%Y年%m月}"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="halls_hallmonthfigures_import"),
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        back = reverse("admin:halls_hallmonthfigures_changelist")
        form = FiguresImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                count = month_figures_import_file(upload=upload, file_name=upload.name, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"已导入{count}条月度办件数据。")
                return redirect(back)
        return _service_page(self, request, title="导入乡镇月度办件数据", form=form, record_url=back)
