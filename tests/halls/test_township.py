"""S1.1-f township centers: monthly figures imported from Excel with Chinese row/field/value errors and nothing
written on error; the figures enter the ranking; guidance visits are recorded."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from halls import ranking
from halls.models import GuidanceVisit, HallMonthFigures
from halls.services.township import COLUMNS, month_figures_import, month_figures_import_file

pytestmark = pytest.mark.django_db
D = datetime.date


def rows(*data):
    return [(1, COLUMNS), *((number, values) for number, values in enumerate(data, start=2))]


def xlsx(*data) -> io.BytesIO:
    book = Workbook()
    book.active.append(COLUMNS)
    for values in data:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_township_figures_import_and_enter_the_ranking(township, inspector):
    count = month_figures_import_file(
        upload=xlsx(["池江镇便民服务中心", "2026-10", 40, 38, 36, 2]), file_name="池江镇10月.xlsx", user=inspector.user
    )
    assert count == 1
    figures = HallMonthFigures.objects.get()
    assert (figures.month, figures.received, figures.completed, figures.completed_on_time, figures.overdue) == (
        D(2026, 10, 1), 40, 38, 36, 2
    )
    assert figures.history.first().history_user == inspector.user
    row = next(r for r in ranking.hall_ranking(D(2026, 10, 1)) if r.hall == township)
    assert row.imported and (row.completed, row.on_time, row.overdue) == (38, 36, 2)


def test_importing_the_same_month_again_updates_it(township, inspector):
    month_figures_import(rows=rows(["池江镇便民服务中心", "2026年10月", 40, 38, 36, 2]), user=inspector.user)
    month_figures_import(rows=rows(["池江镇便民服务中心", "2026-10", 41, 39, 39, 0]), user=inspector.user)
    assert HallMonthFigures.objects.values_list("received", "overdue").get() == (41, 0)


def test_bad_rows_name_row_field_and_value_and_nothing_is_written(township, branch, inspector):
    with pytest.raises(ValidationError) as refused:
        month_figures_import(
            rows=rows(
                ["池江镇便民服务中心", "2026-10", 40, 38, 36, 2],
                ["青龙镇便民服务中心", "2026-10", 1, 1, 1, 0],
                ["池江镇便民服务中心", "十月", "二十", 5, 6, 0],
                [branch.name, "2026-10", 1, 1, 1, 0],
            ),
            user=inspector.user,
        )
    messages = refused.value.messages
    assert "第3行「服务场所」列:找不到服务场所「青龙镇便民服务中心」。" in messages
    assert "第4行「月份」列:「十月」不是月份,请写成 2026-11。" in messages
    assert "第4行「受理件数」列:「二十」不是非负整数。" in messages
    assert any(m.startswith(f"第5行「服务场所」列:「{branch.name}」在本系统办件") for m in messages)
    assert not HallMonthFigures.objects.exists()


def test_more_on_time_than_completed_is_refused(township, inspector):
    with pytest.raises(ValidationError, match="第2行「按时办结件数」列:「9」大于办结件数「8」"):
        month_figures_import(rows=rows(["池江镇便民服务中心", "2026-10", 9, 8, 9, 0]), user=inspector.user)


def test_the_office_imports_through_the_admin_page(client, township, two_departments, make_staff):
    from staffing import roles

    office = make_staff(two_departments[0], role=roles.OFFICE_STAFF)
    client.force_login(office.user)
    url = reverse("admin:halls_hallmonthfigures_import")
    upload = xlsx(["池江镇便民服务中心", "2026-10", 40, 38, 36, "两"])
    upload.name = "池江镇.xlsx"
    page = client.post(url, {"file": upload}).content.decode()
    assert "第2行「超期件数」列:「两」不是非负整数。" in page
    good = xlsx(["池江镇便民服务中心", "2026-10", 40, 38, 36, 2])
    good.name = "池江镇.xlsx"
    assert client.post(url, {"file": good}).status_code == 302
    assert HallMonthFigures.objects.count() == 1


def test_a_guidance_visit_is_recorded_in_the_admin_by_the_office(client, township, two_departments, make_staff, inspector):
    from staffing import roles

    office = make_staff(two_departments[0], role=roles.OFFICE_STAFF)
    client.force_login(office.user)
    response = client.post(
        reverse("admin:halls_guidancevisit_add"),
        {"hall": township.pk, "date": "2026-11-20", "visitors": [inspector.pk], "topics": "便民服务事项清单公示", "problems": "", "follow_up": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = GuidanceVisit.objects.get()
    assert visit.recorded_by == office.user and list(visit.visitors.all()) == [inspector]
