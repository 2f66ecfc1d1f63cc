"""The history timeline for inspectors (issue 10): filters, keyset pages, Excel export, as-of view."""

import datetime
import io

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_date

from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.models import Department

from . import history

PAGE_SIZE = 50


REVIEWER_ONLY = "变更记录仅供督查人员和中心管理员查阅。"


def is_reviewer(user) -> bool:
    """Inspectors and center administrators (and superusers) read the timeline."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(staffing_selectors.user_role_names(user) & {roles.INSPECTOR, roles.CENTER_ADMIN})


def check_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied(REVIEWER_ONLY)


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


# Business keys an inspector knows: (model, field, what it is called).
BUSINESS_KEYS = [
    ("casework.Case", "number", "办件编号"),
    ("casework.Notice", "number", "文书文号"),
    ("documents.Document", "number", "文件文号"),
    ("registry.ServiceItem", "code", "事项编码"),
    ("staffing.Staff", "badge_no", "工号"),
]


def resolve_key(key: str, user) -> dict:
    """{model label: [ids]} of the records (deleted ones included) whose business key is `key`."""
    from django.apps import apps

    found = {}
    restrictions = history.secrecy_restrictions(user)
    for label, field, _ in BUSINESS_KEYS:
        model = apps.get_model(label)
        rows = model.history.filter(**{f"{field}__iexact": key})
        if restrictions.get(label) is not None:
            rows = rows.filter(restrictions[label])
        ids = sorted(set(rows.values_list("id", flat=True)[:50]))
        if ids:
            found[label] = ids
    return found


def filters_from(request) -> history.Filters:
    return filters_from_query(request.GET, request.user)


def filters_from_query(get, user) -> history.Filters:
    """The filters of a timeline query string (the page's, the export link's), for `user`."""
    key = get.get("key", "").strip()[:60]
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
        include_sign_ins=get.get("sign_ins") == "1",
        keyed=resolve_key(key, user) if key else None,
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


def may_read(user, filters) -> bool:
    return (filters.user_id is not None and filters.user_id == user.pk) or _is_reviewer(user)


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
            masker = history.Masker(history.hidden_titles(request.user))
            fields = [(label, masker(value)) for label, value in _version_fields(model, version)]
            as_of = {"date": history.chinese_date(moment.date()), "version": version, "fields": fields, "record": masker(_record_name(model, version))}
    context = {
        **admin.site.each_context(request),
        "title": "我的已办" if own_history(request, filters) else "变更记录",
        "key_labels": "、".join(label for _, _, label in BUSINESS_KEYS),
        "entries": entries,
        "filters": filters,
        "params": request.GET,
        "next_query": next_query,
        "kinds": history.KIND_LABELS,
        "models": history.model_choices(),
        "apps": [(label, label) for label in history.PROJECT_APPS],
        "departments": Department.objects.order_by("kind", "sort_order", "name"),
        "users": _user_options(request),
        "as_of": as_of,
        "key_missing": filters.keyed == {},
    }
    return TemplateResponse(request, "admin/history_timeline.html", context)


def _user_options(request) -> list[tuple[str, str]]:
    """(pk, 姓名(部门)) of the people the 操作人 filter offers: built here, as the template would
    take a dozen variable look-ups for each of some hundreds of users."""
    users = get_user_model().objects.filter(is_staff=True, **({} if _is_reviewer(request.user) else {"pk": request.user.pk}))
    options = []
    for user in users.select_related("staff__department").order_by("username"):
        staff = getattr(user, "staff", None)
        if staff is not None:
            label = f"{staff.name}({staff.department.name})" if staff.department_id else staff.name
        else:
            label = user.get_full_name() or user.username
        options.append((str(user.pk), label))
    return options


def _record_name(model, version):
    if version is None:
        return ""
    try:
        return f"{model._meta.verbose_name}:{version.instance}"
    except Exception:  # noqa: BLE001 — a related row the name needs may be gone
        return str(model._meta.verbose_name)


def _version_fields(model, version):
    """(label, value) of every field of the record as it stood: related records by their name at
    that moment where their history has it."""
    if version is None:
        return []
    fields = history._fields(model)
    names = {}
    wanted: dict = {}
    for field in fields:
        value = getattr(version, field.attname, None)
        if field.is_relation and value is not None:
            related_history = getattr(field.related_model, "history", None)
            then = related_history.filter(id=value, history_date__lte=version.history_date).order_by("-history_date", "-history_id").first() if related_history is not None else None
            if then is not None and then.history_type != "-":
                try:
                    names[(field.related_model, value)] = str(then.instance)
                    continue
                except Exception:  # noqa: BLE001
                    pass
            wanted.setdefault(field.related_model, set()).add(value)
    names.update(history.related_names_for(wanted))
    return [(str(field.verbose_name), history.display_value(field, getattr(version, field.attname, None), names)) for field in fields]


def timeline_export(request):
    """The filtered timeline as Excel (history_export.py): at once, or above 后台任务设置's export
    size as a background job whose progress page the user is sent to."""
    from staffing import background
    from staffing.models import JobKind

    from .history_export import MAX_ROWS, write_timeline_workbook
    from .tasks import timeline_export_task

    filters = filters_from(request)
    check_may_read(request, filters)
    visible = history.secrecy_restrictions(request.user)
    file_name = f"history-{timezone.localdate():%Y%m%d}.xlsx"
    changes = history.timeline_count(filters, at_most=MAX_ROWS, visible=visible)
    if background.runs_in_background("export", changes):
        job = background.job_create(
            kind=JobKind.TIMELINE_EXPORT, user=request.user, file_name=file_name, total=changes,
            params={"query": request.GET.urlencode()},
        )  # fmt: skip
        background.job_enqueue(job, timeline_export_task)
        return redirect("admin:staffing_backgroundjob_progress", job.pk)
    buffer = io.BytesIO()
    write_timeline_workbook(filters, buffer, visible=visible)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _summary_period(request):
    today = timezone.localdate()
    start = _day_start(request.GET, "start", "开始日期") or timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time.min))
    end = _day_start(request.GET, "end", "结束日期") or timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    if end < start:
        raise BadRequest("「结束日期」不能早于「开始日期」。")
    return start, end + datetime.timedelta(days=1)


def summary_view(request):
    """督查汇总: a period's changes by department, user and record type; deletions, reverts and the
    changes to the rules (due dates, limits, notice templates, approval rules, the calendar)."""
    from . import inspection

    check_reviewer(request.user)
    start, end = _summary_period(request)
    summary = inspection.summary(start, end, user=request.user)
    context = {
        **admin.site.each_context(request),
        "title": "督查汇总",
        "summary": summary,
        "limit": inspection.LIMIT,
        "lists": [
            ("删除与恢复历史版本", summary.removals, "本期没有删除或恢复历史版本的操作。"),
            ("规则与期限的变更(办结期限、时限、文书模板、审批规则、工作日历、设置)", summary.rule_changes, "本期规则与期限没有变更。"),
        ],
        "start": timezone.localtime(start).date(),
        "end": (timezone.localtime(end) - datetime.timedelta(days=1)).date(),
        "params": request.GET,
    }
    return TemplateResponse(request, "admin/history_summary.html", context)


def summary_export(request):
    from . import inspection

    check_reviewer(request.user)
    start, end = _summary_period(request)
    content = inspection.summary_workbook(inspection.summary(start, end, user=request.user), start, end)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="inspection-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
