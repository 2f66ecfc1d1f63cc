from .calendar import CalendarDay, DayKind
from .control_panel import CenterSettings, ControlPanel, WorkingHours
from .organisation import Department, DepartmentKind, LeaderRole, Post, PostSubstitute, Staff, Window

__all__ = [
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
