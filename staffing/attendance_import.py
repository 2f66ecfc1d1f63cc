"""Reading the fingerprint clock's export (S1.10-a): an Excel (.xlsx) or CSV file of badge numbers and times.

The clock software writes one punch a row, either as 工号 + 打卡时间, or as 工号 + 日期 + 时间 (some
write every time of the day in the one 时间 cell, separated by spaces). A title row above the header is
allowed. The result feeds `services.punches_import`: rows of (row number, badge number, aware time),
row numbers as the spreadsheet shows them. A cell that cannot be read is reported by row, column and
value, in Chinese; the admin imports nothing until the file reads cleanly.
"""

import csv
import dataclasses
import datetime
import io
import re

from django.utils import timezone

from . import spreadsheet

BADGE_HEADERS = ("工号", "考勤号", "考勤号码", "人员编号", "员工编号", "登记号码")
DATETIME_HEADERS = ("打卡时间", "签到时间", "考勤时间", "刷卡时间", "日期时间")
DATE_HEADERS = ("日期", "打卡日期", "考勤日期")
TIME_HEADERS = ("时间", "打卡时刻")
HEADER_SCAN_ROWS = 10
MAX_ERRORS = 50

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
TIME_FORMATS = ("%H:%M:%S", "%H:%M")


@dataclasses.dataclass
class PunchFile:
    rows: list = dataclasses.field(default_factory=list)  # [(row number, badge, aware datetime)]
    errors: list = dataclasses.field(default_factory=list)  # Chinese messages
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        else:
            self.more_errors += 1


def import_summary(file_name, report) -> str:
    summary = f"已导入「{file_name}」:新增 {report.created} 条,重复 {report.duplicates} 条(已忽略)"
    if report.unknown:
        summary += f",未知工号 {len(report.unknown)} 条(未导入)"
    return summary + "。"


class UnreadableCell(ValueError):
    pass


def read_punch_file(upload, file_name: str) -> PunchFile:
    """Parse an uploaded clock export; `file_name` tells the format (.xlsx or .csv)."""
    name = file_name.lower()
    result = PunchFile()
    try:
        if name.endswith(".xlsx"):
            table, sheet = _xlsx_rows(upload, file_name)
        elif name.endswith(".csv"):
            table, sheet = _csv_rows(upload.read()), None
        else:
            result.error(f"「{file_name}」不是 Excel(.xlsx)或 CSV 文件;请从考勤机软件导出为这两种格式之一。")
            return result
    except spreadsheet.WorkbookError as error:
        result.error(str(error))
        return result
    _parse_table(table, sheet, result)
    return result


def _xlsx_rows(upload, file_name):
    """The first sheet's data rows as [(row number, values)], within the row limit."""
    workbook = spreadsheet.open_workbook(upload, file_name)
    try:
        sheet = spreadsheet.read_sheet(workbook, workbook.sheetnames[0], limit=spreadsheet.row_limit("clock"))
    finally:
        workbook.close()
    return sheet.rows, sheet


def _csv_rows(data: bytes):
    # Clock software on Chinese Windows writes GBK; newer versions write UTF-8 with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    limit, rows = spreadsheet.row_limit("clock"), []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if all(_blank(value) for value in row):
            continue
        if len(rows) > limit:  # the header and `limit` data rows are allowed
            raise spreadsheet.WorkbookError(
                f"文件已读到 {limit + 1:,} 行数据(到第{number}行),超过了每次导入的上限 {limit:,} 行,"
                "未导入任何内容。请拆分成几个文件分批导入。"
            )
        rows.append((number, row))
    return rows


def _header_text(value) -> str:
    return re.sub(r"\s+", "", str(value or ""))


def _find_header(table) -> tuple[int, dict] | None:
    """The header row's index and the columns found in it: {"badge", "datetime"} or {"badge", "date", "time"}."""
    for index, (_, row) in enumerate(table[:HEADER_SCAN_ROWS]):
        names = [_header_text(cell) for cell in row]

        def column(candidates):
            return next((i for i, name in enumerate(names) if name in candidates), None)

        badge = column(BADGE_HEADERS)
        if badge is None:
            continue
        found = {"badge": (badge, names[badge])}
        moment = column(DATETIME_HEADERS)
        if moment is not None:
            found["datetime"] = (moment, names[moment])
            return index, found
        date, time = column(DATE_HEADERS), column(TIME_HEADERS)
        if date is not None and time is not None:
            found["date"], found["time"] = (date, names[date]), (time, names[time])
            return index, found
    return None


def _parse_table(table, sheet, result: PunchFile) -> None:
    header = _find_header(table)
    if header is None:
        for number, row in table[:HEADER_SCAN_ROWS]:  # a merged header has lost the names of its merged columns
            if sheet is not None and any(_header_text(cell) in BADGE_HEADERS for cell in row):
                if problem := sheet.merged_header_problem(number):
                    result.error(problem)
                    return
        result.error(
            f"前{HEADER_SCAN_ROWS}行中没有找到表头:须有「工号」列,以及「打卡时间」列或「日期」「时间」两列。"
        )
        return
    header_index, columns = header
    headers = [_header_text(cell) for cell in table[header_index][1]]
    if sheet is not None and (problem := sheet.merged_header_problem(table[header_index][0])):
        result.error(problem)
        return
    for number, row in table[header_index + 1 :]:
        cells = {key: (row[col] if col < len(row) else None, name) for key, (col, name) in columns.items()}
        if all(_blank(value) for value, _ in cells.values()):
            continue
        formulas = [(col, row[col]) for col, _ in columns.values() if col < len(row) and isinstance(row[col], spreadsheet.Formula)]
        for col, formula in formulas:
            result.error(spreadsheet.formula_message(sheet.name, number, col, formula, headers))
        if formulas:
            continue
        badge_value, badge_name = cells["badge"]
        badge = _badge(badge_value)
        if not badge:
            result.error(f"第{number}行「{badge_name}」列为空,无法确定是谁的打卡记录。")
            continue
        try:
            for moment in _moments(cells, number):
                result.rows.append((number, badge, moment))
        except UnreadableCell as error:
            result.error(str(error))


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _badge(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number cell: 1001.0 is badge 1001
    return str(value).strip() if value is not None else ""


def _unreadable(number, column, value, what) -> UnreadableCell:
    return UnreadableCell(f"第{number}行「{column}」列的值「{value}」无法识别为{what}。")


def _moments(cells, number) -> list[datetime.datetime]:
    if "datetime" in cells:
        value, column = cells["datetime"]
        if _blank(value):
            raise UnreadableCell(f"第{number}行「{column}」列为空。")
        return [_aware(_to_datetime(value, number, column))]
    (date_value, date_column), (time_value, time_column) = cells["date"], cells["time"]
    if _blank(date_value):
        raise UnreadableCell(f"第{number}行「{date_column}」列为空。")
    if _blank(time_value):
        raise UnreadableCell(f"第{number}行「{time_column}」列为空。")
    day = _to_date(date_value, number, date_column)
    if isinstance(time_value, str):
        # Several punches of the day in one cell: "07:58 12:01 14:05 18:03".
        parts = [part for part in re.split(r"[\s,,;;、]+", time_value.strip()) if part]
        return [_aware(datetime.datetime.combine(day, _to_time(part, number, time_column, time_value))) for part in parts]
    return [_aware(datetime.datetime.combine(day, _to_time(time_value, number, time_column, time_value)))]


def _aware(moment: datetime.datetime) -> datetime.datetime:
    moment = moment.replace(microsecond=0)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _from_serial(value: float) -> datetime.datetime:
    from openpyxl.utils.datetime import from_excel

    result = from_excel(value)
    if isinstance(result, datetime.datetime):
        return result
    if isinstance(result, datetime.date):
        return datetime.datetime.combine(result, datetime.time())
    raise ValueError(value)


def _to_datetime(value, number, column) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _from_serial(float(value))
        except (ValueError, OverflowError, TypeError):
            raise _unreadable(number, column, value, "打卡时间") from None
    text = re.sub(r"\s+", " ", str(value).strip())
    text = text.replace("T", " ")
    for date_format in DATE_FORMATS:
        for time_format in TIME_FORMATS:
            for joiner in (" ", ""):
                try:
                    return datetime.datetime.strptime(text, f"{date_format}{joiner}{time_format}")
                except ValueError:
                    continue
    raise _unreadable(number, column, value, "打卡时间(如 2026-11-26 07:58)")


def _to_date(value, number, column) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _from_serial(float(value)).date()
        except (ValueError, OverflowError, TypeError):
            raise _unreadable(number, column, value, "日期") from None
    text = str(value).strip()
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise _unreadable(number, column, value, "日期(如 2026-11-26)")


def _to_time(value, number, column, shown) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(float(value) * 86400)
        return (datetime.datetime.min + datetime.timedelta(seconds=seconds)).time()
    text = str(value).strip().replace(":", ":")
    for time_format in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, time_format).time()
        except ValueError:
            continue
    raise _unreadable(number, column, shown, "时间(如 07:58)")
