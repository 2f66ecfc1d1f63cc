"""Chinese error pages in the admin's look (issue 16): 403, 404 and 500 with the reason where one
exists (e.g. 变更记录仅供督查人员和中心管理员查阅。), instead of Django's bare English pages.

The handlers are set in project/urls.py. With DEBUG on, Django answers a 404 with its technical page;
`AdminErrorPagesMiddleware` gives admin URLs the same Chinese page as production instead.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import loader
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

TITLES = {403: "无权访问", 404: "页面不存在", 500: "系统出错"}
DEFAULT_REASONS = {
    403: "您没有查看或办理此页面的权限。如需开通,请联系中心管理员。",
    404: "您要找的页面或记录不存在,或不在您的权限范围内。",
    500: "系统处理时出错,已记录在服务器日志中。请稍后重试;如仍出错,请联系中心管理员。",
}


def _reason(exception, status: int) -> str:
    """The Chinese message the code raised with; the default for the status otherwise (Django's own
    English messages, such as a resolver's, are not shown)."""
    message = ""
    if exception is not None and exception.args:
        first = exception.args[0]
        message = first if isinstance(first, str) else ""
    if not message or not any("\u4e00" <= ch <= "\u9fff" for ch in message):
        return DEFAULT_REASONS[status]
    return message


def error_page(request, status: int, exception=None):
    from django.contrib import admin

    context = {"title": f"{TITLES[status]}({status})", "status": status, "reason": _reason(exception, status)}
    try:
        context = {**admin.site.each_context(request), **context}
        response = TemplateResponse(request, "admin/error_page.html", context, status=status)
        return response.render()
    except Exception:  # noqa: BLE001 — an error page must not fail: fall back to the plain one
        logger.exception("The admin-styled error page failed; serving the plain one")
        template = loader.get_template("error_plain.html")
        from django.http import HttpResponse

        return HttpResponse(template.render(context), status=status)


def permission_denied(request, exception=None):
    return error_page(request, 403, exception)


def page_not_found(request, exception=None):
    return error_page(request, 404, exception)


def server_error(request):
    from django.http import HttpResponseServerError

    try:
        template = loader.get_template("500.html")
        return HttpResponseServerError(template.render({"title": f"{TITLES[500]}(500)", "status": 500, "reason": DEFAULT_REASONS[500]}))
    except Exception:  # noqa: BLE001
        return HttpResponseServerError("系统出错(500),请稍后重试。")


class AdminErrorPagesMiddleware:
    """With DEBUG on, admin URLs get the Chinese 403/404 pages rather than Django's technical 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and request.path.startswith("/admin/")
            and not getattr(response, "center_error_page", False)
            and "text/html" in response.get("Content-Type", "")
        ):
            return page_not_found(request, getattr(request, "_center_404", None))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and settings.DEBUG and request.path.startswith("/admin/"):
            request._center_404 = exception
            response = page_not_found(request, exception)
            response.center_error_page = True
            return response
        if isinstance(exception, PermissionDenied):
            return None  # Django's handler403 (ours) answers it in every mode
        return None
