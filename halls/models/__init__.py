from .hall import Hall, HallKind, center_hall_id

__all__ = ["Hall", "HallKind", "center_hall_id"]
from .assessment import HallSettings  # noqa: E402
from .inspection import (  # noqa: E402
    ChecklistItem,
    FindingStatus,
    HallInspection,
    InspectionChecklist,
    InspectionFinding,
    InspectionStatus,
    Verification,
)
from .township import GuidanceVisit, HallMonthFigures  # noqa: E402

__all__ += [
    "HallSettings", "ChecklistItem", "FindingStatus", "HallInspection", "InspectionChecklist", "InspectionFinding",
    "InspectionStatus", "Verification", "GuidanceVisit", "HallMonthFigures",
]
