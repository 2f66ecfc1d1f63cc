"""督查汇总 (issue 16): what changed in a period, for an inspector.

- the number of changes by department, by user and by record type: one query over every history
  table (a GROUP BY per table, UNION ALL), whatever the number of rows;
- every deletion and every revert (恢复到历史版本), newest first;
- every change to the rules: a case's due date, a limit, a notice template, an approval rule, the
  calendar and the settings panels.

Sign-ins are not changes and are left out; secret titles are masked as on the timeline.
"""

import dataclasses
import io

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from . import history

LIMIT = 500  # rows listed per section; the counts are always complete
REVERT_PREFIX = "恢复到历史版本"
# Record types whose every change is a change to the rules the center works by.
RULE_MODELS = [
    "casework.CaseworkSettings", "casework.NoticeTemplate", "documents.DocumentsSettings", "meetings.MeetingsSettings",
    "project.SecuritySettings", "registry.ServiceItem", "staffing.ApprovalRule", "staffing.CalendarDay",
    "staffing.CenterSettings",
]  # fmt: skip
# Fields whose change counts as a change to a limit or a due date, per record type.
LIMIT_FIELDS = {
    "registry.ServiceItem": ["statutory_limit_days", "committed_limit_days"],
    "casework.Case": ["committed_due_date", "statutory_due_date", "acceptance_deadline"],
}


@dataclasses.dataclass
class Summary:
    total: int
    by_department: list  # (department name, count)
    by_user: list  # (user label, count)
    by_type: list  # (record type, count)
    removals: list  # timeline entries: deletions and reverts
    rule_changes: list  # timeline entries


def _counts(start, end) -> list[tuple[int, int | None, int]]:
    """(table, user id, count) of the changes in [start, end) in every history table but sign-ins."""
    moment = connection.ops.adapt_datetimefield_value
    parts, params = [], []
    for table, (model, history_model) in enumerate(history.tracked_models()):
        if model._meta.label == history.SIGN_INS:
            continue
        db_table = connection.ops.quote_name(history_model._meta.db_table)
        parts.append(f"SELECT {table} AS t, history_user_id AS u, COUNT(*) AS n FROM {db_table} WHERE history_date >= %s AND history_date < %s GROUP BY history_user_id")
        params += [moment(start), moment(end)]
    with connection.cursor() as db:
        db.execute(" UNION ALL ".join(parts), params)
        return db.fetchall()


def _rule_entries(start, end, visible):
    """Changes to the rules, newest first: every change of the RULE_MODELS and the changes of a
    due date or a limit of the LIMIT_FIELDS models."""
    from django.apps import apps

    filters = history.Filters(start=start, end=end)
    entries = []
    for label in RULE_MODELS:
        filters.model_label = label
        entries += [e for e in history.timeline_page(filters, size=LIMIT, visible=visible) if e.changes or e.kind == "删除"]
    for label, fields in LIMIT_FIELDS.items():
        model = apps.get_model(label)
        rows = model.history.filter(history_date__gte=start, history_date__lt=end, history_type="~")
        changed = Q()
        for name in fields:
            previous = model.history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id").values(name)[:1]
            rows = rows.annotate(**{f"was_{name}": Subquery(previous)})
            changed |= ~Q(**{f"was_{name}": F(name)}) | Q(**{f"was_{name}__isnull": True}, **{f"{name}__isnull": False})
        ids = list(rows.filter(changed).order_by("-history_date").values_list("history_id", flat=True)[:LIMIT])
        if ids and label not in RULE_MODELS:
            table = next(n for n, (m, _) in enumerate(history.tracked_models()) if m._meta.label == label)
            entries += history.entries_for(table, ids, visible=visible)
    for entry in entries:
        if entry.model._meta.label in LIMIT_FIELDS:
            entry.changes = [c for c in entry.changes if c.field in LIMIT_FIELDS[entry.model._meta.label]] or entry.changes
    entries.sort(key=lambda e: (e.when, e.row.history_id), reverse=True)
    return entries[:LIMIT]


def summary(start, end, *, user) -> Summary:
    visible = history.secrecy_restrictions(user)
    counts = _counts(start, end)
    models = history.tracked_models()
    user_ids = {u for _, u, _ in counts if u is not None}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids).select_related("staff__department")}
    by_user, by_department, by_type = {}, {}, {}
    total = 0
    for table, user_id, n in counts:
        total += n
        who = users.get(user_id)
        by_user[history.user_label(who)] = by_user.get(history.user_label(who), 0) + n
        staff = getattr(who, "staff", None) if who else None
        department = staff.department.name if staff and staff.department_id else ("系统" if who is None else "未分配部门")
        by_department[department] = by_department.get(department, 0) + n
        model = models[table][0]
        by_type[str(model._meta.verbose_name)] = by_type.get(str(model._meta.verbose_name), 0) + n

    def ranked(counter):
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    deletions = history.timeline_page(history.Filters(start=start, end=end, kind="-"), size=LIMIT, visible=visible)
    reverts = history.timeline_page(history.Filters(start=start, end=end, reason_prefix=REVERT_PREFIX), size=LIMIT, visible=visible)
    removals = sorted(deletions + reverts, key=lambda e: (e.when, e.row.history_id), reverse=True)[:LIMIT]
    return Summary(
        total=total, by_department=ranked(by_department), by_user=ranked(by_user), by_type=ranked(by_type),
        removals=removals, rule_changes=_rule_entries(start, end, visible),
    )


def summary_workbook(result: Summary, start, end) -> bytes:
    from openpyxl import Workbook

    from staffing.excel import excel_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "变更统计"
    period = f"{history.chinese_date(timezone.localtime(start).date())}至{history.chinese_date((timezone.localtime(end) - timezone.timedelta(days=1)).date())}"
    sheet.append(excel_row([f"督查汇总 {period}", f"变更共 {result.total} 次"]))
    for title, rows in (("按部门", result.by_department), ("按操作人", result.by_user), ("按记录类型", result.by_type)):
        sheet.append([])
        sheet.append(excel_row([title, "变更次数"]))
        for name, n in rows:
            sheet.append(excel_row([name, n]))
    for title, entries in (("删除与恢复", result.removals), ("规则与期限变更", result.rule_changes)):
        ws = workbook.create_sheet(title)
        ws.append(excel_row(["时间", "操作人", "变更类型", "记录", "字段", "原值", "新值", "变更原因"]))
        for entry in entries:
            base = [history.chinese_date(entry.when) + timezone.localtime(entry.when).strftime(":%S"), entry.user_label, entry.kind, entry.record_label]
            for change in entry.changes or [history.Change("", "", "", "")]:
                ws.append(excel_row(base + [change.label, change.old, change.new, entry.reason]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
