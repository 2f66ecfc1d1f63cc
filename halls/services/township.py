"""The monthly case figures of halls that do not use the system (乡镇便民服务中心), imported from Excel.

Columns (a header row first): 服务场所, 月份, 受理件数, 办结件数, 按时办结件数, 超期件数. A hall and month
already imported are updated. Any bad cell is reported by row, column and value, and nothing is written."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from staffing import spreadsheet

from ..models import Hall, HallMonthFigures

COLUMNS = ("服务场所", "月份", "受理件数", "办结件数", "按时办结件数", "超期件数")
NUMBER_FIELDS = (("received", "受理件数"), ("completed", "办结件数"), ("completed_on_time", "按时办结件数"), ("overdue", "超期件数"))
MAX_ROWS = 2000


def _month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", str(value or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError
    return datetime.date(int(match[1]), int(match[2]), 1)


def _count(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)) and float(value).is_integer() and value >= 0:
        return int(value)
    text = str(value if value is not None else "").strip()
    if not text.isdigit():
        raise ValueError
    return int(text)


def read_month_figures(rows) -> tuple[list[dict], list[str]]:
    """`rows`: [(row number, values)] with the header first. Returns the parsed rows and Chinese errors."""
    if not rows:
        return [], ["文件中没有数据。"]
    header = [str(cell or "").strip() for cell in rows[0][1]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return [], [f"第{rows[0][0]}行表头缺少列:{'、'.join(missing)}。应有:{'、'.join(COLUMNS)}。"]
    index = {name: header.index(name) for name in COLUMNS}
    halls = {hall.name: hall for hall in Hall.objects.all()}
    parsed, errors, seen = [], [], {}
    for number, values in rows[1:]:
        cell = lambda name: values[index[name]] if index[name] < len(values) else None  # noqa: E731
        row, row_errors = {"row": number}, []
        name = str(cell("服务场所") or "").strip()
        hall = halls.get(name)
        if hall is None:
            row_errors.append(f"第{number}行「服务场所」列:找不到服务场所「{name}」。")
        elif hall.uses_system:
            row_errors.append(f"第{number}行「服务场所」列:「{name}」在本系统办件,其办件数据由系统统计,不能导入。")
        try:
            row["month"] = _month(cell("月份"))
        except ValueError:
            row_errors.append(f"第{number}行「月份」列:「{cell('月份') or ''}」不是月份,请写成 2026-11。")
        for field, label in NUMBER_FIELDS:
            try:
                row[field] = _count(cell(label))
            except ValueError:
                row_errors.append(f"第{number}行「{label}」列:「{cell(label) if cell(label) is not None else ''}」不是非负整数。")
        if not row_errors:
            if row["completed_on_time"] > row["completed"]:
                row_errors.append(
                    f"第{number}行「按时办结件数」列:「{row['completed_on_time']}」大于办结件数「{row['completed']}」。"
                )
            key = (hall.pk, row["month"])
            if key in seen:
                row_errors.append(f"第{number}行:「{name}」{row['month']:%Y-%m}的数据与第{seen[key]}行重复。")
            seen[key] = number
            row["hall"] = hall
        errors += row_errors
        if not row_errors:
            parsed.append(row)
    return parsed, errors


@transaction.atomic
def month_figures_import(*, rows, user) -> int:
    """Write the figures (create or update per hall and month); raise ValidationError and write nothing on any error."""
    parsed, errors = read_month_figures(rows)
    if errors:
        raise ValidationError(errors)
    for row in parsed:
        figures = HallMonthFigures.objects.filter(hall=row["hall"], month=row["month"]).first() or HallMonthFigures(
            hall=row["hall"], month=row["month"]
        )
        for field, _ in NUMBER_FIELDS:
            setattr(figures, field, row[field])
        figures._history_user = user
        figures.save()
    return len(parsed)


def month_figures_import_file(*, upload, file_name: str, user) -> int:
    try:
        workbook = spreadsheet.open_workbook(upload, file_name)
        try:
            sheet = spreadsheet.read_sheet(workbook, workbook.sheetnames[0], limit=MAX_ROWS)
        finally:
            workbook.close()
    except spreadsheet.WorkbookError as error:
        raise ValidationError(str(error)) from error
    return month_figures_import(rows=sheet.rows, user=user)
