"""首问登记 (S1.3): the quick add form for window staff, the list, and 「转为办件」."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html_join

from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin
from staffing.admin.service_forms import ServiceAddMixin, add_service_error
from staffing.selectors import user_acts_for_department

from .. import services
from ..consultation_forms import ConsultationForm, OpenCaseForm
from ..models import Case, Consultation, ConsultationOutcome


def consultation_case(consultation):
    try:
        return consultation.case
    except Case.DoesNotExist:
        return None


@admin.register(Consultation)
class ConsultationAdmin(ServiceAddMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    form = ConsultationForm
    add_fields = ConsultationForm.Meta.fields
    list_display = [
        "asked_at",
        "asker",
        "item",
        "outcome",
        "first_inquiry_staff",
        "window",
        "transferred_to",
    ]  # and the 办件 column, added per request by get_list_display()
    list_filter = ["outcome", ("department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["item", "first_inquiry_staff", "window", "transferred_to", "case"]
    search_fields = ["asker_name", "asker_phone", "item__name", "question"]
    autocomplete_fields = ["item"]
    radio_fields = {"outcome": admin.VERTICAL}
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [
            "asked_at",
            "asker_name",
            "asker_phone",
            "item",
            "question",
            "outcome",
            "transferred_to",
            "referred_authority",
            "note",
            "first_inquiry_staff",
            "department",
            "window",
        ]

    def has_change_permission(self, request, obj=None):
        # A logged inquiry is a record: it is read, not edited (the history shows who logged it).
        return obj is None and super().has_change_permission(request)

    def may_open_cases(self, request):
        return request.user.has_perm("casework.add_case") and super().has_change_permission(request)

    def add_through_service(self, request, form):
        return services.consultation_log(user=request.user, **form.cleaned_data)

    def response_add(self, request, obj, post_url_continue=None):
        """What was registered and what comes next, by outcome."""
        outcome = obj.outcome
        if outcome == ConsultationOutcome.NOTICE_GIVEN and obj.item_id:
            following = "请打印一次性告知单交给咨询人;材料齐全后可在列表中点「转为办件」收件。"
        elif outcome == ConsultationOutcome.TRANSFERRED and obj.transferred_to_id:
            following = f"请引导咨询人到{obj.transferred_to}办理。"
        elif outcome == ConsultationOutcome.OUT_OF_SCOPE:
            following = "已告知咨询人应向哪个机关申请,无需再办理。"
        elif obj.item_id:
            following = "咨询人需要办理时,可在列表中点「转为办件」收件。"
        else:
            following = "无需再办理。"
        self.message_user(request, f"已登记首问({obj.get_outcome_display()})。{following}", messages.SUCCESS)
        if "_addanother" in request.POST:
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse("admin:casework_consultation_changelist"))

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "staff": getattr(request.user, "staff", None)}
        return super().add_view(request, form_url, extra_context)

    @admin.display(description="咨询人", ordering="asker_name")
    def asker(self, obj):
        return obj.asker_name or "群众"

    def follow_up_links(self, request, obj, may_open_cases):
        links = []
        case = consultation_case(obj)
        if case is not None:
            links.append((reverse("admin:casework_case_change", args=[case.pk]), case.number))
        elif obj.item_id and may_open_cases and user_acts_for_department(request.user, obj.item.department_id):
            links.append((reverse("admin:casework_consultation_open_case", args=[obj.pk]), "转为办件"))
        if obj.outcome == ConsultationOutcome.NOTICE_GIVEN and obj.item_id:
            links.append((reverse("admin:registry_serviceitem_print_notice", args=[obj.item_id]), "打印一次性告知单"))
        return links

    def get_list_display(self, request):
        may_open_cases = self.may_open_cases(request)

        @admin.display(description="办件")
        def follow_up(obj):
            links = self.follow_up_links(request, obj, may_open_cases)
            return format_html_join(" ", '<a href="{}">{}</a>', links) if links else "—"

        return [*super().get_list_display(request), follow_up]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        consultation = self.get_object(request, unquote(object_id))
        if consultation is not None:
            extra_context = {
                **(extra_context or {}),
                "follow_up_links": self.follow_up_links(request, consultation, self.may_open_cases(request)),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/open-case/",
                self.admin_site.admin_view(self.open_case_view),
                name="casework_consultation_open_case",
            ),
        ] + super().get_urls()

    def open_case_view(self, request, object_id):
        """转为办件: a short form for the applicant, then the new case's page."""
        consultation = self.get_object(request, unquote(object_id))
        if consultation is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.may_open_cases(request):
            raise PermissionDenied
        case = consultation_case(consultation)
        if case is not None:
            self.message_user(request, f"该首问登记已转为办件{case.number}。", messages.INFO)
            return redirect("admin:casework_case_change", case.pk)
        staff = getattr(request.user, "staff", None)
        form = OpenCaseForm(request.POST or None, consultation=consultation, staff=staff)
        if request.method == "POST" and form.is_valid():
            try:
                case = services.consultation_open_case(
                    consultation=consultation, user=request.user, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_change(request, consultation, f"转为办件{case.number}")
                self.message_user(request, f"已转为办件{case.number},请核验材料。", messages.SUCCESS)
                return redirect("admin:casework_case_change", case.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "转为办件",
            "subtitle": str(consultation),
            "consultation": consultation,
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/casework/consultation/open_case.html", context)

