from .case import (
    OPEN_STATUSES,
    ApplicantKind,
    Case,
    CaseClockPause,
    CaseCounter,
    CaseExtension,
    CaseMaterial,
    CaseStatus,
    CaseStep,
    CaseTransition,
    ExtensionStatus,
    IdType,
    MaterialState,
)
from .consultation import Consultation, ConsultationOutcome
from .control_panel import CaseworkSettings
from .oversight import ComplaintChannel, Complaint, JointOpinion, OpinionStatus, ReportUpFollowUp
from .notice import Notice, NoticeCounter, NoticeKind, NoticeTemplate
from .refusal import Appeal, AppealDecision, Refusal, RefusalCategory, RefusalStage, RefusalStatus

__all__ = [
    "Complaint",
    "ComplaintChannel",
    "JointOpinion",
    "OpinionStatus",
    "ReportUpFollowUp",
    "OPEN_STATUSES",
    "Appeal",
    "AppealDecision",
    "ApplicantKind",
    "Case",
    "CaseClockPause",
    "CaseCounter",
    "CaseExtension",
    "CaseMaterial",
    "CaseStatus",
    "CaseStep",
    "CaseTransition",
    "CaseworkSettings",
    "Consultation",
    "ConsultationOutcome",
    "ExtensionStatus",
    "IdType",
    "MaterialState",
    "Notice",
    "NoticeCounter",
    "NoticeKind",
    "NoticeTemplate",
    "Refusal",
    "RefusalCategory",
    "RefusalStage",
    "RefusalStatus",
]
