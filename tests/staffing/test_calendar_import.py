"""Importing next year's official calendar from Excel, through the resource and through the admin."""

import datetime
import io

import openpyxl
import pytest
from django.utils.html import strip_tags
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from staffing import calendar_hooks
from staffing.models import CalendarDay, DayKind
from staffing.resources import CalendarDayResource
from staffing.working_days import is_working_day

pytestmark = pytest.mark.django_db

HEADER = ["日期", "类型", "节日名称", "备注"]
NATIONAL_DAY_2027 = [
    HEADER,
    ["2027-10-01", "法定节假日", "国庆节", "国务院办公厅通知"],
    ["2027-09-26", "调休上班日", "国庆节", ""],
]


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_calendar(rows, user=None, dry_run=False):
    """Parse like the admin does (first sheet of an xlsx) and import with the calendar resource."""
    dataset = XLSX().create_dataset(xlsx_bytes(rows))
    return CalendarDayResource().import_data(dataset, dry_run=dry_run, user=user)


@pytest.fixture
def changed_dates():
    """What the calendar hook announced: the apps that store deadlines listen to it."""
    heard = []
    calendar_hooks.register(heard.append)
    yield heard
    calendar_hooks.unregister(heard.append)


def test_a_2027_calendar_import_adds_days_that_working_day_arithmetic_honours(admin_user, changed_dates):
    # Without the calendar, the weekday rule says Friday 1 October works and Sunday 26 September rests.
    assert is_working_day(datetime.date(2027, 10, 1)) and not is_working_day(datetime.date(2027, 9, 26))

    result = import_calendar(NATIONAL_DAY_2027, user=admin_user)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert not is_working_day(datetime.date(2027, 10, 1))
    assert is_working_day(datetime.date(2027, 9, 26))
    national_day = CalendarDay.objects.get(date=datetime.date(2027, 10, 1))
    assert (national_day.kind, national_day.name, national_day.note) == (DayKind.HOLIDAY, "国庆节", "国务院办公厅通知")
    assert changed_dates == [{datetime.date(2027, 10, 1), datetime.date(2027, 9, 26)}]
    assert {(h.history_type, h.history_user_id) for h in CalendarDay.history.all()} == {("+", admin_user.pk)}


def test_a_dry_run_saves_nothing_and_announces_nothing(changed_dates):
    result = import_calendar(NATIONAL_DAY_2027, dry_run=True)

    assert result.totals["new"] == 2
    assert not CalendarDay.objects.exists()
    assert changed_dates == []


def test_an_impossible_date_and_an_unknown_type_are_rejected_with_the_row_named(changed_dates):
    rows = [*NATIONAL_DAY_2027, ["2027-02-30", "法定节假日", "春节", ""], ["2027-10-08", "放假", "国庆节", ""]]

    result = import_calendar(rows)

    # Numbered as Excel shows them: header row 1, so the third data row is row 4.
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors == {
        4: {"日期": ["日期「2027-02-30」无效:该月没有这一天(或月份不存在)。"]},
        5: {"类型": ["「放假」无效,只能填写「法定节假日」、「调休上班日」。"]},
    }


def test_excel_date_cells_become_dates_and_a_second_import_is_skipped_as_unchanged(changed_dates):
    rows = [HEADER, [datetime.datetime(2027, 10, 1), "法定节假日", "国庆节", None]]
    assert import_calendar(rows).totals["new"] == 1
    assert CalendarDay.objects.get().date == datetime.date(2027, 10, 1)

    again = import_calendar(rows)

    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 1)
    assert CalendarDay.history.count() == 1
    assert changed_dates == [{datetime.date(2027, 10, 1)}]


def test_changing_a_days_type_updates_it_and_announces_the_date(changed_dates):
    import_calendar(NATIONAL_DAY_2027)

    result = import_calendar([HEADER, ["2027-09-26", "法定节假日", "国庆节", "更正"], NATIONAL_DAY_2027[1]])

    assert (result.totals["update"], result.totals["skip"]) == (1, 1)
    assert CalendarDay.objects.get(date=datetime.date(2027, 9, 26)).kind == DayKind.HOLIDAY
    assert changed_dates[-1] == {datetime.date(2027, 9, 26)}


def post_import(client, rows):
    upload = io.BytesIO(xlsx_bytes(rows))
    upload.name = "2027年工作日历.xlsx"
    return client.post(
        reverse("admin:staffing_calendarday_import"), {"resource": "0", "format": "0", "import_file": upload}
    )


@pytest.fixture
def admin_import_settings(settings, tmp_path):
    # The admin keeps the upload in MEDIA_ROOT between preview and confirmation.
    settings.MEDIA_ROOT = tmp_path
    # import-export 4.4 instantiates each entry (`f()`): the formats must be classes, not dotted paths.
    settings.IMPORT_FORMATS = [XLSX]


def test_the_admin_import_shows_the_chinese_error_and_saves_nothing(admin_client, admin_import_settings, changed_dates):
    response = post_import(admin_client, [*NATIONAL_DAY_2027, ["2027-02-30", "法定节假日", "春节", ""]])

    assert response.status_code == 200
    page = response.content.decode()
    assert "日期「2027-02-30」无效" in page
    assert [row.number for row in response.context["result"].invalid_rows] == [4]  # the Excel row
    assert response.context.get("confirm_form") is None
    assert not CalendarDay.objects.exists()
    assert changed_dates == []


def test_the_admin_import_previews_then_saves_with_the_admin_in_history(admin_client, admin_user, admin_import_settings, changed_dates):
    preview = post_import(admin_client, NATIONAL_DAY_2027)
    assert not CalendarDay.objects.exists()
    rows = [[strip_tags(cell) for cell in row.diff] for row in preview.context["result"].valid_rows()]
    assert [row[:3] for row in rows] == [[day, kind, name] for day, kind, name, _note in NATIONAL_DAY_2027[1:]]
    confirm = preview.context["confirm_form"]

    response = admin_client.post(reverse("admin:staffing_calendarday_process_import"), confirm.initial)

    assert response.status_code == 302
    assert set(CalendarDay.objects.values_list("date", flat=True)) == {datetime.date(2027, 10, 1), datetime.date(2027, 9, 26)}
    assert {h.history_user_id for h in CalendarDay.history.all()} == {admin_user.pk}
    assert changed_dates == [{datetime.date(2027, 10, 1), datetime.date(2027, 9, 26)}]


def test_an_exported_calendar_imports_back_as_unchanged(official_calendar, changed_dates):
    exported = XLSX().export_data(CalendarDayResource().export(CalendarDay.objects.filter(date__year=2026)))

    result = CalendarDayResource().import_data(XLSX().create_dataset(exported))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == CalendarDay.objects.filter(date__year=2026).count() > 0
    assert changed_dates == []
