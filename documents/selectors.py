"""Reads of documents: secrecy scope (S3.6-b), overdue circulation (S3.6-d), late reports, supervision."""

import datetime

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from staffing.models import LeaderRole, Staff

from .models import (
    Circulation,
    CirculationState,
    Document,
    DocumentStatus,
    FundRequest,
    ReportObligation,
    Secrecy,
    SignerRole,
    SupervisionItem,
    SupervisionStatus,
)


# The statuses in which a document waits for the office (as document_next_steps below).
WAITING_FOR_THE_OFFICE = [DocumentStatus.REVIEW, DocumentStatus.SIGNED, DocumentStatus.PROOFREAD, DocumentStatus.ISSUED]


def documents_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Normal documents for every reader; a secret one only inside its distribution scope.

    Nobody outside the scope — inspectors and administrators included — lists, opens, exports or
    prints it, except whoever the document waits for: the office (核稿, registration, issue, archive)
    and the signer that its category names, while it waits for them. The drafter, the reviewer and
    the signer stay inside by their work.
    """
    queryset = Document.objects.all() if queryset is None else queryset
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return queryset.filter(secrecy=Secrecy.NORMAL)
    visible = (
        Q(secrecy=Secrecy.NORMAL)
        | Q(scope_staff_links__staff=staff)
        | Q(scope_department_links__department_id=staff.department_id)
        | Q(drafter=staff)
        | Q(reviewed_by=staff)
        | Q(signed_by=staff)
        | (Q(status=DocumentStatus.REVIEW) & _signer_is(staff))
    )
    if user_in_office(user):
        visible |= Q(status__in=WAITING_FOR_THE_OFFICE)
    visible |= Q(status=DocumentStatus.REVIEW, reviewed_by__isnull=True) & _reviewer_is(user, staff)
    return queryset.filter(visible).distinct()


SECRET_TITLE = "(涉密文件)"


def secret_titles_hidden_from(user) -> list[str]:
    """Every title, current or earlier, of the secret documents, outgoing and incoming (收文), outside
    `user`'s scope (S3.6-b): records derived from a document (accountability, print logs, circulations,
    history) mask these for `user`. One query."""
    from .models import IncomingDocument

    hidden = Document.objects.exclude(secrecy=Secrecy.NORMAL).exclude(pk__in=documents_visible_to(user).values("pk"))
    hidden_incoming = IncomingDocument.objects.exclude(secrecy=Secrecy.NORMAL).exclude(
        pk__in=incoming_visible_to(user).values("pk")
    )
    titles = (
        Document.history.filter(id__in=hidden.values("pk")).order_by().values_list("title", flat=True)
        .union(IncomingDocument.history.filter(id__in=hidden_incoming.values("pk")).order_by().values_list("title", flat=True))
    )
    return sorted({title for title in titles if title})


def title_for(user, document) -> str:
    """The title `user` may read: 「(涉密文件)」 for a secret document outside their scope;
    with user=None (text stored for everyone, e.g. an accountability record) any secret title is masked."""
    if document is None:
        return ""
    if document.secrecy == Secrecy.NORMAL:
        return document.title
    if user is not None and documents_visible_to(user).filter(pk=document.pk).exists():
        return document.title
    return SECRET_TITLE


def mask_secret_titles(user, text: str, titles: list[str] | None = None) -> str:
    """`text` with the secret titles `user` may not read replaced by 「(涉密文件)」."""
    if not text:
        return text
    for title in sorted(titles if titles is not None else secret_titles_hidden_from(user), key=len, reverse=True):
        text = text.replace(title, SECRET_TITLE)
    return text


def _reviewer_is(user, staff) -> Q:
    """Documents whose category names `user` as a reviewer (as services.documents.may_review, in SQL)."""
    from staffing.selectors import user_role_names
    from staffing.services.accountability import department_head

    from staffing import roles

    names = user_role_names(user)
    if user.is_superuser or roles.CENTER_ADMIN in names:
        return ~Q(drafter=staff)
    q = Q(category__reviewer_role__in=sorted(names)) & ~Q(drafter=staff)
    if names & {roles.SECTION_HEAD, roles.WINDOW_HEAD} and department_head(staff.department) == staff:
        q |= Q(category__reviewer_role="department_head", drafting_department=staff.department) & ~Q(drafter=staff)
    return q


def incoming_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """收文 under S3.6-b: a secret one only inside its scope, to whoever registered, proposed or decided it,
    to its recipients, and to the office while it waits for the office (拟办, archive)."""
    from .models import IncomingDocument, IncomingStatus

    queryset = IncomingDocument.objects.all() if queryset is None else queryset
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return queryset.filter(secrecy=Secrecy.NORMAL)
    from staffing.selectors import user_department_ids

    visible = (
        Q(secrecy=Secrecy.NORMAL)
        | Q(scope_staff=staff)
        | Q(scope_departments=staff.department_id)
        | Q(registered_by=staff)
        | Q(proposed_by=staff)
        | Q(leader=staff)
        | Q(circulations__department_id__in=list(user_department_ids(user)))
    )
    if user_in_office(user):
        visible |= Q(status__in=[IncomingStatus.REGISTERED, IncomingStatus.DONE])
    return queryset.filter(pk__in=queryset.filter(visible).values("pk"))


def main_signer():
    """The signer of the categories signed by the main leader (主要领导): the first active one."""
    return Staff.objects.filter(leader_role=LeaderRole.MAIN, is_active=True).order_by("pk").first()


def _signer_is(staff) -> Q:
    """Documents whose category names `staff` as their signer (as services.expected_signer, in SQL)."""
    q = Q(category__signer_role=SignerRole.DESIGNATED, category__designated_signer=staff) | Q(
        category__signer_role=SignerRole.LEADER_IN_CHARGE, drafting_department__leader_in_charge=staff
    )
    if staff.leader_role == LeaderRole.MAIN and staff == main_signer():
        q |= Q(category__signer_role=SignerRole.MAIN_LEADER)
    return q


def document_visible_to(user, document_id) -> bool:
    return documents_visible_to(user, Document.objects.filter(pk=document_id)).exists()


def overdue_circulations(today: datetime.date | None = None) -> QuerySet:
    """Recipients past the due date with no feedback, and no delay reason still within its expected date."""
    today = today or timezone.localdate()
    return (
        Circulation.objects.exclude(state=CirculationState.DONE)
        .filter(due_date__lt=today)
        .exclude(state=CirculationState.DELAYED, expected_on__gte=today)
        .select_related("document", "incoming", "department", "staff")
    )


def late_reports(today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return ReportObligation.objects.filter(submitted_on__isnull=True, due_date__lt=today).select_related("department")


def supervision_overdue(today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return SupervisionItem.objects.filter(deadline__lt=today).exclude(
        status__in=[SupervisionStatus.FEEDBACK, SupervisionStatus.LEADER_REVIEW, SupervisionStatus.ARCHIVED]
    )


# --- Supplies (S3.7) ----------------------------------------------------------------------------


def stock_valuation():
    """Every supply with its quantity and value on hand (sums of movements) and whether to reorder."""
    from django.db.models import DecimalField, Value
    from django.db.models.functions import Coalesce

    from .models import Supply

    zero = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))
    return Supply.objects.filter(is_active=True).annotate(
        on_hand=Coalesce(Sum("movements__quantity"), zero), value=Coalesce(Sum("movements__amount"), zero)
    ).order_by("name", "specification")


def supplies_to_reorder():
    from django.db.models import F

    return stock_valuation().filter(on_hand__lte=F("reorder_level"))


def consumption_by_department_and_month(year: int):
    """Stock-out quantities and amounts per department, supply and month of `year`."""
    from django.db.models.functions import ExtractMonth

    from .models import MovementKind, StockMovement

    return (
        StockMovement.objects.filter(kind=MovementKind.OUT, at__year=year)
        .annotate(month=ExtractMonth("at"))
        .values("department__name", "supply__name", "supply__unit", "month")
        .annotate(quantity=-Sum("quantity"), amount=-Sum("amount"))
        .order_by("department__name", "month", "supply__name")
    )


def reimbursement_report():
    """Purchases for finance: reimbursable (stocked in), or blocked with the reason."""
    from .models import Purchase

    rows = []
    for purchase in Purchase.objects.select_related("fund_request__department").order_by("purchased_on", "pk"):
        reasons = []
        if not purchase.stocked_in_at:
            reasons.append("未入库")
        if purchase.over_approved:
            reasons.append("超出审批金额")
        rows.append({"purchase": purchase, "reimbursable": not reasons, "reasons": "、".join(reasons)})
    return rows


# --- What the admin offers a user (read-only mirrors of the services' checks) --------------------
# The services refuse anything else anyway; these only decide which buttons a page shows.

SUBMIT, REVIEW_PASS, REVIEW_RETURN, SIGN, REGISTER, PROOFREAD, ISSUE, ARCHIVE = (
    "submit", "review_pass", "review_return", "sign", "register", "proofread", "issue", "archive",
)


def user_in_office(user) -> bool:
    """办公室: the office staff and the center administrator (as documents.services._in_office)."""
    from staffing import roles
    from staffing.selectors import user_role_names

    return user.is_superuser or bool(user_role_names(user) & {roles.OFFICE_STAFF, roles.CENTER_ADMIN})


def user_supervises(user) -> bool:
    """督办 is run by the office and the leaders (as documents.services.supervision._check_supervisor)."""
    from staffing import roles
    from staffing.selectors import user_role_names

    supervisors = {roles.OFFICE_STAFF, roles.CENTER_ADMIN, roles.MAIN_LEADER, roles.LEADER_IN_CHARGE}
    return user.is_superuser or bool(user_role_names(user) & supervisors)


def document_next_steps(document: Document, user) -> list[str]:
    """The lifecycle steps `user` may take on `document` now, in the order of the lifecycle."""
    from .models import DocumentStatus as S
    from .services import expected_signer

    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return []
    is_drafter, office = staff.pk == document.drafter_id, user_in_office(user)
    status = document.status
    if status == S.DRAFT:
        return [SUBMIT] if is_drafter else []
    if status == S.REVIEW:
        if document.reviewed_by_id is None:
            from .services.documents import may_review

            return [REVIEW_PASS, REVIEW_RETURN] if may_review(document, user) else []
        signer = expected_signer(document)
        return [SIGN] if signer is not None and signer.pk == staff.pk else []
    if status == S.SIGNED:
        return [REGISTER] if office else []
    if status == S.REGISTERED:
        return [PROOFREAD] if is_drafter else []
    if status == S.PROOFREAD:
        return [ISSUE] if office else []
    if status == S.ISSUED:
        return [ARCHIVE] if office else []
    return []


def document_can_circulate(document: Document, user) -> bool:
    from .services.circulation import CIRCULABLE

    return document.status in CIRCULABLE and user_in_office(user) and getattr(user, "staff", None) is not None


def circulations_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Recipients of the documents `user` may see: a secret document's circulation is as secret as it."""
    queryset = Circulation.objects.all() if queryset is None else queryset
    return queryset.filter(
        Q(document__in=documents_visible_to(user).values("pk")) | Q(incoming__in=incoming_visible_to(user).values("pk"))
    )


def circulation_is_mine(circulation: Circulation, user) -> bool:
    """Whether `user` is on the receiving end: a member of the recipient department (or the person named,
    or the B holder acting for them) — not merely a center-wide role that may read it."""
    from staffing.selectors import user_department_ids
    from staffing.services import acting_for

    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None or circulation.department_id not in user_department_ids(user):
        return False
    if circulation.staff_id is None or circulation.staff_id == staff.pk:
        return True
    return circulation.staff in acting_for(staff)


def overdue_circulations_for(user, today: datetime.date | None = None) -> QuerySet:
    """逾期未办理 as `user` may see it: their departments' recipients (center-wide roles: all), secrecy applied."""
    from staffing.selectors import scope_to_department

    queryset = scope_to_department(overdue_circulations(today), user)
    return circulations_visible_to(user, queryset).order_by("due_date", "department__name", "pk")


SUPERVISION_ASSIGN, SUPERVISION_START, SUPERVISION_FEEDBACK = "assign", "start", "feedback"
SUPERVISION_SUBMIT, SUPERVISION_REVIEW, SUPERVISION_ARCHIVE = "submit", "review", "archive"


def supervision_next_steps(item: SupervisionItem, user) -> list[str]:
    from staffing.selectors import user_department_ids

    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return []
    S = SupervisionStatus
    supervisor = user_supervises(user)
    if item.status == S.REGISTERED:
        return [SUPERVISION_ASSIGN] if supervisor else []
    if item.status == S.ASSIGNED:
        return [SUPERVISION_START] if supervisor else []
    if item.status == S.SUPERVISING:
        undertaking = item.department_id in user_department_ids(user) or item.responsible_id == staff.pk
        return [SUPERVISION_FEEDBACK] if undertaking else []
    if item.status == S.FEEDBACK:
        return [SUPERVISION_SUBMIT] if supervisor else []
    if item.status == S.LEADER_REVIEW:
        steps = []
        if staff.leader_role in ("main", "in_charge") and not item.leader_comment.strip():
            steps.append(SUPERVISION_REVIEW)
        if supervisor and item.leader_comment.strip():
            steps.append(SUPERVISION_ARCHIVE)
        return steps
    return []


def supervision_with_state(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Annotate `overdue` (past the deadline and not yet fed back) and the number of reminders."""
    from django.db.models import BooleanField, Case, Count, Value, When

    today = today or timezone.localdate()
    done = [SupervisionStatus.FEEDBACK, SupervisionStatus.LEADER_REVIEW, SupervisionStatus.ARCHIVED]
    return queryset.annotate(
        overdue=Case(
            When(Q(deadline__lt=today) & ~Q(status__in=done), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        reminder_count=Count("reminders", distinct=True),
    )


def supervised_origin_ids(model, ids) -> set[int]:
    """Which of these records (e.g. meeting decisions) already became supervision items."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    return set(
        SupervisionItem.objects.filter(origin_type=content_type, origin_id__in=list(ids)).values_list("origin_id", flat=True)
    )


def late_reports_by_department(user, today: datetime.date | None = None) -> list[dict]:
    """Late and missing reports grouped per section/department, scoped like the obligations list."""
    from staffing.selectors import scope_to_department

    groups: dict[int, dict] = {}
    for obligation in scope_to_department(late_reports(today), user).order_by("department__sort_order", "department__name", "due_date"):
        group = groups.setdefault(obligation.department_id, {"department": obligation.department, "obligations": []})
        group["obligations"].append(obligation)
    return list(groups.values())


def with_stock(queryset: QuerySet | None = None) -> QuerySet:
    """Supplies annotated with `on_hand` and `value` (sums of the movements) in the same query."""
    from django.db.models import DecimalField, Value
    from django.db.models.functions import Coalesce

    from .models import Supply

    queryset = Supply.objects.all() if queryset is None else queryset
    zero = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))
    return queryset.annotate(
        on_hand=Coalesce(Sum("movements__quantity"), zero), value=Coalesce(Sum("movements__amount"), zero)
    )


def open_fund_requests_by_approver() -> list[dict]:
    """Fund-use forms waiting for a decision, grouped by the approver whose turn it is."""
    from django.contrib.contenttypes.models import ContentType

    from staffing.models import Approval, ApprovalDecision

    from .models import FundRequest

    steps = list(
        Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(FundRequest), decision=ApprovalDecision.PENDING
        ).select_related("approver").order_by("approver__name", "created_at", "pk")
    )
    requests = FundRequest.objects.select_related("department", "requested_by").in_bulk([s.object_id for s in steps])
    groups: dict[int, dict] = {}
    for step in steps:
        request = requests.get(step.object_id)
        if request is None:
            continue
        group = groups.setdefault(step.approver_id, {"approver": step.approver, "role": step.get_role_display(), "rows": []})
        group["rows"].append({"request": request, "step": step})
    return list(groups.values())


# --- 待我办理 (project.inbox) ----------------------------------------------------------------------


def _waiting():
    from staffing.selectors import approval_waiting_kind

    return [approval_waiting_kind(FundRequest, "资金使用审批表待审批", "documents.fund_approval")]


def _to_review(user, staff):
    return documents_visible_to(user).filter(status=DocumentStatus.REVIEW, reviewed_by__isnull=True).filter(_reviewer_is(user, staff))


def _to_sign(user, staff):
    return documents_visible_to(user).filter(status=DocumentStatus.REVIEW, reviewed_by__isnull=False).filter(_signer_is(staff))


def _incoming_to_propose(user, staff):
    from .models import IncomingDocument, IncomingStatus

    if not user_in_office(user):
        return None
    return incoming_visible_to(user, IncomingDocument.objects.filter(status=IncomingStatus.REGISTERED))


def _incoming_to_decide(user, staff):
    from .models import IncomingDocument, IncomingStatus

    return IncomingDocument.objects.filter(status=IncomingStatus.PROPOSED, leader=staff)


def _circulations(mode):
    return lambda user, staff: circulations_visible_to(user, circulations_waiting_for(user, mode))


def _supervision_to_answer(user, staff):
    from staffing.selectors import user_department_ids

    return SupervisionItem.objects.filter(status=SupervisionStatus.SUPERVISING).filter(
        Q(department_id__in=list(user_department_ids(user))) | Q(responsible=staff)
    )


def _reports_to_submit(user, staff):
    from staffing.selectors import user_department_ids

    return ReportObligation.objects.filter(submitted_on__isnull=True, department_id__in=list(user_department_ids(user)))


def _requisitions_to_issue(user, staff):
    from .models import Requisition

    return Requisition.objects.filter(issued_at__isnull=True) if user_in_office(user) else None


def _office_desk_waiting():
    """Issue 18: what the office desk leaves in each person's inbox; every kind links to its list, filtered."""
    from project.inbox import WaitingKind

    return [
        WaitingKind(key="documents.incoming_propose", label="收文待拟办", permission="documents.change_incomingdocument",
                    records=_incoming_to_propose, url_name="admin:documents_incomingdocument_changelist", query="waiting=propose"),
        WaitingKind(key="documents.incoming_decide", label="收文待批办", permission="documents.view_incomingdocument",
                    records=_incoming_to_decide, url_name="admin:documents_incomingdocument_changelist", query="waiting=decide"),
        WaitingKind(key="documents.circulation_read", label="文件待阅", permission="documents.view_circulation",
                    records=_circulations("read"), url_name="admin:documents_circulation_changelist", query="waiting=read"),
        WaitingKind(key="documents.circulation_handle", label="文件待办理", permission="documents.view_circulation",
                    records=_circulations("handle"), url_name="admin:documents_circulation_changelist", query="waiting=handle"),
        WaitingKind(key="documents.document_review", label="发文待核稿", permission="documents.view_document",
                    records=_to_review, url_name="admin:documents_document_changelist", query="mine=to_review"),
        WaitingKind(key="documents.document_sign", label="发文待签发", permission="documents.view_document",
                    records=_to_sign, url_name="admin:documents_document_changelist", query="mine=to_sign"),
        WaitingKind(key="documents.supervision_feedback", label="督办事项待反馈", permission="documents.view_supervisionitem",
                    records=_supervision_to_answer, url_name="admin:documents_supervisionitem_changelist", query="waiting=me"),
        WaitingKind(key="documents.report_submit", label="报告任务待报送", permission="documents.view_reportobligation",
                    records=_reports_to_submit, url_name="admin:documents_reportobligation_changelist", query="waiting=me"),
        WaitingKind(key="documents.requisition_issue", label="领用单待发放", permission="documents.change_requisition",
                    records=_requisitions_to_issue, url_name="admin:documents_requisition_changelist", query="issued=no"),
    ]  # fmt: skip


WAITING = _waiting() + _office_desk_waiting()


# --- 收文 and the inbox (issue 18) -----------------------------------------------------------------


def circulations_waiting_for(user, mode: str) -> QuerySet:
    """Recipients in the user's departments (or named the user) still to read (`read`) or handle (`handle`)."""
    from staffing.selectors import user_department_ids

    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return Circulation.objects.none()
    return Circulation.objects.filter(
        Q(staff__isnull=True) | Q(staff=staff),
        mode=mode, department_id__in=list(user_department_ids(user)),
    ).exclude(state=CirculationState.DONE)
