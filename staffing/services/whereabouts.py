"""Entering and ending whereabouts (去向牌 S1.10-b): 开会, 外出, 出差. 请假 comes from approved leave."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import roles, selectors
from ..models import Staff, Whereabouts, WhereaboutsStatus

# What a person or the office records by hand; 请假 is set by the approved leave itself.
ENTERED_STATUSES = (WhereaboutsStatus.MEETING, WhereaboutsStatus.OUT, WhereaboutsStatus.TRIP)


# The office keeps the board for everyone; everyone else records only their own whereabouts.
OFFICE_ROLES = {roles.OFFICE_STAFF, roles.CENTER_ADMIN}


def whereabouts_keeps_board(user) -> bool:
    return user.is_superuser or bool(selectors.user_role_names(user) & OFFICE_ROLES)


def whereabouts_may_record_for(user, staff: Staff) -> bool:
    own = getattr(user, "staff", None)
    if own is not None and own.pk == staff.pk:
        return True
    return whereabouts_keeps_board(user) and user.has_perm("staffing.add_whereabouts")


def whereabouts_check(*, staff: Staff, status: str, starts_at: datetime.datetime, returns_at: datetime.datetime, exclude_pk=None) -> None:
    if status not in ENTERED_STATUSES:
        labels = "、".join(WhereaboutsStatus(s).label for s in ENTERED_STATUSES)
        raise ValidationError({"status": f"去向只能登记为{labels};请假须提交请假申请,批准后自动登记。"})
    if returns_at <= starts_at:
        raise ValidationError({"returns_at": "预计返回时间须晚于开始时间。"})
    overlapping = (
        Whereabouts.objects.filter(staff=staff, starts_at__lt=returns_at, returns_at__gt=starts_at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=starts_at))
        .exclude(pk=exclude_pk)
        .first()
    )
    if overlapping is not None:
        start = timezone.localtime(overlapping.starts_at)
        end = timezone.localtime(overlapping.returns_at)
        raise ValidationError(
            {
                "starts_at": f"{staff.name}在{start:%m月%d日 %H:%M}至{end:%m月%d日 %H:%M}已登记为"
                f"「{overlapping.get_status_display()}」({overlapping.reason}),时间不能重叠。"
            }
        )


@transaction.atomic
def whereabouts_record(
    *, user, staff: Staff, status: str, reason: str, returns_at: datetime.datetime,
    starts_at: datetime.datetime | None = None, destination: str = "", contact: str = "",
) -> Whereabouts:
    if not whereabouts_may_record_for(user, staff):
        raise PermissionDenied("只能登记本人的去向;为他人登记去向须由办公室人员办理。")
    starts_at = starts_at or timezone.now()
    whereabouts_check(staff=staff, status=status, starts_at=starts_at, returns_at=returns_at)
    if not reason.strip():
        raise ValidationError({"reason": "请写明事由。"})
    entry = Whereabouts(
        staff=staff, status=status, reason=reason, destination=destination, contact=contact or staff.phone,
        starts_at=starts_at, returns_at=returns_at,
    )
    entry._history_user = user
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def whereabouts_update(*, entry: Whereabouts, user, **changes) -> Whereabouts:
    """Correct an entry by hand (reason, destination, contact, times); leave entries follow their leave."""
    entry = Whereabouts.objects.select_for_update().get(pk=entry.pk)
    if entry.leave_id:
        raise ValidationError("请假形成的去向随请假单变化,不能直接修改;提前返回请点「已返回」。")
    if not whereabouts_may_record_for(user, entry.staff):
        raise PermissionDenied("只能修改本人的去向登记。")
    for name, value in changes.items():
        setattr(entry, name, value)
    whereabouts_check(
        staff=entry.staff, status=entry.status, starts_at=entry.starts_at, returns_at=entry.returns_at, exclude_pk=entry.pk
    )
    entry._history_user = user
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def whereabouts_end(*, entry: Whereabouts, user, at: datetime.datetime | None = None) -> Whereabouts:
    """The person is back (销假 for leave): the entry ends now, and the board shows 在岗 again."""
    entry = Whereabouts.objects.select_for_update().select_related("staff").get(pk=entry.pk)
    if not whereabouts_may_record_for(user, entry.staff):
        raise PermissionDenied("只能为本人登记返回;为他人登记须由办公室人员办理。")
    at = at or timezone.now()
    if entry.ended_at is not None:
        raise ValidationError(f"{entry.staff.name}已于{timezone.localtime(entry.ended_at):%m月%d日 %H:%M}登记返回。")
    if entry.returns_at <= at:
        raise ValidationError(f"该去向已于{timezone.localtime(entry.returns_at):%m月%d日 %H:%M}到期结束,无需登记返回。")
    entry.ended_at = max(at, entry.starts_at)
    entry._history_user = user
    entry.save()
    return entry
