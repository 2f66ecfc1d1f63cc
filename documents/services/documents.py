"""Documents (S3.6-a/b/c): draft → review → sign-off → registration and number → proofreading →
issue → archive; only the category's signer signs; numbers gap-free per category and year."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.models import Staff
from staffing.numbering import next_sequence

from ..models import (
    Document,
    DocumentCounter,
    DocumentScopeDepartment,
    DocumentScopeStaff,
    DocumentStatus,
    Secrecy,
    SignerRole,
)
from ..models.documents import format_document_number
from ..selectors import main_signer

S = DocumentStatus
OFFICE_ROLES = {roles.OFFICE_STAFF, roles.CENTER_ADMIN}


def _staff(user) -> Staff:
    staff = getattr(user, "staff", None)
    if staff is None:
        raise PermissionDenied("当前账号未关联工作人员。")
    return staff


def _move(document: Document, expected: str, new: str, user, reason: str) -> None:
    if document.status != expected:
        raise ValidationError(
            f"文件「{document.title}」当前为「{document.get_status_display()}」,不能{reason}。"
        )
    document.status = new
    document._history_user = user
    document._change_reason = reason
    document.save()


def _in_office(user) -> bool:
    return user.is_superuser or bool(staffing_selectors.user_role_names(user) & OFFICE_ROLES)


@transaction.atomic
def document_draft(
    *, user, category, title: str, summary: str = "", secrecy: str = Secrecy.NORMAL,
    scope_staff=(), scope_departments=(),
) -> Document:
    staff = _staff(user)
    if not title.strip():
        raise ValidationError({"title": "请填写文件标题。"})
    if secrecy != Secrecy.NORMAL and not (scope_staff or scope_departments):
        raise ValidationError({"secrecy": "涉密文件须指定知悉范围(人员或部门)。"})
    document = Document(
        category=category, title=title, summary=summary, secrecy=secrecy, drafter=staff,
        drafting_department=category.drafting_department or staff.department,
    )
    document._history_user = user
    document.save()
    for person in scope_staff:
        DocumentScopeStaff.objects.create(document=document, staff=person)
    for department in scope_departments:
        DocumentScopeDepartment.objects.create(document=document, department=department)
    return document


def required_attachment_kinds(category) -> list[str]:
    return [kind.strip() for kind in category.required_attachments.replace(",", ",").split(",") if kind.strip()]


def missing_attachments(document: Document) -> list[str]:
    """The attachment kinds the category requires (正文 by default) that the document lacks."""
    present = set(document.attachments.values_list("kind", flat=True))
    return [kind for kind in required_attachment_kinds(document.category) if kind not in present]


def _check_attachments(document: Document, step: str) -> None:
    missing = missing_attachments(document)
    if missing:
        raise ValidationError(f"文件「{document.title}」尚未上传{'、'.join(missing)},不能{step}。请先在附件中上传(附件类型填“{missing[0]}”)。")


def may_review(document: Document, user) -> bool:
    """Who may 核稿 is set per category: a role, or the head of the drafting department (not the drafter)."""
    from staffing.services.accountability import department_head

    staff = getattr(user, "staff", None)
    if staff is None or staff.pk == document.drafter_id:
        return False
    role = document.category.reviewer_role
    if user.is_superuser or roles.CENTER_ADMIN in staffing_selectors.user_role_names(user):
        return True  # the center administrator stands in for any reviewer
    if role == "department_head":
        head = department_head(document.drafting_department)
        return head is not None and head.pk == staff.pk
    return role in staffing_selectors.user_role_names(user)


def reviewer_description(category) -> str:
    return category.get_reviewer_role_display()


@transaction.atomic
def document_submit_for_review(*, document: Document, user) -> Document:
    if _staff(user).pk != document.drafter_id:
        raise PermissionDenied("只有拟稿人可以提交核稿。")
    _check_attachments(document, "提交核稿")
    _move(document, S.DRAFT, S.REVIEW, user, "提交核稿")
    return document


@transaction.atomic
def document_review(*, document: Document, user, approve: bool, note: str = "") -> Document:
    """核稿 by whom the category names (not the drafter): passes it on for sign-off, or returns it."""
    staff = _staff(user)
    if staff.pk != document.drafter_id and not may_review(document, user):
        raise PermissionDenied(f"「{document.category}」由{reviewer_description(document.category)}核稿,您不能核稿。")
    if staff.pk == document.drafter_id:
        raise PermissionDenied("拟稿人不能核自己的稿。")
    if document.status != S.REVIEW:
        raise ValidationError(f"文件当前为「{document.get_status_display()}」,不在核稿环节。")
    if approve:
        document.reviewed_by = staff
        document._history_user, document._change_reason = user, f"核稿通过 {note}".strip()
        document.save()
    else:
        if not note.strip():
            raise ValidationError({"note": "退回修改须写明意见。"})
        _move(document, S.REVIEW, S.DRAFT, user, f"核稿退回:{note}")
    return document


def expected_signer(document: Document) -> Staff | None:
    category = document.category
    if category.signer_role == SignerRole.DESIGNATED:
        return category.designated_signer
    if category.signer_role == SignerRole.LEADER_IN_CHARGE:
        return document.drafting_department.leader_in_charge
    return main_signer()


@transaction.atomic
def document_sign(*, document: Document, user) -> Document:
    """S3.6-a: only the role that the category names signs."""
    staff = _staff(user)
    if document.status == S.REVIEW and document.reviewed_by_id is None:
        raise ValidationError("文件尚未核稿,不能签发。")
    _check_attachments(document, "签发")
    signer = expected_signer(document)
    if signer is None:
        raise ValidationError(f"「{document.category}」尚未设置签发人,请管理员在文件类别中指定。")
    if signer.pk != staff.pk:
        raise PermissionDenied(
            f"「{document.category}」应由{document.category.get_signer_role_display()}签发({signer.name}),您不能签发。"
        )
    document.signed_by, document.signed_at = staff, timezone.now()
    _move(document, S.REVIEW, S.SIGNED, user, "签发")
    return document


@transaction.atomic
def document_register(*, document: Document, user) -> Document:
    """S3.6-c: registration gives the number, gap-free per category and year, also under concurrency."""
    if not _in_office(user):
        raise PermissionDenied("文件登记编号由办公室负责。")
    document = Document.objects.select_for_update().get(pk=document.pk)
    year = timezone.localdate().year
    sequence = next_sequence(DocumentCounter, category=document.category, year=year)
    document.year, document.sequence = year, sequence
    document.number = format_document_number(document.category.number_pattern, year=year, sequence=sequence)
    document.registered_at = timezone.now()
    _move(document, S.SIGNED, S.REGISTERED, user, f"登记编号 {document.number}")
    return document


@transaction.atomic
def document_proofread(*, document: Document, user) -> Document:
    if _staff(user).pk != document.drafter_id:
        raise PermissionDenied("校对由拟稿人负责。")
    _move(document, S.REGISTERED, S.PROOFREAD, user, "校对")
    return document


@transaction.atomic
def document_issue(*, document: Document, user) -> Document:
    if not _in_office(user):
        raise PermissionDenied("印发由办公室负责。")
    document.issued_at = timezone.now()
    _move(document, S.PROOFREAD, S.ISSUED, user, "印发")
    return document


@transaction.atomic
def document_archive(*, document: Document, user) -> Document:
    """归档 keeps the signed original: it must be attached first."""
    if not _in_office(user):
        raise PermissionDenied("归档由办公室负责。")
    if not document.attachments.filter(is_signed_original=True).exists():
        raise ValidationError("归档前须上传签发原件。")
    document.archived_at = timezone.now()
    _move(document, S.ISSUED, S.ARCHIVED, user, "归档")
    return document
