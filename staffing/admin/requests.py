"""Building blocks of the request pages (请假, 加班, 去向登记): who sees which requests, and the
approval chain with the 同意 / 不同意 buttons for the approver whose turn it is. (The add page saved
by a service is `staffing.admin.service_forms.ServiceAddMixin`.)
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from .. import roles, selectors, services
from ..forms import ApprovalDecisionForm
from ..models import Approval, ApprovalDecision
from .base import DepartmentScopedAdminMixin
from .service_forms import service_message

DECISION_PERMISSION = "staffing.change_approval"
# Besides the center-wide roles, these see the requests of the departments they act for;
# everyone else sees their own (and those they are asked to approve or take over).
DEPARTMENT_ROLES = {roles.WINDOW_HEAD, roles.SECTION_HEAD, roles.LEADER_IN_CHARGE, roles.MAIN_LEADER}


def request_staff(request):
    return getattr(request.user, "staff", None) if request.user.is_authenticated else None


class AwaitingMeFilter(admin.SimpleListFilter):
    """待我审批: the requests whose pending step is the user's."""

    title = "审批"
    parameter_name = "awaiting"

    def lookups(self, request, model_admin):
        if request_staff(request) is None or not request.user.has_perm(DECISION_PERMISSION):
            return []
        return [("me", "待我审批")]

    def queryset(self, request, queryset):
        if self.value() != "me":
            return queryset
        staff = request_staff(request)
        if staff is None:
            return queryset.none()
        return queryset.filter(pk__in=waiting_ids(staff, queryset.model))


def waiting_ids(staff, model):
    content_type = ContentType.objects.get_for_model(model)
    return services.approvals_waiting_for(staff).filter(content_type=content_type).values("object_id")


class ApprovalRequestAdminMixin(DepartmentScopedAdminMixin):
    """Leave and overtime: requests that are read-only once submitted and decided by buttons on their page.

    The list is scoped: center-wide roles see all, heads and leaders the departments they act for,
    anyone else their own requests and those waiting for their approval.
    """

    department_path = "staff__department"
    change_form_template = "admin/staffing/approval_change_form.html"
    change_list_template = "admin/staffing/approval_change_list.html"

    # Scope

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if selectors.user_sees_all_departments(user) or selectors.user_role_names(user) & DEPARTMENT_ROLES:
            return queryset
        staff = request_staff(request)
        if staff is None:
            return queryset.none()
        asked = Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), approver=staff
        ).values("object_id")
        return queryset.filter(self.own_requests(staff) | Q(pk__in=asked))

    def own_requests(self, staff) -> Q:
        return Q(staff=staff)

    def with_pending_step(self, queryset):
        """Annotate who is to approve now, in the same query as the list."""
        pending = Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            decision=ApprovalDecision.PENDING,
        ).order_by("order")
        return queryset.annotate(
            pending_approver=Subquery(pending.values("approver__name")[:1]),
            pending_role=Subquery(pending.values("role")[:1]),
        )

    @admin.display(description="当前审批")
    def pending_step(self, obj):
        if not getattr(obj, "pending_approver", None):
            return "—"
        role = dict(Approval._meta.get_field("role").choices).get(obj.pending_role, obj.pending_role)
        return f"待{obj.pending_approver}({role})审批"

    # Permissions: submitted requests are not edited or deleted; approvers decide with the buttons.

    def has_add_permission(self, request):
        return request_staff(request) is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [field for fieldset in self.view_fieldsets for field in _flatten(fieldset[1]["fields"])]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.view_fieldsets

    # The list

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        staff = request_staff(request)
        if staff is not None and request.user.has_perm(DECISION_PERMISSION):
            extra_context["awaiting_count"] = services.approvals_waiting_for(staff).filter(
                content_type=ContentType.objects.get_for_model(self.model)
            ).count()
        return super().changelist_view(request, extra_context)

    # The change page: the chain, and the buttons for the approver whose turn it is

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_decide"
        return [
            path("<path:object_id>/decide/", self.admin_site.admin_view(require_POST(self.decision_view)), name=name),
        ] + super().get_urls()

    def my_pending_step(self, request, obj):
        staff = request_staff(request)
        if obj is None or staff is None or not request.user.has_perm(DECISION_PERMISSION):
            return None
        return services.chain_of(obj).filter(decision=ApprovalDecision.PENDING, approver=staff).first()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["approval_chain"] = list(services.chain_of(obj))
            extra_context["request_status"] = obj.get_status_display()
            extra_context["request_status_code"] = obj.status
            if self.my_pending_step(request, obj) is not None:
                extra_context["decision_form"] = ApprovalDecisionForm()
                extra_context["decision_url"] = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_decide", args=[obj.pk]
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm(DECISION_PERMISSION):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        buttons = [name for name in ("approve", "reject") if name in request.POST]
        form = ApprovalDecisionForm(request.POST)
        step = self.my_pending_step(request, obj)
        if len(buttons) != 1:
            self.message_user(request, "请点击「同意」或「不同意」提交。", messages.ERROR)
        elif step is None:
            self.message_user(request, "该申请当前没有待您审批的步骤。", messages.ERROR)
        elif not form.is_valid():
            self.message_user(request, ";".join(form.errors["comment"]), messages.ERROR)
        else:
            approve = buttons[0] == "approve"
            try:
                services.approval_decide(
                    approval=step, user=request.user, approve=approve, comment=form.cleaned_data["comment"]
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"未能提交审批:{service_message(error)}", messages.ERROR)
            else:
                obj.refresh_from_db()
                done = f"已{'同意' if approve else '不同意'}{obj.staff.name}的{self.opts.verbose_name}。"
                following = services.chain_of(obj).filter(decision=ApprovalDecision.PENDING).first()
                if following is not None:
                    done += f"下一步待{following.approver.name}({following.role_label})审批。"
                else:
                    done += f"申请现为「{obj.get_status_display()}」。"
                self.log_change(request, obj, done)
                self.message_user(request, done, messages.SUCCESS)
        return redirect(change_url)


def _flatten(fields):
    for field in fields:
        if isinstance(field, (list, tuple)):
            yield from field
        else:
            yield field
