"""Casework services: one function per transition or approval. Admin, commands and tests call these."""

from .cases import (
    case_accept,
    case_approve,
    case_check_material,
    case_deem_accepted,
    case_deliver,
    case_finish_step,
    case_receive,
    case_request_correction,
    case_request_extension,
    case_start,
    current_step,
    deem_overdue_receipts,
    extension_decide,
)
from .consultations import consultation_log, consultation_open_case
from .deadlines import compute_due_dates, recompute_open_cases_for_calendar
from .notices import notice_issue
from .refusals import appeal_decide, appeal_file, case_refuse, refusal_approve, refusal_reject
from .oversight import (
    case_head_approve,
    case_report_up,
    complaint_register,
    complaint_resolve,
    opinion_give,
    overdue_complaints,
    report_up_follow_up,
    report_up_result,
    sweep_casework,
    assessment_prepare,
)
from .transitions import PIPELINE, allowed_next

__all__ = [
    "case_head_approve",
    "case_report_up",
    "complaint_register",
    "complaint_resolve",
    "opinion_give",
    "overdue_complaints",
    "report_up_follow_up",
    "report_up_result",
    "sweep_casework",
    "assessment_prepare",
    "PIPELINE",
    "allowed_next",
    "appeal_decide",
    "appeal_file",
    "case_accept",
    "case_approve",
    "case_check_material",
    "case_deem_accepted",
    "case_deliver",
    "case_finish_step",
    "case_receive",
    "case_refuse",
    "case_request_correction",
    "case_request_extension",
    "case_start",
    "compute_due_dates",
    "consultation_log",
    "consultation_open_case",
    "current_step",
    "deem_overdue_receipts",
    "extension_decide",
    "notice_issue",
    "recompute_open_cases_for_calendar",
    "refusal_approve",
    "refusal_reject",
]
