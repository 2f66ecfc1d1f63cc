"""Demo ratings (R1.1–R1.5), written through the services: ratings on the completed demo cases through
every channel, one 差评工单 open (rated on the demo's working day) and one overdue (rated three working
days before it, never visited back), and the device login of 01号窗口's rating pad.

Runs again without duplicating anything, on any day (staffing.demo_clock)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from casework.models import Case, CaseStatus
from staffing.demo import DEMO_PASSWORD
from staffing.demo_clock import DemoClock
from staffing.models import Window

from .models import BadRatingTicket, Rating, RatingChannel, RatingLevel, RatingPad
from .services.ratings import pad_create, rating_record

PAD_USERNAME = "pad01"
COMPLETED = (CaseStatus.APPROVED, CaseStatus.DISAPPROVED, CaseStatus.DELIVERED)
# (channel, level, content, tags, real name) for the completed cases in turn; the first bad one is
# left overdue, the second open.
PLAN = [
    (RatingChannel.PAD, RatingLevel.VERY_SATISFIED, "", [], True),
    (RatingChannel.ONLINE, RatingLevel.SATISFIED, "网上预约后到窗口一次办好。", ["efficiency"], True),
    (RatingChannel.SMS, RatingLevel.VERY_SATISFIED, "", [], False),
    (RatingChannel.PAD, RatingLevel.DISSATISFIED, "等候时间长,工作人员解释不耐心。", ["attitude", "efficiency"], True),
    (RatingChannel.QR, RatingLevel.BASICALLY_SATISFIED, "大厅指引不够清楚。", ["environment"], False),
    (RatingChannel.PHONE, RatingLevel.SATISFIED, "", [], True),
    (RatingChannel.ONLINE, RatingLevel.VERY_SATISFIED, "", [], True),
    (RatingChannel.SMS, RatingLevel.SATISFIED, "", [], False),
]


def load_demo_ratings(stdout=None) -> dict:
    clock = DemoClock()
    with transaction.atomic():
        pad = _pad()
        cases = list(
            Case.objects.filter(status__in=COMPLETED, completed_on__isnull=False)
            .exclude(applicant_name=OVERDUE_APPLICANT)
            .order_by("completed_on", "number")
        )
        added = 0
        first_round = True
        for n, case in enumerate(cases):
            channel, level, content, tags, real_name = PLAN[n % len(PLAN)]
            if n >= len(PLAN) and level in (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED):
                level, content, tags = RatingLevel.SATISFIED, "", []  # one open ticket is enough
            first_round = n < len(PLAN)
            if case.ratings.exists():  # rated by an earlier run
                continue
            rated_at = min(clock.at(case.completed_on, "16:30"), clock.now)
            rating_record(
                case=case, channel=channel, level=level, content=content, tags=tags, real_name=real_name, rated_at=rated_at,
                ticket_opened_on=rated_at.date() if first_round else None,
            )
            added += 1
        added += _overdue_story(clock)
    if stdout is not None:
        stdout.write(
            f"演示好差评:新增评价 {added} 条(共 {Rating.objects.count()} 条),差评工单 {BadRatingTicket.objects.count()} 件;"
            f"评价器账号 {pad.user.username}({pad.window.number}号窗口),密码同演示账号。"
        )
    return {"ratings": added, "pad": pad}


def _pad() -> RatingPad:
    window = Window.objects.get(number="01")
    pad = RatingPad.objects.filter(window=window).select_related("user", "window").first()
    if pad is not None:
        return pad
    if get_user_model().objects.filter(username=PAD_USERNAME).exists():
        raise ValueError(f"账号「{PAD_USERNAME}」已存在,但不是评价器。")
    return pad_create(window=window, username=PAD_USERNAME, password=DEMO_PASSWORD)


OVERDUE_APPLICANT = "周敏"


def _overdue_story(clock: DemoClock) -> int:
    """A case completed at 01号窗口 four working days before the demo's working day and rated 非常不满意
    online that day: its ticket was never visited back, so it is overdue (and the sweep holds it to account)."""
    from casework import services as casework_services
    from registry.models import HandlingMode, ItemStatus, ServiceItem
    from staffing import roles
    from staffing.models import Staff

    if Rating.objects.filter(case__applicant_name=OVERDUE_APPLICANT, channel=RatingChannel.ONLINE).exists():
        return 0
    window = Window.objects.get(number="01")
    clerk = Staff.objects.filter(window=window, user__groups__name=roles.WINDOW_STAFF).select_related("user").first()
    item = (
        ServiceItem.objects.filter(window=window, status=ItemStatus.ACTIVE, handling_mode=HandlingMode.IMMEDIATE, needs_head_approval=False)
        .order_by("code")
        .first()
    )
    if clerk is None or item is None:
        return 0
    received = clock.at(5, "10:00")
    case = casework_services.case_receive(
        item=item, window=window, user=clerk.user, applicant_name=OVERDUE_APPLICANT, id_type="resident_id",
        id_number="360723198804120026", phone="13907971234", received_at=received,
    )
    for material in case.materials.all():
        casework_services.case_check_material(material=material, user=clerk.user, state="received")
    casework_services.case_accept(case=case, user=clerk.user, accepted_on=clock.day(5))
    case.refresh_from_db()
    if case.status == CaseStatus.ACCEPTED and case.steps.exists():
        casework_services.case_start(case=case, user=clerk.user)
    casework_services.case_approve(case=case, user=clerk.user, completed_on=clock.day(4))
    rated_at = clock.at(4, "17:00")
    rating_record(
        case=case, channel=RatingChannel.ONLINE, level=RatingLevel.VERY_DISSATISFIED, content="材料要求前后说法不一,跑了两趟。",
        tags=["materials"], real_name=True, rated_at=rated_at, ticket_opened_on=rated_at.date(),
    )
    return 1
