"""Staffing services: organisation and calendar, approvals, presence and A/B, leave and overtime,
attendance, duty. Admin, imports, commands and tests all call these."""

from .accountability import accountability_decide, accountability_open, department_head
from .approvals import (
    approval_chain_start,
    approval_decide,
    approvals_waiting_for,
    chain_is_complete,
    chain_of,
    register_outcome,
    resolve_approver,
    rule_for,
)
from .attendance import PunchImportReport, punches_import
from .duty import duty_roster_generate
from .leave import default_handover, leave_period, leave_submit, leave_working_days, overtime_submit
from .organisation import (
    HOLIDAY_NAMES,
    calendar_day_delete,
    calendar_day_save,
    calendar_seed_from_package,
    package_calendar_years,
    post_check_substitutes,
    staff_create,
    staff_login_check_available,
    staff_login_create,
    staff_save_new,
    staff_username,
)
from .presence import acting_for, acting_holder, away_staff_ids, current_whereabouts
from .whereabouts import (
    ENTERED_STATUSES,
    whereabouts_check,
    whereabouts_end,
    whereabouts_keeps_board,
    whereabouts_may_record_for,
    whereabouts_record,
    whereabouts_update,
)

__all__ = [
    "accountability_decide",
    "accountability_open",
    "department_head",
    "ENTERED_STATUSES",
    "HOLIDAY_NAMES",
    "PunchImportReport",
    "acting_for",
    "acting_holder",
    "approval_chain_start",
    "approval_decide",
    "approvals_waiting_for",
    "away_staff_ids",
    "calendar_day_delete",
    "calendar_day_save",
    "calendar_seed_from_package",
    "chain_is_complete",
    "chain_of",
    "current_whereabouts",
    "default_handover",
    "duty_roster_generate",
    "leave_period",
    "leave_submit",
    "leave_working_days",
    "overtime_submit",
    "package_calendar_years",
    "post_check_substitutes",
    "punches_import",
    "register_outcome",
    "resolve_approver",
    "rule_for",
    "staff_create",
    "staff_login_check_available",
    "staff_login_create",
    "staff_save_new",
    "staff_username",
    "whereabouts_check",
    "whereabouts_end",
    "whereabouts_keeps_board",
    "whereabouts_may_record_for",
    "whereabouts_record",
    "whereabouts_update",
]
