"""Documents services: documents and numbering, circulation, supervision, report obligations."""

from .circulation import circulation_delay, circulation_due, circulation_feedback, document_circulate
from .documents import (
    document_archive,
    document_draft,
    document_issue,
    document_proofread,
    document_register,
    document_review,
    document_sign,
    document_submit_for_review,
    expected_signer,
)
from .reports import report_obligation_open, report_obligation_submit, report_obligations_generate
from .supervision import (
    reminder_log,
    supervision_archive,
    supervision_assign,
    supervision_feedback,
    supervision_from_decision,
    supervision_leader_review,
    supervision_register,
    supervision_start,
    supervision_submit_to_leader,
)

__all__ = [
    "circulation_delay",
    "circulation_due",
    "circulation_feedback",
    "document_archive",
    "document_circulate",
    "document_draft",
    "document_issue",
    "document_proofread",
    "document_register",
    "document_review",
    "document_sign",
    "document_submit_for_review",
    "expected_signer",
    "reminder_log",
    "report_obligation_open",
    "report_obligation_submit",
    "report_obligations_generate",
    "supervision_archive",
    "supervision_assign",
    "supervision_feedback",
    "supervision_from_decision",
    "supervision_leader_review",
    "supervision_register",
    "supervision_start",
    "supervision_submit_to_leader",
]
