"""Recording a rating (R1.1, R1.2): one per case and channel, a 差评工单 for every bad one."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.models import Case, CaseStatus
from staffing import roles

from ..models import BAD_LEVELS, Rating, RatingChannel, RatingLevel, RatingPad, RatingTag

RATED_STATUSES = (CaseStatus.APPROVED, CaseStatus.DISAPPROVED, CaseStatus.DELIVERED)


def clean_tags(tags) -> str:
    codes = [tag for tag in (tags or []) if tag]
    unknown = [tag for tag in codes if tag not in RatingTag.values]
    if unknown:
        raise ValidationError({"tags": f"评价标签「{'、'.join(unknown)}」无效,可选:{'、'.join(RatingTag.labels)}。"})
    return ",".join(code for code in RatingTag.values if code in codes)


@transaction.atomic
def rating_record(
    *,
    case: Case,
    channel: str,
    level: int,
    user=None,
    content: str = "",
    tags=None,
    real_name: bool = False,
    rated_at: datetime.datetime | None = None,
    ticket_opened_on: datetime.date | None = None,
) -> Rating:
    """Record the applicant's rating of a case; a bad one opens its 差评工单 (R1.3) in the same transaction."""
    from .tickets import ticket_open

    if channel not in RatingChannel.values:
        raise ValidationError({"channel": f"评价渠道「{channel}」无效。"})
    if level not in RatingLevel.values:
        raise ValidationError({"level": f"评价等级「{level}」无效,应为:{'、'.join(RatingLevel.labels)}。"})
    if Rating.objects.filter(case=case, channel=channel).exists():
        raise ValidationError(
            f"办件{case.number}已有「{RatingChannel(channel).label}」渠道的评价,每个渠道只能评价一次。", code="already_rated"
        )
    rated_at = rated_at or timezone.now()
    if rated_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"rated_at": f"评价时间 {timezone.localtime(rated_at):%Y-%m-%d %H:%M} 晚于现在。"})
    rating = Rating(
        case=case,
        channel=channel,
        level=level,
        content=content.strip(),
        tags=clean_tags(tags),
        real_name=real_name,
        rated_at=rated_at,
        rated_on=timezone.localtime(rated_at).date(),
        department_id=case.department_id,
        window_id=case.window_id,
        staff_id=case.handler_id,
        recorded_by=user,
    )
    rating.full_clean()
    rating._history_user = user
    rating._change_reason = f"{RatingChannel(channel).label}评价:{RatingLevel(level).label}"
    rating.save()
    if level in BAD_LEVELS:
        ticket_open(rating=rating, user=user, on=ticket_opened_on)
    return rating


# --- The window rating pad (R1.1) -------------------------------------------------------------------


def pad_of(user) -> RatingPad | None:
    if not getattr(user, "is_authenticated", False) or not user.has_perm("ratings.use_ratingpad"):
        return None
    pad = RatingPad.objects.filter(user=user, is_active=True).select_related("window").first()
    return pad


def pad_case(pad: RatingPad, now: datetime.datetime | None = None) -> Case | None:
    """The case just completed or delivered at the pad's window, not yet rated on the pad."""
    from casework.models import CaseTransition

    from ..models import RatingSettings

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    since = now - datetime.timedelta(minutes=RatingSettings.load().pad_offer_minutes)
    transition = (
        CaseTransition.objects.filter(
            case__window_id=pad.window_id, to_status__in=RATED_STATUSES, at__gte=since, at__lte=now
        )
        # completed or delivered today (a record entered late for an earlier day is not offered)
        .filter(Q(case__completed_on=today) | Q(case__delivered_on=today))
        .exclude(case__ratings__channel=RatingChannel.PAD)
        .select_related("case__item")
        .order_by("-at", "-pk")
        .first()
    )
    return transition.case if transition else None


@transaction.atomic
def pad_rate(*, pad: RatingPad, case: Case, level: int, user) -> Rating:
    """One tap on the pad: the rating of the case the pad offers (real name: the applicant of the case)."""
    if pad.user_id != user.pk or not pad.is_active:
        raise PermissionDenied("该设备不是本窗口的评价器。")
    offered = pad_case(pad)
    if offered is None or offered.pk != case.pk:
        raise ValidationError("该办件已评价或已超过评价时间,请申请人通过网上、短信或二维码评价。")
    return rating_record(case=case, channel=RatingChannel.PAD, level=level, user=user, real_name=True)


PAD_TAG_MINUTES = 10


@transaction.atomic
def pad_add_tags(*, pad: RatingPad, rating: Rating, tags, user) -> Rating:
    """The optional tags after the tap: only on the pad's own rating, just made."""
    if rating.channel != RatingChannel.PAD or rating.recorded_by_id != user.pk or pad.user_id != user.pk:
        raise PermissionDenied("只能为本评价器刚刚提交的评价补充标签。")
    if timezone.now() - rating.rated_at > datetime.timedelta(minutes=PAD_TAG_MINUTES):
        raise ValidationError("评价已提交超过10分钟,不能再补充标签。")
    rating.tags = clean_tags(tags)
    rating.full_clean()
    rating._history_user, rating._change_reason = user, f"补充评价标签:{rating.tag_labels() or '无'}"
    rating.save()
    return rating


@transaction.atomic
def pad_create(*, window, username: str, password: str, user=None) -> RatingPad:
    """The device account of a window's pad, in the role that may open only the pad page."""
    User = get_user_model()
    if not username.strip():
        raise ValidationError({"username": "请填写设备账号。"})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"账号「{username}」已存在。"})
    if RatingPad.objects.filter(window=window).exists():
        raise ValidationError({"window": f"{window}已有评价器。"})
    device = User(username=username, first_name=f"{window.number}号窗口评价器", is_staff=True)
    device.set_password(password)
    device.save()
    device.groups.add(Group.objects.get(name=roles.RATING_PAD))
    pad = RatingPad(window=window, user=device)
    pad.full_clean()
    pad._history_user = user
    pad.save()
    return pad
