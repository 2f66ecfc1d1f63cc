"""Printable A4 pages of documents and supervision items, for the browser's print, without admin chrome.

The admins check visibility first (a secret document outside the scope is "not found", a supervision
item of another department too) and then hand the record to these functions.
"""

from django.template.response import TemplateResponse
from django.utils import timezone

from staffing.models import CenterSettings

from .models import SupervisionSource

SOURCE_SENTENCES = {
    SupervisionSource.INSTRUCTION: "根据领导批示精神,",
    SupervisionSource.MEETING: "根据会议决定,",
    SupervisionSource.DOCUMENT: "根据文件要求,",
    SupervisionSource.ANNUAL_TARGET: "根据年度目标任务安排,",
    SupervisionSource.KEY_TASK: "根据重点工作安排,",
}


def _context(model_admin, request, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "center": CenterSettings.load(),
        "printed_at": timezone.localtime(),
        **extra,
    }


def document_sheet(model_admin, request, document, circulation_state):
    """文件处理笺: the registration data, the sign-off trail and the recipients with their answers."""
    circulations = document.circulations.select_related("department", "staff", "handled_by").order_by("pk")
    context = _context(
        model_admin, request, f"文件处理笺 {document.number or document.title}",
        document=document,
        circulations=[(c, circulation_state(c)[1]) for c in circulations],
        attachments=document.attachments.order_by("pk"),
    )
    return TemplateResponse(request, "documents/print/document.html", context)


def _item_context(model_admin, request, item, title):
    return _context(
        model_admin, request, f"{title} {item.title}",
        item=item,
        source_sentence=SOURCE_SENTENCES.get(item.source, ""),
        reminders=item.reminders.select_related("by").order_by("on", "pk"),
    )


def supervision_letter(model_admin, request, item):
    """督办函: addressed to the undertaking section, with the content, the instruction and the deadline."""
    return TemplateResponse(request, "documents/print/supervision_letter.html", _item_context(model_admin, request, item, "督办函"))


def supervision_notice(model_admin, request, item):
    """督促检查事项通知单: the item as a form, with the reminder log and room for the answer."""
    return TemplateResponse(
        request, "documents/print/supervision_notice.html", _item_context(model_admin, request, item, "督促检查事项通知单")
    )
