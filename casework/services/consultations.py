"""首问登记 (S1.3, S5.1, S1.5-c): log an inquiry in seconds; turn it into a case in one step."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Case, Consultation, ConsultationOutcome
from .guards import acting_staff


@transaction.atomic
def consultation_log(
    *, user, outcome: str, item=None, asker_name: str = "", asker_phone: str = "", question: str = "",
    transferred_to=None, referred_authority: str = "", note: str = "", window=None, asked_at=None,
) -> Consultation:
    staff = acting_staff(user)
    if outcome == ConsultationOutcome.TRANSFERRED and transferred_to is None:
        raise ValidationError({"transferred_to": "移交其他窗口时须选择移交的窗口。"})
    if outcome == ConsultationOutcome.OUT_OF_SCOPE and not referred_authority.strip():
        raise ValidationError({"referred_authority": "不属中心受理范围的,须一次性告知应到哪个机关办理。"})
    if outcome == ConsultationOutcome.NOTICE_GIVEN and item is None:
        raise ValidationError({"item": "发放一次性告知单时须选择咨询的事项。"})
    consultation = Consultation(
        asker_name=asker_name,
        asker_phone=asker_phone,
        item=item,
        question=question,
        first_inquiry_staff=staff,
        department=staff.department,
        window=window or staff.window,
        outcome=outcome,
        transferred_to=transferred_to,
        referred_authority=referred_authority,
        note=note,
    )
    if asked_at is not None:  # entered after the fact
        consultation.asked_at = asked_at
    consultation._history_user = user
    consultation.full_clean()
    consultation.save()
    return consultation


def consultation_open_case(*, consultation: Consultation, user, **applicant):
    """Open a case from a consultation: item, applicant phone and first-inquiry staff carry over."""
    from .cases import case_receive

    if consultation.item is None:
        raise ValidationError("该首问登记未选择事项,不能直接转为办件。")
    if Case.objects.filter(consultation=consultation).exists():
        raise ValidationError("该首问登记已转为办件。")
    window = applicant.pop("window", None) or user.staff.window or consultation.window
    if window is None:
        raise ValidationError("请选择收件窗口。")
    applicant.setdefault("applicant_name", consultation.asker_name)
    applicant.setdefault("phone", consultation.asker_phone)
    return case_receive(item=consultation.item, window=window, user=user, consultation=consultation, **applicant)
