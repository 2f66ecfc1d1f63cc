"""Office registers (S3.1, S3.2, S3.6-e): 来电记录, 报修 and 文印登记, with history.

Anyone on the staff adds an entry; who took the call, who reported the fault, who printed is the
logged-in person, filled in by the form. The office (change permission) keeps the repair status.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html

from staffing.admin.base import HistoryAdmin
from staffing.selectors import user_department_ids, user_sees_all_departments

from .. import selectors
from ..forms import CallLogForm, PrintLogForm, RepairRequestForm
from ..models import CallLog, Document, PrintLog, RepairRequest, RepairStatus
from project.secrecy import MaskSecretTitlesMixin  # S3.6-b in derived records (issue 16)

STATUS_CSS = {
    RepairStatus.REPORTED: "pending",
    RepairStatus.IN_REPAIR: "delayed",
    RepairStatus.FIXED: "done",
    RepairStatus.CANNOT_FIX: "rejected",
}


def acting_staff(request):
    return getattr(request.user, "staff", None) if request.user.is_authenticated else None


class RegisterAdmin(HistoryAdmin):
    """An office register: the acting staff member is stamped by the form; entries are kept, not deleted."""

    actions = None
    show_full_result_count = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"acting_staff": acting_staff(request)})

    def own_entries(self, request, staff) -> Q:
        """What someone without a center-wide role sees of the register."""
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_sees_all_departments(request.user):
            return queryset
        staff = acting_staff(request)
        return queryset.filter(self.own_entries(request, staff)) if staff is not None else queryset.none()

    def _require_visible(self, request, object_id):
        from django.http import Http404

        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("记录不存在或不在您的权限范围内。")

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(CallLog)
class CallLogAdmin(RegisterAdmin):
    form = CallLogForm
    list_display = ["at", "caller", "phone", "for_whom_name", "content", "taken_by_name", "handling"]
    list_select_related = ["for_whom", "taken_by"]
    search_fields = ["caller", "phone", "content"]
    date_hierarchy = "at"
    readonly_fields = ["taken_by"]

    def own_entries(self, request, staff):
        return Q(taken_by=staff) | Q(for_whom=staff)

    def get_fields(self, request, obj=None):
        fields = ["at", "caller", "phone", "for_whom", "content", "handling"]
        return fields + ["taken_by"] if obj is not None else fields

    @admin.display(description="受话人", ordering="for_whom__name")
    def for_whom_name(self, obj):
        return obj.for_whom.name if obj.for_whom else "—"

    @admin.display(description="接听人", ordering="taken_by__name")
    def taken_by_name(self, obj):
        return obj.taken_by.name


@admin.register(RepairRequest)
class RepairRequestAdmin(RegisterAdmin):
    form = RepairRequestForm
    list_display = ["reported_at", "equipment", "location", "department", "reported_by_name", "status_display", "result"]
    list_filter = ["status", "department"]
    list_select_related = ["department", "reported_by"]
    search_fields = ["equipment", "location", "fault"]
    readonly_fields = ["department", "reported_by", "reported_at"]

    def own_entries(self, request, staff):
        return Q(department_id__in=user_department_ids(request.user)) | Q(reported_by=staff)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["equipment", "location", "fault"]  # status and result are the office's to keep
        return ["equipment", "location", "fault", "department", "reported_by", "reported_at", "status", "result"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            return ["equipment", "location", "fault", "department", "reported_by", "reported_at"]
        return self.readonly_fields

    @admin.display(description="报修人", ordering="reported_by__name")
    def reported_by_name(self, obj):
        return obj.reported_by.name

    @admin.display(description="状态", ordering="status")
    def status_display(self, obj):
        return format_html('<span class="dc-mark {}">{}</span>', STATUS_CSS.get(obj.status, ""), obj.get_status_display())


@admin.register(PrintLog)
class PrintLogAdmin(MaskSecretTitlesMixin, RegisterAdmin):
    form = PrintLogForm
    list_display = ["at", "staff_name", "kind", "what", "pages", "document_display", "purpose"]
    list_filter = ["kind"]
    list_select_related = ["staff", "document"]
    search_fields = ["what", "purpose", "staff__name"]
    date_hierarchy = "at"

    def own_entries(self, request, staff):
        return Q(staff=staff)

    def get_queryset(self, request):
        # Whether the reader may see the document printed for: a secret one's title stays hidden.
        visible = selectors.documents_visible_to(request.user, Document.objects.filter(pk=OuterRef("document_id")))
        return super().get_queryset(request).annotate(document_visible=Exists(visible))

    def _document_hidden(self, obj) -> bool:
        return obj is not None and obj.document_id is not None and not getattr(obj, "document_visible", True)

    def get_fields(self, request, obj=None):
        document = "document_display" if self._document_hidden(obj) else "document"
        fields = ["at", "kind", "what", "pages", document, "purpose"]
        return fields + ["staff"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        return ["staff", "document_display"] if self._document_hidden(obj) else ["staff"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        documents = selectors.documents_visible_to(request.user).order_by("-created_at")
        return type(form.__name__, (form,), {"__init__": _with_documents(form.__init__, documents)})

    @admin.display(description="经办人", ordering="staff__name")
    def staff_name(self, obj):
        return obj.staff.name

    @admin.display(description="所属文件")
    def document_display(self, obj):
        if obj.document_id is None:
            return "—"
        if not getattr(obj, "document_visible", False):
            return "(涉密文件)"
        return str(obj.document)


def _with_documents(init, documents):
    def __init__(self, *args, **kwargs):
        init(self, *args, documents=documents, **kwargs)

    return __init__
