from .accountability import AccountabilityRecord, AccountabilityStatus, Assessment, Violation
from .approvals import Approval, ApprovalDecision, ApprovalKind, ApprovalRule, ApproverRole, approver_role_labels
from .attendance import (
    ClockPunch,
    DutyLogEntry,
    DutyShift,
    HalfDay,
    LeaveRequest,
    LeaveType,
    OvertimeRequest,
    PunchSource,
    RequestStatus,
    Whereabouts,
    WhereaboutsStatus,
)
from .background import BackgroundJob, BackgroundSettings, JobKind, JobStatus
from .calendar import CalendarDay, DayKind
from .control_panel import CenterSettings, ControlPanel, WorkingHours
from .organisation import Department, DepartmentKind, LeaderRole, Post, PostSubstitute, Staff, Window

__all__ = [
    "BackgroundJob",
    "BackgroundSettings",
    "JobKind",
    "JobStatus",
    "AccountabilityRecord",
    "AccountabilityStatus",
    "Assessment",
    "Violation",
    "Approval",
    "ApprovalDecision",
    "ApprovalKind",
    "ApprovalRule",
    "ApproverRole",
    "approver_role_labels",
    "ClockPunch",
    "DutyLogEntry",
    "DutyShift",
    "HalfDay",
    "LeaveRequest",
    "LeaveType",
    "OvertimeRequest",
    "PunchSource",
    "RequestStatus",
    "Whereabouts",
    "WhereaboutsStatus",
    "CalendarDay",
    "CenterSettings",
    "ControlPanel",
    "DayKind",
    "Department",
    "DepartmentKind",
    "LeaderRole",
    "Post",
    "PostSubstitute",
    "Staff",
    "Window",
    "WorkingHours",
]
