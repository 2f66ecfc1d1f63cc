import datetime

import pytest

from staffing import roles
from staffing.models import CalendarDay, CenterSettings, DayKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def center_admin_client(client, two_departments, make_staff):
    staff = make_staff(two_departments[0], role=roles.CENTER_ADMIN)
    client.force_login(staff.user)
    return client


@pytest.fixture
def late_november_2026(travel):
    travel(datetime.date(2026, 11, 26))


HOLIDAYS_2027 = [  # 国务院办公厅 has not published 2027 in these tests' world: one day of each is enough
    ("2027-01-01", "元旦"), ("2027-02-06", "春节"), ("2027-04-05", "清明节"), ("2027-05-01", "劳动节"),
    ("2027-06-09", "端午节"), ("2027-09-15", "中秋节"), ("2027-10-01", "国庆节"),
]  # fmt: skip


def add_holiday(client, day, name):
    response = client.post("/admin/staffing/calendarday/add/", {"date": day, "kind": DayKind.HOLIDAY, "name": name, "note": ""})
    assert response.status_code == 302, response.content.decode()


def test_the_admin_speaks_chinese_and_shows_the_center_name(center_admin_client):
    page = center_admin_client.get("/admin/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "大余县行政服务中心管理系统" in html
    assert 'lang="zh-hans"' in html


def test_renaming_the_center_in_its_settings_changes_the_header(center_admin_client):
    settings = CenterSettings.load()
    settings.name = "大余县政务服务中心"
    settings.save()
    assert "大余县政务服务中心管理系统" in center_admin_client.get("/admin/").content.decode()


def test_the_index_groups_organisation_calendar_and_settings_first(center_admin_client):
    groups = center_admin_client.get("/admin/").context["app_list"]
    names = [group["name"] for group in groups]
    assert names[:3] == ["组织机构", "工作日历与作息", "系统设置"]
    calendar_models = [model["object_name"] for model in groups[1]["models"]]
    assert calendar_models == ["CalendarDay", "WorkingHours"]


def test_the_index_warns_that_next_years_calendar_is_missing(center_admin_client, official_calendar, late_november_2026):
    html = center_admin_client.get("/admin/").content.decode()
    assert "2027年工作日历尚未录入法定节假日和调休上班日" in html
    assert "2026年工作日历尚未录入" not in html


def test_entering_2027_holidays_in_the_admin_moves_deadlines_and_the_warning_names_those_still_missing(
    center_admin_client, official_calendar, late_november_2026
):
    from staffing.working_days import add_working_days

    add_holiday(center_admin_client, "2027-10-01", "国庆节")

    day = CalendarDay.objects.get(date=datetime.date(2027, 10, 1))
    assert day.history.get().history_user.staff.badge_no.startswith("T")
    assert add_working_days(datetime.date(2027, 9, 30), 1) == datetime.date(2027, 10, 4)
    html = center_admin_client.get("/admin/").content.decode()
    assert "2027年工作日历尚缺以下法定节假日:元旦、春节、清明节、劳动节、端午节、中秋节。" in html
    assert 'href="/admin/staffing/calendarday/year/2027/"' in html


def test_one_new_years_day_does_not_complete_a_year_all_seven_holidays_do(
    center_admin_client, official_calendar, late_november_2026
):
    for day, name in HOLIDAYS_2027[:-1]:
        add_holiday(center_admin_client, day, name)
        assert "2027年工作日历尚缺以下法定节假日" in center_admin_client.get("/admin/").content.decode(), name
    assert "国庆节。" in center_admin_client.get("/admin/").content.decode()

    add_holiday(center_admin_client, *HOLIDAYS_2027[-1])

    html = center_admin_client.get("/admin/").content.decode()
    assert "2027年工作日历" not in html


def test_a_holiday_named_for_two_festivals_counts_for_both(center_admin_client, official_calendar, late_november_2026):
    for day, name in HOLIDAYS_2027[:5]:
        add_holiday(center_admin_client, day, name)
    add_holiday(center_admin_client, "2027-10-01", "国庆节、中秋节")

    assert "2027年工作日历" not in center_admin_client.get("/admin/").content.decode()


def test_a_duplicate_calendar_date_is_refused_in_chinese(center_admin_client, official_calendar):
    response = center_admin_client.post(
        "/admin/staffing/calendarday/add/",
        {"date": "2026-10-01", "kind": DayKind.WORKDAY, "name": "", "note": ""},
    )
    assert response.status_code == 200
    assert "具有 日期 的 工作日历 已存在" in response.content.decode()
    assert CalendarDay.objects.get(date=datetime.date(2026, 10, 1)).kind == DayKind.HOLIDAY


def test_the_year_view_colours_holidays_and_make_up_workdays(center_admin_client, official_calendar):
    html = center_admin_client.get("/admin/staffing/calendarday/year/2026/").content.decode()
    assert "2026年工作日历" in html
    assert 'class="holiday" data-date="2026-10-01" title="2026-10-01 法定节假日(国庆节)"' in html
    assert 'class="workday" data-date="2026-10-10"' in html
    assert 'class="rest" data-date="2026-10-11"' in html  # an ordinary Sunday
    assert 'class="" data-date="2026-10-09"' in html  # an ordinary Friday
    assert html.count('class="month-name"') == 12


def test_the_year_view_of_an_unpublished_year_says_so(center_admin_client, official_calendar):
    html = center_admin_client.get("/admin/staffing/calendarday/year/2027/").content.decode()
    assert "2027年工作日历尚未录入法定节假日和调休上班日" in html
    assert "全年工作日 <strong>261</strong> 天" in html


def test_the_year_view_offers_adding_and_importing_days_of_that_year(center_admin_client, official_calendar):
    html = center_admin_client.get("/admin/staffing/calendarday/year/2027/").content.decode()
    assert '<a href="/admin/staffing/calendarday/add/?date=2027-01-01&amp;kind=holiday" class="addlink">新增</a>' in html
    assert '<a href="/admin/staffing/calendarday/import/" class="import_link">导入</a>' in html
    # each day opens the form for that day: a weekday as a holiday, a weekend day as a make-up workday
    assert 'href="/admin/staffing/calendarday/add/?date=2027-10-01&amp;kind=holiday">1</a>' in html
    assert 'href="/admin/staffing/calendarday/add/?date=2027-10-09&amp;kind=workday">9</a>' in html
    form = center_admin_client.get("/admin/staffing/calendarday/add/?date=2027-10-01&kind=holiday").context["adminform"].form
    assert (form.initial["date"], form.initial["kind"]) == ("2027-10-01", "holiday")


def test_the_year_view_offers_no_buttons_to_an_inspector(client, two_departments, make_staff, official_calendar):
    inspector = make_staff(two_departments[0], role=roles.INSPECTOR)
    client.force_login(inspector.user)
    response = client.get("/admin/staffing/calendarday/year/2026/")
    html = response.content.decode()
    assert response.status_code == 200 and "2026年工作日历" in html
    assert "新增</a>" not in html and "导入</a>" not in html and "/admin/staffing/calendarday/add/" not in html
    assert "/admin/staffing/calendarday/import/" not in html


def test_the_calendar_list_links_the_year_view_and_offers_excel_import(center_admin_client, official_calendar):
    html = center_admin_client.get("/admin/staffing/calendarday/").content.decode()
    assert "/admin/staffing/calendarday/year/" in html
    assert "年历视图" in html
    assert "/admin/staffing/calendarday/import/" in html


def test_library_strings_missing_from_their_catalogs_show_in_chinese(admin_client):
    html = admin_client.get("/admin/").content.decode()  # the theme editor is for superusers (issue 17)
    assert "界面主题" in html
    assert "Themes" not in html
