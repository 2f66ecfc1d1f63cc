"""Ratings from the province's unified rating system (R1.6): its export workbook, matched to cases by
number. Every row is checked first; any bad or unmatched row is reported by row, field and value and
nothing is imported. A re-import changes nothing: a row whose case already has that channel's rating
with the same content is counted as unchanged.

Columns: 办件编号, 评价等级, 评价渠道, 评价时间, 评价内容, 是否实名 (a title row above the header is allowed).
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from casework.models import Case
from staffing import spreadsheet

from ..models import Rating, RatingChannel, RatingLevel
from .ratings import rating_record

COLUMNS = ("办件编号", "评价等级", "评价渠道", "评价时间", "评价内容", "是否实名")
REQUIRED = ("办件编号", "评价等级", "评价渠道", "评价时间")
LEVELS = {label: value for value, label in RatingLevel.choices}
CHANNELS = {label: value for value, label in RatingChannel.choices}
# The province's own names for its channels.
CHANNELS.update({"评价器": RatingChannel.PAD, "窗口": RatingChannel.PAD, "网上评价": RatingChannel.ONLINE, "电话": RatingChannel.PHONE})
YES, NO = ("是", "实名", "Y", "1"), ("否", "匿名", "N", "0", "")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
MAX_ERRORS = 100
HEADER_SCAN_ROWS = 5
PROGRESS_EVERY = 500  # rows between two progress reports of a background job


@dataclasses.dataclass
class RatingRow:
    row: int
    case: Case
    level: int
    channel: str
    rated_at: datetime.datetime
    content: str
    real_name: bool

    @property
    def level_label(self):
        return RatingLevel(self.level).label

    @property
    def channel_label(self):
        return RatingChannel(self.channel).label


@dataclasses.dataclass
class RatingPlan:
    file_name: str
    new: list = dataclasses.field(default_factory=list)
    unchanged: int = 0
    errors: list = dataclasses.field(default_factory=list)
    more_errors: int = 0
    imported: int = 0
    rows_read: int = 0  # data rows below the header: their number decides whether a job imports them

    @property
    def ok(self) -> bool:
        return not self.errors and not self.more_errors

    def error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        else:
            self.more_errors += 1

    @property
    def bad_count(self):
        return len([row for row in self.new if row.level <= RatingLevel.DISSATISFIED])

    @property
    def summary(self) -> str:
        return f"新增评价 {self.imported or len(self.new)} 条(其中差评 {self.bad_count} 条,已开立差评工单),未变化 {self.unchanged} 条"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _time(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(0))
    else:
        text = _text(value)
        for layout in TIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, layout)
                break
            except ValueError:
                continue
        else:
            raise ValueError
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _header_row(rows):
    for index, (number, values) in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = [_text(value) for value in values]
        if "办件编号" in names:
            return index, number, names
    return None, None, None


def ratings_plan(source, *, file_name: str, progress=None) -> RatingPlan:
    """Read and check the workbook; nothing is written. `progress(message, read=, checked=)`, when
    given (a background job), is told once the sheet is read and every PROGRESS_EVERY rows."""
    progress = progress or (lambda *args, **kwargs: None)
    plan = RatingPlan(file_name=file_name)
    try:
        book = spreadsheet.open_workbook(source, file_name)
        try:
            sheet = spreadsheet.read_sheet(book, book.sheetnames[0], limit=spreadsheet.row_limit("ratings"))
        finally:
            book.close()
    except spreadsheet.WorkbookError as error:
        plan.error(str(error))
        return plan
    index, header_number, names = _header_row(sheet.rows)
    if index is None:
        plan.error(f"未找到表头:前{HEADER_SCAN_ROWS}行中应有「办件编号」列,表头应为:{'、'.join(COLUMNS)}。")
        return plan
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        plan.error(f"表头(第{header_number}行)缺少列:{'、'.join(missing)}。应有的列:{'、'.join(COLUMNS)}。")
        return plan
    position = {name: names.index(name) for name in COLUMNS if name in names}
    data = sheet.rows[index + 1 :]
    plan.rows_read = len(data)
    progress(f"已读取 {len(data)} 行,正在校验…", read=len(data))
    numbers = {_text(values[position["办件编号"]]) for _, values in data if position["办件编号"] < len(values)}
    cases = {case.number: case for case in Case.objects.filter(number__in=numbers - {""}).select_related("department", "window")}
    existing = {
        (rating.case_id, rating.channel): rating
        for rating in Rating.objects.filter(case__number__in=list(cases)).only("case_id", "channel", "level", "content", "real_name", "rated_at")
    }
    seen = {}
    for checked, (number, values) in enumerate(data):
        if checked and checked % PROGRESS_EVERY == 0:
            progress(f"已校验 {checked} 行…", checked=checked)
        cell = lambda name: values[position[name]] if name in position and position[name] < len(values) else None  # noqa: E731
        where = f"第{number}行"
        problems = []
        if any(isinstance(value, spreadsheet.Formula) for value in values):
            plan.error(f"{where}有公式单元格,文件中没有保存它的计算结果:请填写数值或文字后再导入。")
            continue
        case_number = _text(cell("办件编号"))
        case = cases.get(case_number)
        if not case_number:
            problems.append("「办件编号」为空")
        elif case is None:
            problems.append(f"「办件编号」的值「{case_number}」在本系统中找不到对应的办件")
        level_text = _text(cell("评价等级"))
        level = LEVELS.get(level_text)
        if level is None:
            problems.append(f"「评价等级」的值「{level_text}」无效,应为:{'、'.join(LEVELS)}")
        channel_text = _text(cell("评价渠道"))
        channel = CHANNELS.get(channel_text)
        if channel is None:
            problems.append(f"「评价渠道」的值「{channel_text}」无效,应为:{'、'.join(RatingChannel.labels)}")
        try:
            rated_at = _time(cell("评价时间"))
        except ValueError:
            rated_at = None
            problems.append(f"「评价时间」的值「{_text(cell('评价时间'))}」不是日期时间,应写作 2026-11-03 15:20")
        else:
            if rated_at > timezone.now():
                problems.append(f"「评价时间」的值「{timezone.localtime(rated_at):%Y-%m-%d %H:%M}」晚于现在")
        real_text = _text(cell("是否实名"))
        if real_text not in YES + NO:
            problems.append(f"「是否实名」的值「{real_text}」无效,应为:是、否")
        content = _text(cell("评价内容"))
        if len(content) > 2000:
            problems.append(f"「评价内容」超过2000字(共{len(content)}字)")
        if problems:
            plan.error(f"{where}:{';'.join(problems)}。")
            continue
        key = (case.pk, channel)
        if key in seen:
            plan.error(f"{where}:办件{case_number}的「{channel_text}」评价与第{seen[key]}行重复,每个办件每个渠道只能评价一次。")
            continue
        seen[key] = number
        row = RatingRow(number, case, level, channel, rated_at, content, real_text in YES)
        stored = existing.get(key)
        if stored is None:
            plan.new.append(row)
        elif (stored.level, stored.content, stored.real_name) == (row.level, row.content, row.real_name):
            plan.unchanged += 1
        else:
            plan.error(
                f"{where}:办件{case_number}已有「{channel_text}」评价(「{stored.get_level_display()}」),"
                f"与本行「{level_text}」不同;评价一经提交不能更改,如有误请通过差评申诉复核处理。"
            )
    if not data:
        plan.error("工作表中没有评价数据。")
    progress(f"已校验 {len(data)} 行。", checked=len(data))
    return plan


def ratings_import(source, *, file_name: str, user, progress=None) -> RatingPlan:
    """Check, then import every new row in one transaction (all or nothing).

    In the request the checks run inside that transaction. A background job (`progress` given) checks
    first, so that its progress is committed as it is told, then writes in one transaction: a rating
    recorded meanwhile for a checked row makes `rating_record` refuse, and nothing is written.
    """
    if progress is None:
        with transaction.atomic():
            plan = ratings_plan(source, file_name=file_name)
            _write(plan, user)
        return plan
    plan = ratings_plan(source, file_name=file_name, progress=progress)
    if plan.ok:
        progress("正在写入评价并开立差评工单…", writing=True)
        with transaction.atomic():
            _write(plan, user)
        progress(f"已写入:{plan.summary}。", written=plan.imported)
    return plan


def _write(plan: RatingPlan, user) -> None:
    if not plan.ok:
        return
    for row in plan.new:
        rating_record(
            case=row.case, channel=row.channel, level=row.level, user=user, content=row.content,
            real_name=row.real_name, rated_at=row.rated_at,
        )
    plan.imported = len(plan.new)
