"""Print-ready pages of the catalog (S1.6, S1.7, S5.3): an item's service guide (办事指南), all guides of a
window, and an item's blank one-time notification checklist (一次性告知单).

The pages are A4 documents for the browser's print, without the admin chrome; ServiceItemAdmin mounts
them through `print_urls()`. Anyone who may view the catalog may print it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from staffing.models import CenterSettings, Window, WorkingHours

from . import selectors
from .models import HandlingMode, ItemStatus


def print_urls(model_admin) -> list:
    """URLs under the ServiceItem admin; they go before its `<path:object_id>/` catch-all."""
    views = PrintViews(model_admin)
    wrap = model_admin.admin_site.admin_view
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_print"
    return [
        path("print/windows/", wrap(views.windows), name=f"{prefix}_windows"),
        path("print/window/<int:window_id>/", wrap(views.window_guides), name=f"{prefix}_window"),
        path("<int:object_id>/print/guide/", wrap(views.guide), name=f"{prefix}_guide"),
        path("<int:object_id>/print/notice/", wrap(views.notice), name=f"{prefix}_notice"),
    ]


def office_hours_text(hours: WorkingHours) -> str:
    """The center's working hours, printed where an item does not state its own 办理时间."""
    return (
        f"法定工作日 上午{hours.morning_start:%H:%M}—{hours.morning_end:%H:%M},"
        f"下午{hours.afternoon_start:%H:%M}—{hours.afternoon_end:%H:%M}(法定节假日除外)"
    )


class PrintViews:
    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _check_view_permission(self, request, obj=None):
        if not self.model_admin.has_view_permission(request, obj):
            raise PermissionDenied

    def _context(self, request, **extra):
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            # S1.7: the complaint channels are site settings, printed on every guide and notice.
            "center": CenterSettings.load(),
            "default_office_hours": office_hours_text(WorkingHours.load()),
            "modes": HandlingMode,
            "statuses": ItemStatus,
            **extra,
        }

    def _item(self, request, object_id):
        self._check_view_permission(request)
        queryset = selectors.items_for_print(self.model_admin.get_queryset(request))
        item = get_object_or_404(queryset, pk=object_id)
        self._check_view_permission(request, item)
        return item

    def guide(self, request, object_id):
        """One item's guide, for the hall chosen (?hall=) among those that offer it, else the first."""
        item = self._item(request, object_id)
        halls = selectors.item_halls(item)
        chosen = request.GET.get("hall", "")
        hall = next((h for h in halls if str(h.pk) == chosen), halls[0] if halls else None)
        context = self._context(request, title=f"{item.full_name} 办事指南", item=item, hall=hall, halls=halls)
        if hall is not None and item.window is not None and item.window.hall_id != hall.pk:
            # At another hall the item is handled at that hall's windows of its department, not its own window.
            context["hall_windows"] = list(
                Window.objects.filter(hall=hall, department_id=item.department_id, is_active=True).order_by("number")
            )
        return TemplateResponse(request, "registry/print/guide.html", context)

    def notice(self, request, object_id):
        item = self._item(request, object_id)
        context = self._context(request, title=f"{item.full_name} 一次性告知单", item=item)
        return TemplateResponse(request, "registry/print/notice.html", context)

    def window_guides(self, request, window_id):
        self._check_view_permission(request)
        window = get_object_or_404(Window.objects.select_related("department", "hall"), pk=window_id)
        include_inactive = request.GET.get("all") == "1"
        items = list(
            selectors.window_items_for_print(
                window=window, include_inactive=include_inactive, queryset=self.model_admin.get_queryset(request)
            )
        )
        context = self._context(
            request,
            title=f"{window.number}号窗口 {window.name} 办事指南",
            window=window,
            hall=window.hall,
            items=items,
            include_inactive=include_inactive,
        )
        return TemplateResponse(request, "registry/print/window.html", context)

    def windows(self, request):
        self._check_view_permission(request)
        context = self._context(request, title="按窗口打印办事指南", windows=selectors.windows_for_print())
        return TemplateResponse(request, "registry/print/windows.html", context)
