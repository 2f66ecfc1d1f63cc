"""Demo meetings of 大余县行政服务中心: member bodies, rooms, room bookings and meetings.

The bodies of the meeting types that the migrations create (党委委员, 办公会成员, 安全领导小组) get
their members, and 审批协调股 gets a body for its 科务会. Four meetings of the last working days were
held, with attendance, agenda and decisions (the 办公会 decision on 延时服务 is meant for 督办, see
`documents.demo`); one 办公会 is coming, in a room booked and approved; one booking waits for approval.
Everything rule-bearing goes through `meetings.services`, by the demo logins of `staffing.demo`: the
office (办公室 文秘) schedules, marks attendance and records decisions, the main leader approves bookings.
Rooms, bodies, memberships and agenda items have no service (the admin writes them as plain rows):
they are saved with full_clean and their history.

Dates: the meetings are held on working days before the demo's working day (`staffing.demo_clock`:
today, or on a weekend or holiday the last working day before it); the bookings and the coming
meeting are the configured lead time plus one working day after it, so the booking rules hold on any day.

Loading is idempotent in the simplest way: when any room, booking, meeting or membership exists,
nothing is loaded.
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from staffing.demo import Cast, create_by
from staffing.demo_clock import DemoClock
from staffing.models import Department

from . import services
from .models import (
    AgendaItem,
    AttendanceStatus,
    BodyMembership,
    BookingStatus,
    Decision,
    Meeting,
    MeetingsSettings,
    MeetingStatus,
    MeetingType,
    MemberBody,
    Room,
    RoomBooking,
)

# (name, location, capacity, equipment)
ROOMS = [
    ("三楼第一会议室", "三楼东侧", 30, "投影仪、视频会议终端、扩音设备"),
    ("二楼小会议室", "二楼西侧", 12, "电视屏幕"),
    ("一楼培训室", "一楼大厅北侧", 50, "投影仪、扩音设备"),
]

# body name → (its department or None, [(badge number, role)], add the rest of the department as 成员)
BODIES = {
    "党委委员": (None, [("DY001", "书记"), ("DY002", "副书记"), ("DY003", "委员"), ("DY004", "委员"), ("DY008", "委员")], False),
    "办公会成员": (None, [("DY001", "主任"), ("DY002", "副主任"), ("DY003", "副主任"), ("DY004", "办公室主任"),
                    ("DY008", "股长"), ("DY011", "股长"), ("DY013", "股长")], False),
    "安全领导小组": (None, [("DY002", "组长"), ("DY004", "副组长"), ("DY013", "成员"), ("DY014", "成员"), ("DY005", "成员")], False),
    "审批协调股科务会": ("审批协调股", [("DY008", "股长")], True),
}  # fmt: skip

# The user of these demo logins acts (see staffing.demo.DEMO_ACCOUNTS).
OFFICE, LEADER, WINDOW_HEAD = "office", "leader", "windowhead"


@dataclasses.dataclass(frozen=True)
class MeetingStory:
    """One demo meeting. `day`: working days before the demo's working day, when it was held; None: a coming
    meeting, on the day of the booking of its title.

    agenda: (title, presenter badge, decisions); a decision is (text, kind, votes for, against,
    abstaining, responsible department or None, deadline in working days after the meeting or None).
    """

    meeting_type: str
    body: str
    title: str
    day: int
    starts: str
    ends: str
    chair: str
    location: str = ""
    absent: tuple = ()
    agenda: tuple = ()
    minutes: str = ""


MEETINGS = [
    MeetingStory(
        "党委会", "党委委员", "中心党委会(月度)", 8, "09:00", "11:00", "DY001", "三楼第一会议室",
        agenda=(
            ("传达学习全省优化营商环境大会精神", "DY001",
             (("全体党员干部要把优化营商环境作为“一把手”工程,各股室、各窗口结合实际抓好贯彻落实。", "", 5, 0, 0, None, None),)),
            ("研究推荐年度“红旗窗口”和“服务标兵”人选", "DY004",
             (("同意推荐县不动产登记中心窗口为“红旗窗口”、李春梅同志为“服务标兵”,在大厅公示五个工作日。", "", 5, 0, 0, None, None),)),
        ),
        minutes="会议由刘建华同志主持,应到5人,实到5人。会议传达学习了全省优化营商环境大会精神,研究了评先评优推荐人选。",
    ),
    MeetingStory(
        "办公会", "办公会成员", "中心主任办公会", 4, "15:00", "17:00", "DY001", "三楼第一会议室", absent=("DY013",),
        agenda=(
            ("研究窗口延时服务和预约服务工作方案", "DY008",
             (("同意实行工作日中午和周六上午延时服务,由审批协调股牵头制定排班表和公告,十个工作日内落实到位。", "",
               6, 0, 0, "审批协调股", 10),)),
            ("研究大厅叫号系统升级改造经费", "DY004",
             (("原则同意叫号系统升级改造,由办公室按程序填报资金使用审批表后实施。", "", 5, 0, 1, None, None),)),
        ),
        minutes="会议由刘建华同志主持,朱明辉同志因下乡督查缺席。会议研究了延时服务方案和叫号系统升级改造经费。",
    ),
    MeetingStory(
        "科务会", "审批协调股科务会", "审批协调股周例会", 2, "08:30", "09:30", "DY008", "二楼小会议室",
        agenda=(
            ("部署本周联办件协调和否定报备审核工作", "DY008",
             (("本周重点跟踪两件超期办件和一件待分管领导审批的否定报备,周五前反馈办理情况。", "", 3, 0, 0, None, None),)),
        ),
        minutes="股长罗国平主持,通报上周联办件办理情况,部署本周工作。",
    ),
    MeetingStory(
        "安全形势分析会", "安全领导小组", "大厅安全形势分析会", 1, "16:00", "17:00", "DY002", "二楼小会议室",
        agenda=(
            ("通报大厅消防安全检查情况", "DY013",
             (("对大厅北侧消防通道堆放杂物问题立即整改,由综合股负责,三个工作日内完成并报安全领导小组。", "",
               5, 0, 0, "综合股", 3),)),
        ),
        minutes="钟晓明同志主持。会议通报了消防安全检查发现的问题,明确了整改责任和时限。",
    ),
    MeetingStory(
        "办公会", "办公会成员", "中心主任办公会(窗口考核专题)", None, "15:00", "17:00", "DY001",
        agenda=(("研究窗口工作人员月度考核结果", "DY011", ()), ("研究延时服务落实情况", "DY008", ())),
    ),
]  # fmt: skip

# Bookings ahead of the working day, by the lead time plus one working day: (login, room, from, to,
# purpose, attendees, approved by the main leader). A coming meeting takes the booking of its title.
BOOKINGS = [
    (WINDOW_HEAD, "一楼培训室", "09:00", "11:30", "市场监管窗口业务培训:一次性告知与“好差评”", 20, False),
    (OFFICE, "三楼第一会议室", "14:30", "17:30", "中心主任办公会(窗口考核专题)", 12, True),
]


# ---------------------------------------------------------------- playing


def _load_bodies(cast: Cast, clock: DemoClock) -> dict[str, MemberBody]:
    office = cast.user(OFFICE)
    joined = datetime.date(clock.workday.year - 1, 1, 1)  # members since last year: before every demo meeting
    departments = {d.name: d for d in Department.objects.filter(name__in=[v[0] for v in BODIES.values() if v[0]])}
    bodies = {}
    for name, (department, members, import_department) in BODIES.items():
        body = MemberBody.objects.filter(name=name).first()
        if body is None:
            body = create_by(office, MemberBody, name=name, department=departments[department] if department else None)
        for badge_no, role in members:
            create_by(office, BodyMembership, body=body, staff=cast.staff[badge_no], role=role, joined_on=joined)
        if import_department:
            services.body_import_department(body=body, user=office, day=joined)
        bodies[name] = body
    return bodies


def _book(cast: Cast, clock: DemoClock, rooms: dict) -> dict[str, RoomBooking]:
    """Bookings on the first day the lead-time rule allows after the working day, plus one."""
    ahead = MeetingsSettings.load().booking_lead_working_days + 1
    bookings = {}
    for login, room, starts, ends, purpose, attendees, approved in BOOKINGS:
        booking = services.booking_request(
            room=rooms[room], starts_at=clock.at(-ahead, starts), ends_at=clock.at(-ahead, ends), purpose=purpose,
            user=cast.user(login), attendees=attendees, now=clock.now,
        )  # fmt: skip
        if approved:
            services.booking_decide(booking=booking, user=cast.user(LEADER), approve=True, note="同意。")
        bookings[purpose] = booking
    return bookings


def _hold(story: MeetingStory, cast: Cast, clock: DemoClock, bodies: dict, booking) -> Meeting:
    office = cast.user(OFFICE)
    day = clock.day(story.day) if booking is None else timezone.localtime(booking.starts_at).date()
    meeting = services.meeting_schedule(
        meeting_type=MeetingType.objects.get(name=story.meeting_type), body=bodies[story.body], title=story.title,
        starts_at=clock.at(day, story.starts), ends_at=clock.at(day, story.ends),
        chair=cast.staff[story.chair], user=office, booking=booking, location=story.location,
    )  # fmt: skip
    agenda = [
        create_by(office, AgendaItem, meeting=meeting, order=order, title=title, presenter=cast.staff[presenter])
        for order, (title, presenter, _decisions) in enumerate(story.agenda, start=1)
    ]
    if story.day is None:
        return meeting
    absent = {cast.staff[badge_no].pk for badge_no in story.absent}
    for attendance in meeting.attendance.all():
        if attendance.staff_id not in absent:
            services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=office)
    for item, (_title, _presenter, decisions) in zip(agenda, story.agenda, strict=True):
        for text, kind, votes_for, against, abstaining, department, within in decisions:
            services.decision_record(
                agenda_item=item, text=text, user=office, kind=kind, votes_for=votes_for, votes_against=against,
                votes_abstain=abstaining, adopted=True,
                responsible_department=Department.objects.get(name=department) if department else None,
                deadline=clock.calendar.add_working_days(day, within) if within else None,
            )  # fmt: skip
    return services.meeting_hold(meeting=meeting, user=office, minutes=story.minutes)


def load_demo_meetings(stdout=None) -> dict:
    """Load the demo rooms, bodies, bookings and meetings; returns the counts. Does nothing when any exist."""
    if any(model.objects.exists() for model in (Room, RoomBooking, Meeting, BodyMembership)):
        if stdout is not None:
            stdout.write("演示会议:系统中已有会议室、预约、会议或成员组成员,未加载演示会议。")
        return {"meetings": 0, "skipped": True}
    cast, clock = Cast(), DemoClock()
    with transaction.atomic():
        office = cast.user(OFFICE)
        rooms = {
            name: create_by(office, Room, name=name, location=location, capacity=capacity, equipment=equipment)
            for name, location, capacity, equipment in ROOMS
        }
        bodies = _load_bodies(cast, clock)
        bookings = _book(cast, clock, rooms)
        for story in MEETINGS:  # oldest first, so that the history reads in order
            _hold(story, cast, clock, bodies, None if story.day is not None else bookings[story.title])
    counts = {
        "rooms": Room.objects.count(),
        "members": BodyMembership.objects.count(),
        "meetings": Meeting.objects.count(),
        "held": Meeting.objects.filter(status=MeetingStatus.HELD).count(),
        "decisions": Decision.objects.count(),
        "bookings": RoomBooking.objects.count(),
        "pending": RoomBooking.objects.filter(status=BookingStatus.PENDING).count(),
        "skipped": False,
    }
    if stdout is not None:
        stdout.write(
            f"演示会议:新增会议室 {counts['rooms']} 间;成员组 {len(BODIES)} 个,成员 {counts['members']} 人次;"
            f"会议 {counts['meetings']} 场(已召开 {counts['held']} 场,计划 {counts['meetings'] - counts['held']} 场),"
            f"决议 {counts['decisions']} 条;会议室预约 {counts['bookings']} 条(待审批 {counts['pending']} 条)。"
        )
    return counts
