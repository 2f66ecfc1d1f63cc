"""办公用品 (S3.7): the catalog with stock on hand and its Excel import, 资金使用审批表 with the approval
chain and the 同意/不同意 buttons, 采购 with 入库, 领用单 with 发放, and the stock movements.

Stock on hand is never typed: it is the sum of the movements, annotated on the list in the same query.
Every write goes through documents.services (and staffing's approval_decide); a refusal comes back on
the form or as an error message. The report pages are in supply_reports.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from staffing import selectors as staffing_selectors
from staffing import services as staffing_services
from staffing.admin.base import HistoryAdmin
from staffing.admin.imports import ExcelImportMixin
from staffing.admin.requests import AwaitingMeFilter
from staffing.admin.service_forms import add_service_error, service_message
from staffing.models import Approval, ApprovalDecision, RequestStatus

from .. import selectors, services
from ..forms import (
    FundDecisionForm,
    FundRequestForm,
    FundRequestLineFormSet,
    NoFieldsForm,
    PurchaseForm,
    PurchaseLineFormSet,
    RequisitionLineFormSet,
)
from ..models import FundRequest, FundRequestLine, Purchase, PurchaseLine, Requisition, RequisitionLine, StockMovement, Supply
from ..resources import SupplyResource
from . import supply_reports
from .common import AdminPagesMixin, RecordAdmin, RecordInline, plain

DECISION_PERMISSION = "staffing.change_approval"
STATUS_CSS = {
    RequestStatus.PENDING: "pending",
    RequestStatus.APPROVED: "approved",
    RequestStatus.REJECTED: "rejected",
    RequestStatus.CANCELLED: "",
}


def request_staff(request):
    return getattr(request.user, "staff", None) if request.user.is_authenticated else None


def yuan(amount) -> str:
    return f"¥{amount:,.2f}"


def status_badge(obj):
    return format_html('<span class="dc-mark {}">{}</span>', STATUS_CSS.get(obj.status, ""), obj.get_status_display())


class LinesPageMixin:
    """An add page with a form and a table of lines, saved by one service call."""

    def lines_page(self, request, *, title, form, formset, form_label, lines_label, submit_label, intro=""):
        media = self.media + form.media + formset.media
        return self.page(
            request,
            "admin/documents/lines_form.html",
            title,
            form=form,
            formset=formset,
            form_label=form_label,
            lines_label=lines_label,
            submit_label=submit_label,
            intro=intro,
            line_errors=any(f.errors for f in formset.forms),
            media=media,
        )

    def submit_lines(self, request, form, formset, call):
        """Both valid → the service; its refusal goes on the form. Returns the new record or None."""
        if not (form.is_bound and form.is_valid() and formset.is_valid()):
            return None
        try:
            obj = call(form.cleaned_data, formset.lines())
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
            return None
        self.log_addition(request, obj, [{"added": {}}])
        return obj


# --- The catalog ---------------------------------------------------------------------------------


class ReorderFilter(admin.SimpleListFilter):
    title = "库存"
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("reorder", "低于或等于最低库存"), ("empty", "无库存")]

    def queryset(self, request, queryset):
        if self.value() == "reorder":
            return queryset.filter(on_hand__lte=F("reorder_level"))
        if self.value() == "empty":
            return queryset.filter(on_hand__lte=0)
        return queryset


@admin.register(Supply)
class SupplyAdmin(AdminPagesMixin, ExcelImportMixin, HistoryAdmin):
    resource_classes = [SupplyResource]
    import_rows_kind = "supplies"
    list_display = ["name", "specification", "unit", "reorder_level_display", "on_hand_display", "value_display", "reorder_mark", "is_active"]
    list_display_links = ["name"]
    list_filter = [ReorderFilter, "is_active"]
    search_fields = ["name", "specification"]
    ordering = ["name", "specification"]
    fields = ["name", "specification", "unit", "reorder_level", "is_active", "on_hand_display", "value_display"]
    readonly_fields = ["on_hand_display", "value_display"]
    actions = None
    show_full_result_count = False
    change_list_template = "admin/documents/supply/change_list.html"

    def get_queryset(self, request):
        return selectors.with_stock(super().get_queryset(request))

    @admin.display(description="最低库存", ordering="reorder_level")
    def reorder_level_display(self, obj):
        return plain(obj.reorder_level)

    @admin.display(description="库存数量", ordering="on_hand")
    def on_hand_display(self, obj):
        return plain(getattr(obj, "on_hand", None)) if obj.pk else "—"

    @admin.display(description="库存金额(元)", ordering="value")
    def value_display(self, obj):
        return f"{obj.value:,.2f}" if obj.pk and getattr(obj, "value", None) is not None else "—"

    @admin.display(description="补货")
    def reorder_mark(self, obj):
        if obj.on_hand <= obj.reorder_level:
            return mark_safe('<span class="dc-mark reorder">需补货</span>')
        return ""

    def has_delete_permission(self, request, obj=None):
        return False  # a supply with movements is part of the stock record; retire it with 在用

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("valuation/", wrap(self.valuation_view), name="documents_supply_valuation"),
            path("consumption/", wrap(self.consumption_view), name="documents_supply_consumption"),
        ] + super().get_urls()

    def valuation_view(self, request):
        return supply_reports.valuation(self, request)

    def consumption_view(self, request):
        return supply_reports.consumption(self, request)

    # The import-export pages keep their own templates; only the list gains the report links.
    def changelist_view(self, request, extra_context=None):
        context = {"can_see_stock": request.user.has_perm("documents.view_stockmovement"), **(extra_context or {})}
        return super().changelist_view(request, context)


# --- 资金使用审批表 -------------------------------------------------------------------------------


class FundLineInline(RecordInline):
    model = FundRequestLine
    fields = ["description", "supply", "quantity_display", "unit_price", "subtotal"]
    verbose_name_plural = "申购明细"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supply")

    @admin.display(description="数量")
    def quantity_display(self, obj):
        return plain(obj.quantity)

    @admin.display(description="小计(元)")
    def subtotal(self, obj):
        return f"{obj.quantity * obj.unit_price:,.2f}"


class PurchaseSummaryInline(RecordInline):
    model = Purchase
    fields = ["purchase_link", "purchased_on", "invoice_amount", "over_approved", "stocked_in_at"]
    verbose_name_plural = "采购"

    @admin.display(description="发票")
    def purchase_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:documents_purchase_change", args=[obj.pk]), obj.invoice_number)


@admin.register(FundRequest)
class FundRequestAdmin(LinesPageMixin, RecordAdmin):
    list_display = ["submitted_at", "department", "requested_by_name", "purpose", "amount", "status_display", "pending_step"]
    list_display_links = ["submitted_at", "purpose"]
    list_filter = [AwaitingMeFilter, "status", "department"]
    list_select_related = ["department", "requested_by"]
    search_fields = ["purpose"]
    show_full_result_count = False
    fieldsets = [
        ("资金使用审批表", {"fields": [("department", "requested_by"), "purpose", ("estimated_amount", "status"), "submitted_at"]}),
    ]
    inlines = [FundLineInline, PurchaseSummaryInline]
    change_form_template = "admin/documents/fundrequest/change_form.html"
    change_list_template = "admin/documents/fundrequest/change_list.html"

    # Scope: center-wide roles all; heads and leaders their departments; an approver what they are asked.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        content_type = ContentType.objects.get_for_model(FundRequest)
        pending = Approval.objects.filter(content_type=content_type, object_id=OuterRef("pk"), decision=ApprovalDecision.PENDING).order_by("order")
        queryset = queryset.annotate(
            pending_approver=Subquery(pending.values("approver__name")[:1]), pending_role=Subquery(pending.values("role")[:1])
        )
        user = request.user
        if staffing_selectors.user_sees_all_departments(user):
            return queryset
        staff = request_staff(request)
        if staff is None:
            return queryset.none()
        asked = Approval.objects.filter(content_type=content_type, approver=staff).values("object_id")
        return queryset.filter(
            Q(department_id__in=staffing_selectors.user_department_ids(user)) | Q(requested_by=staff) | Q(pk__in=asked)
        )

    @admin.display(description="申请人", ordering="requested_by__name")
    def requested_by_name(self, obj):
        return obj.requested_by.name

    @admin.display(description="预计金额(元)", ordering="estimated_amount")
    def amount(self, obj):
        return f"{obj.estimated_amount:,.2f}"

    @admin.display(description="状态", ordering="status")
    def status_display(self, obj):
        return status_badge(obj)

    @admin.display(description="当前审批")
    def pending_step(self, obj):
        if not getattr(obj, "pending_approver", None):
            return "—"
        role = dict(Approval._meta.get_field("role").choices).get(obj.pending_role, obj.pending_role)
        return f"待{obj.pending_approver}({role})审批"

    def has_add_permission(self, request):
        return request_staff(request) is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a submitted form is decided with the buttons, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def request_or_404(self, request, object_id) -> FundRequest:
        obj = self.get_object(request, unquote(str(object_id)))
        if obj is None:
            raise Http404("没有找到该资金使用审批表。")
        return obj

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("open/", wrap(self.open_view), name="documents_fundrequest_open"),
            path("<int:object_id>/decide/", wrap(self.decide_view), name="documents_fundrequest_decide"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        context = dict(extra_context or {})
        staff = request_staff(request)
        if staff is not None and request.user.has_perm(DECISION_PERMISSION):
            context["awaiting_count"] = staffing_services.approvals_waiting_for(staff).filter(
                content_type=ContentType.objects.get_for_model(FundRequest)
            ).count()
        return super().changelist_view(request, context)

    # 填写资金使用审批表

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form, formset = FundRequestForm(data), FundRequestLineFormSet(data, prefix="lines")
        fund_request = self.submit_lines(
            request, form, formset,
            lambda cleaned, lines: services.fund_request_submit(user=request.user, purpose=cleaned["purpose"], lines=lines),
        )
        if fund_request is not None:
            pending = staffing_services.chain_of(fund_request).filter(decision=ApprovalDecision.PENDING).first()
            text = f"资金使用审批表已提交,预计金额{yuan(fund_request.estimated_amount)}。"
            text += f"待{pending.approver.name}({pending.get_role_display()})审批。" if pending else f"现为「{fund_request.get_status_display()}」。"
            self.message_user(request, text, messages.SUCCESS)
            return HttpResponseRedirect(self.change_url(fund_request))
        return self.lines_page(
            request, title="填写资金使用审批表", form=form, formset=formset, form_label="资金使用审批表", lines_label="申购明细",
            submit_label="提交审批",
            intro="预计金额按明细合计;金额决定审批人(见审批规则:一般由主要领导审批,大额须董事长加签)。选择目录中的用品时品名可不填。",
        )

    # The form's page: the chain, and the buttons for the approver whose turn it is

    def my_pending_step(self, request, obj):
        staff = request_staff(request)
        if staff is None or not request.user.has_perm(DECISION_PERMISSION):
            return None
        return staffing_services.chain_of(obj).filter(decision=ApprovalDecision.PENDING, approver=staff).first()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.request_or_404(request, object_id)
        context = {"title": "资金使用审批表", **(extra_context or {})}
        context["approval_chain"] = list(staffing_services.chain_of(obj))
        context["fund_request"] = obj
        if self.my_pending_step(request, obj) is not None:
            context["decision_form"] = FundDecisionForm()
            context["decision_url"] = self.admin_url("decide", obj.pk)
        purchases = admin_site_admin(self, Purchase)
        if obj.status == RequestStatus.APPROVED and purchases is not None and purchases.has_add_permission(request):
            context["purchase_url"] = f"{reverse('admin:documents_purchase_add')}?fund_request={obj.pk}"
        return super().change_view(request, object_id, form_url, context)

    def decide_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.request_or_404(request, object_id)
        buttons = [name for name in ("approve", "reject") if name in request.POST]
        form = FundDecisionForm(request.POST)
        step = self.my_pending_step(request, obj)
        if len(buttons) != 1:
            self.message_user(request, "请点击「同意」或「不同意」提交。", messages.ERROR)
        elif step is None:
            self.message_user(request, "该审批表当前没有待您审批的步骤。", messages.ERROR)
        elif not form.is_valid():
            self.message_user(request, ";".join(form.errors["comment"]), messages.ERROR)
        else:
            approve = buttons[0] == "approve"
            try:
                staffing_services.approval_decide(approval=step, user=request.user, approve=approve, comment=form.cleaned_data["comment"])
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"未能提交审批:{service_message(error)}", messages.ERROR)
            else:
                obj.refresh_from_db()
                done = f"已{'同意' if approve else '不同意'}{obj.department}「{obj.purpose}」的资金使用审批表。"
                following = staffing_services.chain_of(obj).filter(decision=ApprovalDecision.PENDING).first()
                if following is not None:
                    done += f"下一步待{following.approver.name}({following.get_role_display()})审批。"
                else:
                    done += f"审批表现为「{obj.get_status_display()}」。"
                self.log_change(request, obj, done)
                self.message_user(request, done, messages.SUCCESS)
        return redirect(self.change_url(obj))

    def open_view(self, request):
        return supply_reports.open_requests(self, request)


def admin_site_admin(model_admin, model):
    return model_admin.admin_site._registry.get(model)


# --- 采购 and 入库 ---------------------------------------------------------------------------------


class PurchaseLineInline(RecordInline):
    model = PurchaseLine
    fields = ["supply", "quantity_display", "amount"]
    verbose_name_plural = "采购明细"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supply")

    @admin.display(description="数量")
    def quantity_display(self, obj):
        return f"{plain(obj.quantity)}{obj.supply.unit}"


@admin.register(Purchase)
class PurchaseAdmin(LinesPageMixin, RecordAdmin):
    list_display = ["purchased_on", "invoice_number", "fund_request_display", "invoice_amount", "over_mark", "stock_state"]
    list_display_links = ["purchased_on", "invoice_number"]
    list_filter = ["over_approved", ("stocked_in_at", admin.EmptyFieldListFilter)]
    list_select_related = ["fund_request__department", "recorded_by"]
    search_fields = ["invoice_number", "fund_request__purpose"]
    show_full_result_count = False
    fieldsets = [
        ("采购", {"fields": ["fund_request", ("invoice_number", "invoice_amount"), ("purchased_on", "recorded_by"), ("over_approved", "stocked_in_at")]}),
    ]
    inlines = [PurchaseLineInline]
    change_form_template = "admin/documents/purchase/change_form.html"
    change_list_template = "admin/documents/purchase/change_list.html"

    @admin.display(description="资金使用审批表", ordering="fund_request__submitted_at")
    def fund_request_display(self, obj):
        return f"{obj.fund_request.department.name} {obj.fund_request.purpose}"

    @admin.display(description="超出审批金额", ordering="over_approved")
    def over_mark(self, obj):
        return mark_safe('<span class="dc-mark overdue">超出审批金额</span>') if obj.over_approved else ""

    @admin.display(description="入库", ordering="stocked_in_at")
    def stock_state(self, obj):
        if obj.stocked_in_at:
            return mark_safe('<span class="dc-mark done">已入库</span>')
        return mark_safe('<span class="dc-mark pending">未入库</span>')

    def has_change_permission(self, request, obj=None):
        return False  # a purchase moves only by 入库

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("reimbursement/", wrap(self.reimbursement_view), name="documents_purchase_reimbursement"),
            path("<int:object_id>/stock-in/", wrap(self.stock_in_view), name="documents_purchase_stock_in"),
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = PurchaseForm(data, initial={"fund_request": request.GET.get("fund_request")})
        formset = PurchaseLineFormSet(data, prefix="lines")
        purchase = self.submit_lines(
            request, form, formset,
            lambda cleaned, lines: services.purchase_record(user=request.user, lines=lines, **cleaned),
        )
        if purchase is not None:
            text = f"已登记采购(发票{purchase.invoice_number},{yuan(purchase.invoice_amount)})。"
            if purchase.over_approved:
                text += "注意:累计采购金额超出审批金额,报销时将被挂起。"
            self.message_user(request, text + "货物到达后请点击「入库」。", messages.WARNING if purchase.over_approved else messages.SUCCESS)
            return HttpResponseRedirect(self.change_url(purchase))
        return self.lines_page(
            request, title="登记采购", form=form, formset=formset, form_label="采购", lines_label="采购明细(入库的用品)",
            submit_label="登记采购", intro="只能对已批准的资金使用审批表登记采购;入库后方可报销。",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        purchase = self.get_object(request, unquote(str(object_id)))
        if purchase is None:
            raise Http404("没有找到该采购。")
        context = {"title": "采购", **(extra_context or {}), "purchase": purchase}
        if purchase.stocked_in_at is None and selectors.user_in_office(request.user) and request.user.has_perm("documents.add_stockmovement"):
            context["stock_in_url"] = self.admin_url("stock_in", purchase.pk)
        return super().change_view(request, object_id, form_url, context)

    def stock_in_view(self, request, object_id):
        purchase = self.get_object(request, unquote(str(object_id)))
        if purchase is None:
            raise Http404("没有找到该采购。")

        def stock_in():
            services.purchase_stock_in(purchase=purchase, user=request.user)
            return "已入库,库存已增加;该采购现可报销。"

        return self.run_button(request, purchase, "入库", stock_in)

    def reimbursement_view(self, request):
        return supply_reports.reimbursement(self, request)


# --- 领用单 and 发放 --------------------------------------------------------------------------------


class RequisitionLineInline(RecordInline):
    model = RequisitionLine
    fields = ["supply", "quantity_display"]
    verbose_name_plural = "领用明细"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supply")

    @admin.display(description="数量")
    def quantity_display(self, obj):
        return f"{plain(obj.quantity)}{obj.supply.unit}"


class IssuedFilter(admin.SimpleListFilter):
    title = "发放"
    parameter_name = "issued"

    def lookups(self, request, model_admin):
        return [("no", "待发放"), ("yes", "已发放")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(issued_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(issued_at__isnull=False)
        return queryset


@admin.register(Requisition)
class RequisitionAdmin(LinesPageMixin, RecordAdmin):
    list_display = ["requested_at", "department", "requested_by_name", "items", "issue_state"]
    list_display_links = ["requested_at"]
    list_filter = [IssuedFilter, "department"]
    list_select_related = ["department", "requested_by", "issued_by"]
    show_full_result_count = False
    fieldsets = [("领用单", {"fields": [("department", "requested_by"), "requested_at", ("issued_at", "issued_by")]})]
    inlines = [RequisitionLineInline]
    change_form_template = "admin/documents/requisition/change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("lines__supply")
        return staffing_selectors.scope_to_department(queryset, request.user)

    @admin.display(description="领用人", ordering="requested_by__name")
    def requested_by_name(self, obj):
        return obj.requested_by.name

    @admin.display(description="领用明细")
    def items(self, obj):
        return "、".join(f"{line.supply}{plain(line.quantity)}{line.supply.unit}" for line in obj.lines.all())

    @admin.display(description="发放", ordering="issued_at")
    def issue_state(self, obj):
        if obj.issued_at:
            return mark_safe('<span class="dc-mark done">已发放</span>')
        return mark_safe('<span class="dc-mark pending">待发放</span>')

    def has_add_permission(self, request):
        return request_staff(request) is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a requisition moves only by 发放

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<int:object_id>/issue/", wrap(self.issue_view), name="documents_requisition_issue")] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        supplies = selectors.with_stock(Supply.objects.filter(is_active=True)).order_by("name", "specification")
        form = NoFieldsForm(data)  # the department is the requester's; everything else is in the lines
        formset = RequisitionLineFormSet(data, prefix="lines", form_kwargs={"supplies": supplies})
        requisition = self.submit_lines(
            request, form, formset, lambda cleaned, lines: services.requisition_submit(user=request.user, lines=lines)
        )
        if requisition is not None:
            self.message_user(request, "领用单已提交,待办公室发放。", messages.SUCCESS)
            return HttpResponseRedirect(self.change_url(requisition))
        staff = request_staff(request)
        return self.lines_page(
            request, title="填写领用单", form=form, formset=formset, form_label=f"领用部门:{staff.department.name}",
            lines_label="领用明细", submit_label="提交领用单", intro="括号内为现有库存;办公室发放时按库存出库,库存不足的不能发放。",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        requisition = self.get_object(request, unquote(str(object_id)))
        if requisition is None:
            raise Http404("没有找到该领用单。")
        context = {"title": "领用单", **(extra_context or {}), "requisition": requisition}
        if requisition.issued_at is None and selectors.user_in_office(request.user) and request.user.has_perm("documents.add_stockmovement"):
            context["issue_url"] = self.admin_url("issue", requisition.pk)
        return super().change_view(request, object_id, form_url, context)

    def issue_view(self, request, object_id):
        requisition = self.get_object(request, unquote(str(object_id)))
        if requisition is None:
            raise Http404("没有找到该领用单。")

        def issue():
            services.requisition_issue(requisition=requisition, user=request.user)
            return "已发放,库存已减少。"

        return self.run_button(request, requisition, "发放", issue)


# --- 出入库记录 -----------------------------------------------------------------------------------


@admin.register(StockMovement)
class StockMovementAdmin(RecordAdmin):
    list_display = ["at", "supply", "kind", "quantity_display", "amount", "department", "source", "by"]
    list_filter = ["kind", "department"]
    list_select_related = ["supply", "department", "by", "purchase", "requisition"]
    search_fields = ["supply__name"]
    show_full_result_count = False
    fieldsets = [("出入库记录", {"fields": ["supply", "kind", ("quantity", "amount"), "at", "department", ("purchase", "requisition"), "by"]})]

    @admin.display(description="数量", ordering="quantity")
    def quantity_display(self, obj):
        return f"{plain(obj.quantity)}{obj.supply.unit}"

    @admin.display(description="来源")
    def source(self, obj):
        if obj.purchase_id:
            return format_html('<a href="{}">采购 发票{}</a>', reverse("admin:documents_purchase_change", args=[obj.purchase_id]), obj.purchase.invoice_number)
        if obj.requisition_id:
            return format_html('<a href="{}">领用单</a>', reverse("admin:documents_requisition_change", args=[obj.requisition_id]))
        return "期初"

    def has_add_permission(self, request):
        return False  # movements come from 期初, 入库 and 发放

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

