"""The history timeline for inspectors (issue 10): filters, keyset pages, Excel export, as-of view."""

import datetime
import io

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_date

from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.models import Department

from . import history

PAGE_SIZE = 50


def check_reviewer(user):
    if not (user.is_superuser or staffing_selectors.user_role_names(user) & {roles.INSPECTOR, roles.CENTER_ADMIN}):
        raise PermissionDenied("变更记录仅供督查人员和中心管理员查阅。")


# The largest id a database row can have (a 64-bit integer): a longer number names no record.
MAX_ID = 2**63 - 1


def _day_start(get, name: str, label: str):
    """The start of the day in parameter `name` (年-月-日), None if absent; a 400 naming it if invalid."""
    value = get.get(name, "").strip()
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None or not 1 < day.year < 9999:  # the day before and the day after must exist too
        raise BadRequest(f"「{label}」的值「{value}」不是有效的日期,请按“年-月-日”填写,如 2026-01-31。")
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _id(get, name: str, label: str) -> int | None:
    value = get.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > MAX_ID:
        raise BadRequest(f"「{label}」的值「{value}」不是有效的编号。")
    return int(value)


def filters_from(request) -> history.Filters:
    get = request.GET
    end = _day_start(get, "end", "结束日期")
    model_label = get.get("model", "")
    if model_label and model_label not in dict(history.model_choices()):
        raise BadRequest(f"「记录类型」的值「{model_label}」不是有变更记录的记录类型。")
    return history.Filters(
        start=_day_start(get, "start", "开始日期"),
        end=end + datetime.timedelta(days=1) if end else None,
        user_id=_id(get, "user", "操作人"),
        department_id=_id(get, "department", "部门"),
        app_label=get.get("app", ""),
        model_label=model_label,
        kind=get.get("kind", "") if get.get("kind") in history.KIND_LABELS else "",
        text=get.get("q", "").strip(),
        object_id=_id(get, "object", "记录编号"),
    )


def _is_reviewer(user) -> bool:
    try:
        check_reviewer(user)
    except PermissionDenied:
        return False
    return True


def own_history(request, filters) -> bool:
    """Everyone reads their own changes (我的已办 links here); the whole timeline is for reviewers."""
    return filters.user_id is not None and filters.user_id == request.user.pk


def check_may_read(request, filters) -> None:
    if not own_history(request, filters):
        check_reviewer(request.user)


def timeline_view(request):
    filters = filters_from(request)
    check_may_read(request, filters)
    before = history.Cursor.parse(request.GET.get("before", ""))
    entries = history.timeline_page(filters, before=before, size=PAGE_SIZE, visible=history.secrecy_restrictions(request.user))
    query = request.GET.copy()
    query.pop("before", None)
    next_query = None
    if len(entries) == PAGE_SIZE:
        query["before"] = str(entries[-1].cursor)
        next_query = query.urlencode()
    as_of = None
    if filters.model_label and filters.object_id and request.GET.get("as_of"):
        from django.apps import apps

        moment = _day_start(request.GET, "as_of", "查看日期")
        if moment:
            model = apps.get_model(filters.model_label)
            restriction = history.secrecy_restrictions(request.user).get(filters.model_label)
            version = history.version_as_of(model, filters.object_id, moment + datetime.timedelta(days=1))
            if version is not None and restriction is not None and not model.history.filter(restriction, history_id=version.history_id).exists():
                raise Http404
            as_of = {"date": request.GET["as_of"], "version": version, "fields": _version_fields(model, version)}
    context = {
        **admin.site.each_context(request),
        "title": "我的已办" if own_history(request, filters) else "变更记录(全部)",
        "entries": entries,
        "filters": filters,
        "params": request.GET,
        "next_query": next_query,
        "kinds": history.KIND_LABELS,
        "models": history.model_choices(),
        "apps": [(label, label) for label in history.PROJECT_APPS],
        "departments": Department.objects.order_by("kind", "sort_order", "name"),
        "users": get_user_model().objects.filter(is_staff=True, **({} if _is_reviewer(request.user) else {"pk": request.user.pk})).select_related("staff").order_by("username"),
        "as_of": as_of,
    }
    return TemplateResponse(request, "admin/history_timeline.html", context)


def _version_fields(model, version):
    if version is None:
        return []
    return [(str(field.verbose_name), history.display_value(field, getattr(version, field.attname, None), {})) for field in history._fields(model)]


def timeline_export(request):
    """The filtered timeline as Excel: one row per changed field (who, when, record, field, old, new)."""
    from openpyxl import Workbook

    from staffing.excel import excel_row

    filters = filters_from(request)
    check_may_read(request, filters)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "变更记录"
    sheet.append(excel_row(["时间", "操作人", "部门", "变更类型", "记录", "字段", "原值", "新值", "说明"]))
    before, rows = None, 0
    visible = history.secrecy_restrictions(request.user)
    while rows < 20000:
        entries = history.timeline_page(filters, before=before, size=500, visible=visible)
        for entry in entries:
            who = entry.user
            staff = getattr(who, "staff", None) if who else None
            base = [
                timezone.localtime(entry.when).strftime("%Y-%m-%d %H:%M:%S"),
                (staff.name if staff else who.get_username()) if who else "系统",
                staff.department.name if staff else "",
                entry.kind,
                entry.record_label,
            ]
            for change in entry.changes or [history.Change("", "", "", "")]:
                sheet.append(excel_row(base + [change.label, change.old, change.new, entry.reason]))
                rows += 1
        if len(entries) < 500:
            break
        before = entries[-1].cursor
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="history-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
