from .bookings import BookingStatus, Room, RoomBooking
from .meetings import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BodyMembership,
    Decision,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
    MemberBody,
)
from .settings import MeetingsSettings
from .types import CadencePeriod, MeetingType, QuorumRule

__all__ = [
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "BodyMembership",
    "BookingStatus",
    "CadencePeriod",
    "Decision",
    "Meeting",
    "MeetingAttachment",
    "MeetingStatus",
    "MeetingType",
    "MeetingsSettings",
    "MemberBody",
    "QuorumRule",
    "Room",
    "RoomBooking",
]
