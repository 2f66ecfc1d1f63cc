"""Notices issued from a case: numbered, rendered from the administrator's templates, then frozen."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from staffing.numbering import next_sequence

from ..models import Notice, NoticeCounter, NoticeKind, NoticeTemplate
from .notice_templates import notice_context, render_notice_body


def check_correction_repeat(case, repeat_reason: str) -> bool:
    """True when a 补正 notice was issued before; then a reason is required (it counts as a defect)."""
    is_repeat = case.notices.filter(kind=NoticeKind.CORRECTION).exists()
    if is_repeat and not repeat_reason.strip():
        raise ValidationError(
            {"repeat_reason": "该办件已出具过一次性补正告知书,再次要求补正须说明理由(将计为服务瑕疵)。"}
        )
    return is_repeat


@transaction.atomic
def notice_issue(*, case, kind: str, user=None, repeat_reason: str = "", refusal=None, extension=None) -> Notice:
    """Number and issue a notice of `kind` for `case`; a second 补正 notice needs a reason and is a defect."""
    template = NoticeTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise ValidationError(f"尚未设置「{NoticeKind(kind).label}」的文书模板,请管理员在“文书模板”中添加。")
    is_repeat = kind == NoticeKind.CORRECTION and check_correction_repeat(case, repeat_reason)
    year = timezone.localdate().year
    sequence = next_sequence(NoticeCounter, kind=kind, year=year)
    notice = Notice(
        case=case,
        kind=kind,
        number=f"{template.number_prefix}〔{year}〕{sequence}号",
        title=template.title,
        body=render_notice_body(template, notice_context(case, refusal=refusal, extension=extension)),
        issued_by=user,
        repeat_reason=repeat_reason if is_repeat else "",
        is_service_defect=is_repeat,
    )
    notice._history_user = user
    notice.save()
    return notice
