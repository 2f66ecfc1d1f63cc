"""Reads of casework: the deadline queries behind the case list's filters, and what a case page offers.

The deadline queries take the day (and the "due soon" boundary) as arguments: the boundary needs
the calendar and the settings, so a request computes it once (`due_window`) and every filter and
column of the list uses the same one.
"""

import dataclasses
import datetime
import re

from django.db import connection
from django.db import models as db
from django.db.models import Q, QuerySet
from django.utils import timezone

from halls import selectors as hall_selectors
from project.inbox import WaitingKind
from registry import selectors as registry_selectors
from registry.models import HandlingMode, ItemStatus, ServiceItem
from staffing import selectors as staffing_selectors
from staffing.models import Department, DepartmentKind, Window
from staffing.working_days import add_working_days

from .models import (
    OPEN_STATUSES,
    RUNNING,
    RUNNING_STATUSES,
    Case,
    CaseClockPause,
    CaseExtension,
    CaseStatus,
    CaseworkSettings,
    ExtensionStatus,
    JointOpinion,
    Notice,
    NoticeKind,
    OpinionStatus,
    Refusal,
    RefusalStage,
    RefusalStatus,
)
from .services import allowed_next, current_step
from .services.deadlines import approved_extension_days

S = CaseStatus


@dataclasses.dataclass(frozen=True)
class DueWindow:
    today: datetime.date
    soon_until: datetime.date  # the last day that still counts as "due soon"


def due_window(today: datetime.date | None = None) -> DueWindow:
    """Today and the end of the "due soon" period (CaseworkSettings.due_soon_days working days)."""
    today = today or timezone.localdate()
    return DueWindow(today=today, soon_until=add_working_days(today, CaseworkSettings.load().due_soon_days))


def overdue_q(today: datetime.date) -> Q:
    """Open cases past their committed due date (not those waiting in 补正, whose clock is stopped)."""
    return RUNNING & Q(committed_due_date__lt=today)


def due_soon_q(window: DueWindow) -> Q:
    """Open cases due between today and the end of the "due soon" period."""
    return RUNNING & Q(committed_due_date__range=(window.today, window.soon_until))


def cases_overdue(queryset: QuerySet, today: datetime.date) -> QuerySet:
    return queryset.filter(overdue_q(today))


def cases_due_soon(queryset: QuerySet, window: DueWindow) -> QuerySet:
    return queryset.filter(due_soon_q(window))


def deadline_counts(window: DueWindow, department_ids=None, hall_condition=None) -> dict:
    """Received today, overdue and due soon (of `department_ids`, or all; of the halls `hall_condition`
    (halls.selectors.hall_scope) lets through), in one query of three scalar
    subqueries whose cost does not grow with the cases (the dashboard):

    - received today: the day rollup's rows of today (CaseDayStatistics, kept by Case.save);
    - overdue and due soon: counted in the partial indexes of the running cases' due dates
      (case_running_due, case_department_running_due) without reading the cases. They read one index
      entry per overdue case: a flag, not a table scan (1.8 ms for 11,932 overdue among 1,000,000 cases,
      against 64 ms when the three counts were FILTERs over the cases the OR found)."""
    from .models import CaseDayStatistics

    if department_ids is not None and not department_ids:
        return {"received_today": 0, "overdue": 0, "due_soon": 0}
    cases, today_rows = Case.objects.all(), CaseDayStatistics.objects.filter(day=window.today)
    if department_ids is not None:
        cases = cases.filter(department_id__in=department_ids)
        today_rows = today_rows.filter(department_id__in=department_ids)
    if hall_condition is not None:
        cases, today_rows = cases.filter(hall_condition), today_rows.filter(hall_condition)
    parts, params = [], []
    for template, queryset in (
        ("SELECT COALESCE(SUM(received), 0) FROM ({}) AS today_rows", today_rows.values("received")),
        ("SELECT COUNT(*) FROM ({}) AS overdue", cases_overdue(cases, window.today).values("pk")),
        ("SELECT COUNT(*) FROM ({}) AS due_soon", cases_due_soon(cases, window).values("pk")),
    ):
        sql, inner = queryset.order_by().query.sql_with_params()
        parts.append(f"({template.format(sql)})")
        params.extend(inner)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        received_today, overdue, due_soon = (int(n) for n in cursor.fetchone())
    return {"received_today": received_today, "overdue": overdue, "due_soon": due_soon}


def cases_deemed_acceptance_pending(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Received cases past their acceptance deadline: the law counts them as accepted (行政许可法 art. 32)."""
    return queryset.filter(status=S.RECEIVED, acceptance_deadline__lt=today)


def cases_same_day_missed(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """即办件 not completed on the day of receipt: flagged at completion, or still open after that day."""
    return queryset.filter(
        Q(same_day_missed=True)
        | Q(handling_mode=HandlingMode.IMMEDIATE, status__in=OPEN_STATUSES, received_on__lt=today)
    )


def cases_clock_stopped(queryset: QuerySet) -> QuerySet:
    """Open cases whose clock stands still: waiting for the applicant's 补正, or in an uncounted step."""
    paused = CaseClockPause.objects.filter(ended_on__isnull=True).values("case_id")
    return queryset.filter(Q(status=S.CORRECTION) | Q(status__in=OPEN_STATUSES, pk__in=paused))


NUMBER_TERM = re.compile(r"^(?=.*\d)[0-9A-Za-z-]+$")


def looks_like_number(term: str) -> bool:
    """A search term with a digit and only Latin letters, digits and dashes: a 办件编号 or a 证件号码."""
    return bool(NUMBER_TERM.match(term))


def search_cases_by_number(queryset: QuerySet, terms: list[str]) -> QuerySet:
    """Cases whose number, ID number or phone is one of the terms, exactly (typed in either letter case).

    All three are indexed, so this is a lookup."""
    candidates = {variant for term in terms for variant in (term, term.upper())}
    return queryset.filter(Q(number__in=candidates) | Q(id_number__in=candidates) | Q(phone__in=candidates))


def search_cases_by_name(queryset: QuerySet, terms: list[str]) -> QuerySet:
    """Cases whose applicant's name holds every term, through an index.

    PostgreSQL: anywhere in the name (a trigram index on UPPER(applicant_name), migration 0012).
    SQLite: at the start of the name (a range of the index case_applicant_name_order); SQLite has no index
    for a search inside a text, and reading every case grows with the table."""
    from django.db import connections

    if connections[queryset.db].vendor == "postgresql":
        for term in terms:
            queryset = queryset.filter(applicant_name__icontains=term)
        return queryset
    for term in terms:
        queryset = queryset.filter(applicant_name__gte=term, applicant_name__lt=term + "\U0010ffff")
    return queryset


def with_due_state(queryset: QuerySet, window: DueWindow) -> QuerySet:
    """Annotate `due_state`: "overdue", "due_soon", "deemed" (acceptance deadline passed) or ""."""
    return queryset.annotate(
        due_state=db.Case(
            db.When(status__in=RUNNING_STATUSES, committed_due_date__lt=window.today, then=db.Value("overdue")),
            db.When(
                status__in=RUNNING_STATUSES,
                committed_due_date__range=(window.today, window.soon_until),
                then=db.Value("due_soon"),
            ),
            db.When(status=S.RECEIVED, acceptance_deadline__lt=window.today, then=db.Value("deemed")),
            default=db.Value(""),
            output_field=db.CharField(),
        )
    )


def receivable_items(user, queryset: QuerySet | None = None) -> QuerySet:
    """The 在用 items `user` may open cases for: those of the departments they act for."""
    queryset = ServiceItem.objects.all() if queryset is None else queryset
    queryset = queryset.filter(status=ItemStatus.ACTIVE)
    return staffing_selectors.scope_to_department(queryset, user).select_related("department")


def intake_windows(user) -> QuerySet:
    """The windows in use where `user` may receive cases."""
    queryset = Window.objects.filter(is_active=True).select_related("department", "hall")
    return hall_selectors.scope_to_hall(staffing_selectors.scope_to_department(queryset, user), user)


def item_handles_window(item: ServiceItem, window) -> bool:
    """A window handles an item when it is the item's 办理窗口, or, for an item without one or at another
    hall that offers the item, when it is a window of the item's department there."""
    if item.window_id and window.hall_id == item.window.hall_id:
        return window.pk == item.window_id
    return window.department_id == item.department_id and registry_selectors.item_offered_at(item, window.hall_id)


def default_intake_window_id(item: ServiceItem, staff) -> int | None:
    """The window the 收件 form proposes: the clerk's own when it handles the item, else the item's."""
    own = getattr(staff, "window", None) if staff is not None else None
    if own is not None and own.is_active and item_handles_window(item, own):
        return own.pk
    return item.window_id


def item_version_of(case):
    """The item's history row recorded when `case` was received (None for cases from before versions)."""
    if case.item_version is None:
        return None
    return ServiceItem.history.filter(history_id=case.item_version, id=case.item_id).first()


def case_departments(user) -> QuerySet:
    """The stationed departments whose cases `user` sees, for the department filter."""
    queryset = Department.objects.filter(kind=DepartmentKind.STATIONED)
    return staffing_selectors.scope_to_department(queryset, user, "pk")


def opinions_visible_to(user) -> QuerySet:
    """联办意见 a user may read: those addressed to their departments and those on their departments'
    cases (the lead reads them on its case page); the center-wide roles read all."""
    queryset = JointOpinion.objects.all()
    if staffing_selectors.user_sees_all_departments(user):
        return queryset
    departments = staffing_selectors.user_department_ids(user)
    return queryset.filter(Q(department__in=departments) | Q(case__department__in=departments))


def latest_notice(case: Case, kind: str) -> Notice | None:
    return case.notices.filter(kind=kind).order_by("-issued_at", "-pk").first()


# The steps a case page offers, by what the transition table allows next (transitions.PIPELINE).
ACCEPT, CORRECTION, START, FINISH_STEP, APPROVE, REFUSE, DELIVER, EXTENSION = (
    "accept", "correction", "start", "finish_step", "approve", "refuse", "deliver", "extension",
)


def refusal_stage(case: Case) -> str | None:
    """Which refusal the case's status allows now: 不予受理 before acceptance, 不予批准 while in progress."""
    following = allowed_next(case)
    if S.NOT_ACCEPTED in following:
        return RefusalStage.NOT_ACCEPTED
    if S.DISAPPROVED in following:
        return RefusalStage.DISAPPROVED
    return None


def case_next_steps(case: Case, *, step=None, pending_refusal: bool = False) -> list[str]:
    """The actions to offer on a case: its allowed next statuses, the step in hand, an extension.

    `step` is the current procedure step (None when there is none). Reopening (不予受理 → 收件,
    不予批准 → 办理中) is an appeal's decision, not a button on the case.
    """
    following = allowed_next(case)
    offered = []
    # The way forward first, then 补正 and 延期, the refusal last.
    # From 补正, both "受理" and "back to 办理中" are case_accept: it knows which one applies.
    if case.status in (S.RECEIVED, S.CORRECTION) and S.ACCEPTED in following:
        offered.append(ACCEPT)
    if case.status == S.ACCEPTED and S.IN_PROGRESS in following:
        offered.append(START)
    if step is not None and case.status in (S.ACCEPTED, S.IN_PROGRESS):
        offered.append(FINISH_STEP)
    # case_approve takes an accepted 即办件 straight to completion (accepted and done the same day).
    if S.APPROVED in following or (case.status == S.ACCEPTED and case.handling_mode == HandlingMode.IMMEDIATE):
        offered.append(APPROVE)
    if S.DELIVERED in following:
        offered.append(DELIVER)
    if S.CORRECTION in following:
        offered.append(CORRECTION)
    if case.status in (S.ACCEPTED, S.IN_PROGRESS, S.CORRECTION) and case.accepted_on is not None:
        offered.append(EXTENSION)
    if refusal_stage(case) and not pending_refusal:
        offered.append(REFUSE)
    return offered


# Steps beside the transitions: report-up (S5.6-d) and the window head's approval (S1.1-e).
REPORT_UP, FOLLOW_UP, REPORT_RESULT, HEAD_APPROVE = "report_up", "follow_up", "report_result", "head_approve"
# The order of the buttons on the case page: the way forward first, the refusal last.
STEP_ORDER = [
    ACCEPT, START, FINISH_STEP, REPORT_UP, FOLLOW_UP, REPORT_RESULT, HEAD_APPROVE, APPROVE, DELIVER, CORRECTION,
    EXTENSION, REFUSE,
]  # fmt: skip


def case_oversight_steps(case: Case, *, window_head: bool) -> list[str]:
    """The report-up steps of a 上报件 and, for a window head, the approval of a delegated item."""
    if case.status not in (S.ACCEPTED, S.IN_PROGRESS):
        return []
    offered = []
    if case.handling_mode == HandlingMode.REPORT_UP:
        if case.reported_up_on is None:
            offered.append(REPORT_UP)
        else:
            offered.append(FOLLOW_UP)
            if not case.report_result:
                offered.append(REPORT_RESULT)
    if window_head and case.item.needs_head_approval and case.head_approved_by_id is None:
        offered.append(HEAD_APPROVE)
    return offered


def waiting_opinion_departments(case: Case) -> list[str]:
    """The co-departments of a 联办件 that have not given their opinion yet."""
    if case.handling_mode != HandlingMode.JOINT:
        return []
    return list(case.opinions.filter(status=OpinionStatus.PENDING).values_list("department__name", flat=True))


@dataclasses.dataclass
class CasePage:
    """What the case page shows above the record: the steps on offer and the state of the deadlines."""

    case: Case
    actions: list[str]
    current_step: object
    refusal_stage: str | None
    pending_refusal: object
    pending_extensions: list
    correction_issued: bool
    due_state: str


def case_page(case: Case, window: DueWindow | None = None) -> CasePage:
    step = current_step(case) if case.status in (S.ACCEPTED, S.IN_PROGRESS) else None
    pending_refusal = case.refusals.filter(status=RefusalStatus.PENDING_APPROVAL).first()
    state = getattr(case, "due_state", None)
    if state is None:  # not read through with_due_state()
        annotated = with_due_state(Case.objects.filter(pk=case.pk), window or due_window())
        state = annotated.values_list("due_state", flat=True).get()
    return CasePage(
        case=case,
        actions=case_next_steps(case, step=step, pending_refusal=pending_refusal is not None),
        current_step=step,
        refusal_stage=refusal_stage(case),
        pending_refusal=pending_refusal,
        pending_extensions=list(case.extensions.filter(status=ExtensionStatus.PENDING)),
        correction_issued=case.notices.filter(kind=NoticeKind.CORRECTION).exists(),
        due_state=state,
    )


def extension_room(case: Case) -> int | None:
    """How many working days an extension may still add before the statutory limit; None if unlimited."""
    if case.statutory_limit_days is None or case.committed_limit_days is None:
        return None
    room = case.statutory_limit_days - case.committed_limit_days - approved_extension_days(case)
    return max(room, 0)


def notice_layout(notice: Notice) -> tuple[str, list[str]]:
    """The notice's frozen text split for printing: the body, and the closing lines (issuer, date).

    The templates end with a blank line, then the center's name and the date; those lines are set
    right-aligned on paper. A body without such a short closing block is printed whole.
    """
    text = notice.body.replace("\r\n", "\n").strip("\n")
    body, separator, closing = text.rpartition("\n\n")
    lines = [line.strip() for line in closing.split("\n") if line.strip()]
    if separator and 0 < len(lines) <= 3 and all(len(line) <= 40 for line in lines):
        return body.rstrip(), lines
    return text, []


def my_work(user):
    """S1.9-b: my open cases, and those of the A holders I currently act for."""
    from staffing.services import presence

    staff = getattr(user, "staff", None)
    if staff is None:
        return Case.objects.none()
    handlers = [staff.pk] + [absent.pk for absent in presence.acting_for(staff)]
    return Case.objects.filter(handler_id__in=handlers, status__in=OPEN_STATUSES)


# --- 待我办理 (project.inbox) ----------------------------------------------------------------------


def refusals_to_approve(user, staff):
    return Refusal.objects.filter(status=RefusalStatus.PENDING_APPROVAL, department__leader_in_charge=staff)


def extensions_to_approve(user, staff):
    """Pending extensions the user decides: the main leader all, a leader in charge their departments'."""
    return _extensions_to_approve(user, staff)


def _extensions_to_approve(user, staff):
    from staffing import roles

    extensions = CaseExtension.objects.filter(status=ExtensionStatus.PENDING)
    if roles.MAIN_LEADER in staffing_selectors.user_role_names(user):
        return extensions
    return extensions.filter(case__department__leader_in_charge=staff)


def _opinions_to_give(user, staff):
    return JointOpinion.objects.filter(status=OpinionStatus.PENDING, department_id=staff.department_id)


def _complaints_to_answer(user, staff):
    """Every complaint not yet answered (overdue or not), for those who handle complaints: the
    center-wide office sees all, a scoped handler those about their own departments."""
    from .models import Complaint

    return staffing_selectors.scope_to_department(Complaint.objects.filter(replied_on__isnull=True), user)


WAITING = [
    WaitingKind(
        key="casework.refusal_approval",
        label="重大事项否定报备待审批",
        permission="casework.change_refusal",
        records=refusals_to_approve,
        url_name="admin:casework_refusal_changelist",
        query="awaiting=me",
    ),
    WaitingKind(
        key="casework.extension_approval",
        label="办件延期待审批",
        permission="casework.change_caseextension",
        records=_extensions_to_approve,
        url_name="admin:casework_caseextension_changelist",
        query="awaiting=me",
    ),
    WaitingKind(
        key="casework.joint_opinion",
        label="联办件待本部门提出意见",
        permission="casework.change_jointopinion",
        records=_opinions_to_give,
        url_name="admin:casework_jointopinion_changelist",
        query="todo=mine",
    ),
    WaitingKind(
        key="casework.complaint_answer",
        label="投诉举报待办理答复",
        permission="casework.change_complaint",
        records=_complaints_to_answer,
        url_name="admin:casework_complaint_changelist",
        query="state=open",
    ),
]
