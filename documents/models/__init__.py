from .documents import (
    Circulation,
    CirculationState,
    Document,
    DocumentAttachment,
    DocumentCategory,
    DocumentStatus,
    DocumentCounter,
    DocumentScopeDepartment,
    DocumentScopeStaff,
    Secrecy,
    SignerRole,
)
from .records import CallLog, PrintLog, RepairRequest, RepairStatus
from .reports import ReportObligation
from .settings import DocumentsSettings
from .supervision import Reminder, ReminderMethod, SupervisionAttachment, SupervisionItem, SupervisionSource, SupervisionStatus

__all__ = [
    "CallLog",
    "Circulation",
    "CirculationState",
    "Document",
    "DocumentAttachment",
    "DocumentCategory",
    "DocumentCounter",
    "DocumentScopeDepartment",
    "DocumentScopeStaff",
    "DocumentStatus",
    "DocumentsSettings",
    "PrintLog",
    "Reminder",
    "ReminderMethod",
    "RepairRequest",
    "RepairStatus",
    "ReportObligation",
    "Secrecy",
    "SignerRole",
    "SupervisionAttachment",
    "SupervisionItem",
    "SupervisionSource",
    "SupervisionStatus",
]
