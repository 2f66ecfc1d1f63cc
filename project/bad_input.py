"""Junk in a link gets a 400 page in Chinese, not a server error (issue 21).

Every admin view (the ModelAdmins' pages, their own views, the site's views) goes through
CenterAdminSite.admin_view, which wraps it with `reject_bad_input`. Our views say what is wrong by
raising BadRequest with a Chinese message naming the parameter and its value. Anything else that a
GET with junk parameters makes the code raise while reading them (a date that does not exist, a
20-digit id that overflows the database integer, an unknown model) becomes the same 400 naming the
parameters, and is logged: a GET without parameters that raises is a bug, and stays a 500.
"""

import functools
import logging

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, FieldError, ValidationError
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

# What reading a junk parameter raises: int()/date() on text, ids past 64 bits (SQLite), a model
# label that names no model (LookupError), a field or lookup that does not exist, and a filter the
# admin's ChangeList refuses outside its own list page (import-export's export builds one).
BAD_INPUT = (ValueError, OverflowError, ValidationError, LookupError, FieldError, IncorrectLookupParameters)


def _junk_in(request) -> bool:
    return request.method in ("GET", "HEAD") and bool(request.GET)


def _described(request) -> str:
    shown = [f"{name}={value[:40]}" for name, value in list(request.GET.items())[:6]]
    return "、".join(shown) + ("……" if len(request.GET) > 6 else "")


def bad_request_page(request, message: str, admin_site):
    context = {**admin_site.each_context(request), "title": "请求参数无效", "message": message}
    response = TemplateResponse(request, "admin/bad_request.html", context, status=400)
    return response.render()


def reject_bad_input(view, admin_site):
    @functools.wraps(view)
    def inner(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
            # A page's querysets run when it is rendered: render here, where junk can still be answered.
            if getattr(response, "is_rendered", True) is False:
                response.render()
            return response
        except BadRequest as error:
            return bad_request_page(request, str(error) or "请求参数无效。", admin_site)
        except OverflowError:
            logger.warning("Number out of range in %s", request.get_full_path(), exc_info=True)
            return bad_request_page(request, "链接中的编号超出范围,没有这样的记录。", admin_site)
        except BAD_INPUT:
            if not _junk_in(request):
                raise
            logger.warning("Junk parameters in %s", request.get_full_path(), exc_info=True)
            return bad_request_page(request, f"链接中的参数无效:{_described(request)}。", admin_site)

    return inner
