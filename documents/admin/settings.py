"""文件类别 (who drafts, who signs, the numbering pattern) and the 公文与督办设置 control panel."""

from django.contrib import admin

from staffing.admin.base import HistoryAdmin, register_control_panel

from ..forms import DocumentCategoryForm
from ..models import DocumentCategory, DocumentsSettings


@admin.register(DocumentCategory)
class DocumentCategoryAdmin(HistoryAdmin):
    form = DocumentCategoryForm
    list_display = ["name", "drafting_department", "signer_role", "designated_signer", "number_pattern", "needs_handling", "is_active"]
    list_select_related = ["drafting_department", "designated_signer"]
    allow_revert = True
    actions = None

    def has_delete_permission(self, request, obj=None):
        # A category in use is part of its documents' numbers; retire it with 在用 instead.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.documents.exists())


register_control_panel(DocumentsSettings)
