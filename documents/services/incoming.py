"""Incoming documents (收文, S3.6-g): 登记 → 拟办 → 批办 → 传阅办理 (阅知/办理, S3.6-d) → 办结 → 归档.

The order of 党政机关公文处理工作条例 (2012) art. 24: 签收、登记、初审、承办、传阅、催办、答复. The
office registers and proposes; the leader it names decides who reads and who handles; each recipient
confirms reading or feeds back (or gives a delay reason) within the urgency's limit; reminders are
logged; the document closes itself when the last recipient has answered, and the office archives it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.models import Staff
from staffing.numbering import next_sequence
from staffing.working_days import add_working_days

from ..models import (
    Circulation,
    CirculationMode,
    CirculationReminder,
    CirculationState,
    DocumentsSettings,
    IncomingAttachment,
    IncomingCounter,
    IncomingDocument,
    IncomingStatus,
    Secrecy,
    Urgency,
)
from .documents import _in_office, _staff

S = IncomingStatus

# The one writer of IncomingDocument.status: which status may follow which.
PIPELINE: dict[str, tuple[str, ...]] = {
    S.REGISTERED: (S.PROPOSED,),
    S.PROPOSED: (S.CIRCULATING, S.REGISTERED),
    S.CIRCULATING: (S.DONE,),
    S.DONE: (S.ARCHIVED,),
    S.ARCHIVED: (),
}


def _set_status(incoming: IncomingDocument, new: str, *, user, reason: str) -> None:
    if new not in PIPELINE.get(incoming.status, ()):
        raise ValidationError(f"收文「{incoming.title}」当前为「{incoming.get_status_display()}」,不能{reason}。")
    incoming.status = new
    incoming._history_user, incoming._change_reason = user, reason
    incoming.full_clean()
    incoming.save()


def _check_office(user, what: str) -> Staff:
    staff = _staff(user)
    if not _in_office(user):
        raise PermissionDenied(f"{what}由办公室负责。")
    return staff


def handling_days(urgency: str) -> int:
    settings = DocumentsSettings.load()
    return {
        Urgency.FLASH: settings.incoming_flash_days,
        Urgency.URGENT: settings.incoming_urgent_days,
    }.get(urgency, settings.incoming_normal_days)


def incoming_due(urgency: str, start: datetime.date) -> datetime.date:
    """The handling limit in working days of the urgency (特急/加急/平件, settings; 平件 3 as S3.6-d)."""
    return add_working_days(start, handling_days(urgency))


@transaction.atomic
def incoming_register(
    *, user, sender: str, title: str, received_on: datetime.date | None = None, sender_number: str = "",
    secrecy: str = Secrecy.NORMAL, scope_departments=(), scope_staff=(), urgency: str = Urgency.NORMAL,
    copies: int = 1, pages: int = 1, action: str = "handle", scans=(),
) -> IncomingDocument:
    """收文登记: the next 收文编号 of the year, gap-free also under concurrency (S3.6-c's counter)."""
    staff = _check_office(user, "收文登记")
    if not sender.strip():
        raise ValidationError({"sender": "请填写来文单位。"})
    if not title.strip():
        raise ValidationError({"title": "请填写来文标题。"})
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": f"收文日期{received_on:%Y-%m-%d}晚于今天。"})
    if secrecy != Secrecy.NORMAL and not (scope_staff or scope_departments):
        raise ValidationError({"secrecy": "涉密来文须指定知悉范围(人员或部门)。"})
    year = received_on.year
    sequence = next_sequence(IncomingCounter, year=year)
    incoming = IncomingDocument(
        sender=sender.strip(), sender_number=sender_number.strip(), title=title.strip(), received_on=received_on,
        year=year, sequence=sequence, number=DocumentsSettings.load().incoming_number_pattern.format(year=year, seq=sequence),
        secrecy=secrecy, urgency=urgency, copies=copies, pages=pages, action=action, registered_by=staff,
    )
    incoming._history_user, incoming._change_reason = user, "收文登记"
    incoming.full_clean()
    incoming.save()
    incoming.scope_departments.set(scope_departments)
    incoming.scope_staff.set(scope_staff)
    for scan in scans:
        incoming_attach(incoming=incoming, user=user, file=scan)
    return incoming


@transaction.atomic
def incoming_attach(*, incoming: IncomingDocument, user, file, title: str = "") -> IncomingAttachment:
    _check_office(user, "上传收文扫描件")
    if incoming.status == S.ARCHIVED:
        raise ValidationError("已归档的收文不能再添加扫描件。")
    attachment = IncomingAttachment(incoming=incoming, title=title or file.name, file=file, uploaded_by=user)
    attachment._history_user = user
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def incoming_propose(*, incoming: IncomingDocument, user, proposal: str, leader: Staff) -> IncomingDocument:
    """拟办: the office's proposal, and the leader who decides (批办)."""
    staff = _check_office(user, "拟办")
    if not proposal.strip():
        raise ValidationError({"proposal": "请填写拟办意见。"})
    if leader is None or not leader.leader_role or not leader.is_active:
        raise ValidationError({"leader": "请选择批办领导(主要领导或分管领导)。"})
    if not incoming.attachments.exists():
        raise ValidationError(f"收文「{incoming.title}」尚未上传扫描件,请先上传再拟办。")
    incoming.proposal, incoming.proposed_by, incoming.proposed_at, incoming.leader = proposal.strip(), staff, timezone.now(), leader
    _set_status(incoming, S.PROPOSED, user=user, reason=f"拟办,呈{leader.name}批办")
    return incoming


def _recipients(departments, staff) -> list:
    return [(department, None) for department in departments] + [(person.department, person) for person in staff]


@transaction.atomic
def incoming_decide(
    *, incoming: IncomingDocument, user, decision: str, read_departments=(), handle_departments=(),
    read_staff=(), handle_staff=(),
) -> list[Circulation]:
    """批办 by the leader the office named: who reads (阅知) and who handles (办理); the circulation starts."""
    staff = _staff(user)
    if incoming.leader_id != staff.pk:
        name = incoming.leader.name if incoming.leader else "指定的领导"
        raise PermissionDenied(f"该收文呈{name}批办,您不能批办。")
    if not decision.strip():
        raise ValidationError({"decision": "请填写批办意见。"})
    readers, handlers = _recipients(read_departments, read_staff), _recipients(handle_departments, handle_staff)
    if not (readers or handlers):
        raise ValidationError({"handle_departments": "请至少指定一个阅知或办理的部门或人员。"})
    both = {(d.pk, p.pk if p else None) for d, p in readers} & {(d.pk, p.pk if p else None) for d, p in handlers}
    if both:
        raise ValidationError("同一部门或人员不能既阅知又办理:办理已包含阅知。")
    today = timezone.localdate()
    due = incoming_due(incoming.urgency, today)
    incoming.decision, incoming.decided_by, incoming.decided_at, incoming.due_date = decision.strip(), staff, timezone.now(), due
    _set_status(incoming, S.CIRCULATING, user=user, reason="批办")
    created = []
    for mode, recipients in ((CirculationMode.HANDLE, handlers), (CirculationMode.READ, readers)):
        for department, person in recipients:
            circulation = Circulation(
                incoming=incoming, department=department, staff=person, mode=mode, received_on=today, due_date=due,
                sent_by=user,
            )
            circulation._history_user = user
            circulation.full_clean()
            circulation.save()
            created.append(circulation)
    return created


@transaction.atomic
def incoming_return(*, incoming: IncomingDocument, user, note: str) -> IncomingDocument:
    """The leader sends the proposal back to the office (重新拟办)."""
    staff = _staff(user)
    if incoming.leader_id != staff.pk:
        raise PermissionDenied("只有呈批的领导可以退回拟办。")
    if not note.strip():
        raise ValidationError({"note": "退回须写明意见。"})
    _set_status(incoming, S.REGISTERED, user=user, reason=f"退回重新拟办:{note}")
    return incoming


def close_if_answered(incoming: IncomingDocument, user) -> bool:
    """办结 when every recipient has confirmed reading or fed back (called by the circulation services)."""
    incoming = IncomingDocument.objects.select_for_update().get(pk=incoming.pk)
    if incoming.status != S.CIRCULATING or incoming.circulations.exclude(state=CirculationState.DONE).exists():
        return False
    incoming.closed_at = timezone.now()
    _set_status(incoming, S.DONE, user=user, reason="办结:各承办部门均已阅知或反馈")
    return True


@transaction.atomic
def circulation_confirm_read(*, circulation: Circulation, user) -> Circulation:
    """阅知: the recipient confirms having read it."""
    from .circulation import _check_recipient

    staff, acting_for = _check_recipient(circulation, user)
    if circulation.mode != CirculationMode.READ:
        raise ValidationError("该文件要求办理,请反馈办理结果。")
    if circulation.state == CirculationState.DONE:
        raise ValidationError("已确认阅知。")
    circulation.state, circulation.feedback, circulation.feedback_on = CirculationState.DONE, "已阅", timezone.localdate()
    circulation.handled_by, circulation.acting_for = staff, acting_for
    circulation._history_user, circulation._change_reason = user, "已阅"
    circulation.save()
    if circulation.incoming_id:
        close_if_answered(circulation.incoming, user)
    return circulation


@transaction.atomic
def circulation_remind(*, circulation: Circulation, user, method: str = "电话催办", note: str = "", on=None) -> CirculationReminder:
    """催办: logged with who, when, how and what was answered."""
    staff = _check_office(user, "催办")
    if circulation.state == CirculationState.DONE:
        raise ValidationError(f"{circulation.department.name}已阅知或反馈,无需催办。")
    reminder = CirculationReminder(circulation=circulation, by=staff, method=method.strip() or "电话催办", note=note, on=on or timezone.localdate())
    reminder._history_user = user
    reminder.full_clean()
    reminder.save()
    return reminder


@transaction.atomic
def incoming_archive(*, incoming: IncomingDocument, user, archive_number: str) -> IncomingDocument:
    _check_office(user, "归档")
    if not archive_number.strip():
        raise ValidationError({"archive_number": "请填写归档号。"})
    if IncomingDocument.objects.filter(archive_number=archive_number.strip()).exclude(pk=incoming.pk).exists():
        raise ValidationError({"archive_number": f"归档号「{archive_number.strip()}」已被使用。"})
    incoming.archive_number, incoming.archived_at = archive_number.strip(), timezone.now()
    _set_status(incoming, S.ARCHIVED, user=user, reason=f"归档 {incoming.archive_number}")
    return incoming


def user_is_leader(user) -> bool:
    staff = getattr(user, "staff", None)
    return staff is not None and bool(staff.leader_role)


