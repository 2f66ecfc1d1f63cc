"""Notices issued from a case: numbered, rendered from the administrator's templates, then frozen."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Template, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils import timezone

from staffing.models import CenterSettings
from staffing.working_days import add_working_days

from ..models import CaseworkSettings, Notice, NoticeCounter, NoticeKind, NoticeTemplate
from staffing.numbering import next_sequence


def notice_context(case, **extra) -> dict:
    center = CenterSettings.load()
    settings = CaseworkSettings.load()
    item = case.item
    problems = list(case.materials.filter(state__in=["missing", "unqualified"]).order_by("order"))
    collection_date = None
    if case.committed_due_date:
        collection_date = add_working_days(case.committed_due_date, settings.collection_days_after_completion)
    return {
        "case": case,
        "item": item,
        "item_name": item.full_name,
        "center": center,
        "center_name": center.name,
        "window_label": f"{case.window.number}号窗口({case.window.name})",
        "window_location": case.window.location,
        "contact": item.contact,
        "contact_phone": item.phone,
        "complaint_phone": item.complaint_phone or center.complaint_phone,
        "complaint_box": center.complaint_box,
        "problem_materials": problems,
        "missing_materials": [m for m in problems if m.state == "missing"],
        "unqualified_materials": [m for m in problems if m.state == "unqualified"],
        "collection_date": collection_date,
        "reconsideration_days": settings.reconsideration_days,
        "litigation_months": settings.litigation_months,
        "today": timezone.localdate(),
        **extra,
    }


# Notice wording is edited by administrators: only the tags that wording needs, nothing that reads
# files or dumps the context ({% include %}, {% debug %}, {% load %} …).
ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof", "now", "cycle"}


def notice_template_errors(body: str) -> list[str]:
    """Why `body` cannot serve as a notice template, in Chinese; empty when it can."""
    forbidden = sorted(
        {token.split_contents()[0] for token in Lexer(body).tokenize() if token.token_type == TokenType.BLOCK}
        - ALLOWED_TAGS
    )
    if forbidden:
        return [f"文书模板不能使用这些标签:{'、'.join(forbidden)}。可用的标签:if、for、with、firstof、now、cycle。"]
    try:
        Template(body)
    except TemplateSyntaxError as error:
        return [f"正文模板有语法错误:{error}。请检查 {{{{ }}}} 和 {{% %}} 是否成对、标签名称是否正确。"]
    return []


def render_notice_body(template: NoticeTemplate, context: dict) -> str:
    errors = notice_template_errors(template.body)
    if errors:
        raise ValidationError(f"文书模板「{template}」有误,请管理员修改:{errors[0]}")
    return Template(template.body).render(Context(context, autoescape=False)).strip()


def check_correction_repeat(case, repeat_reason: str) -> bool:
    """True when a 补正 notice was issued before; then a reason is required (it counts as a defect)."""
    is_repeat = case.notices.filter(kind=NoticeKind.CORRECTION).exists()
    if is_repeat and not repeat_reason.strip():
        raise ValidationError(
            {"repeat_reason": "该办件已出具过一次性补正告知书,再次要求补正须说明理由(将计为服务瑕疵)。"}
        )
    return is_repeat


@transaction.atomic
def notice_issue(*, case, kind: str, user=None, repeat_reason: str = "", refusal=None) -> Notice:
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
        body=render_notice_body(template, notice_context(case, refusal=refusal)),
        issued_by=user,
        repeat_reason=repeat_reason if is_repeat else "",
        is_service_defect=is_repeat,
    )
    notice._history_user = user
    notice.save()
    return notice
