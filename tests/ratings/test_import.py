"""R1.6: the province's rating export, matched to cases by number; bad rows by row, atomic, idempotent;
preview and confirm in the admin."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ratings.models import BadRatingTicket, Rating, RatingChannel
from ratings.services.importing import ratings_import, ratings_plan

pytestmark = pytest.mark.django_db

HEADER = ["办件编号", "评价等级", "评价渠道", "评价时间", "评价内容", "是否实名"]


def workbook(rows, title=True) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["江西省政务服务好差评系统评价数据导出"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_rows_are_matched_by_case_number_and_a_reimport_changes_nothing(completed_case, office):
    first, second = completed_case(), completed_case("李四")
    rows = [
        [first.number, "满意", "网上", "2026-01-05 10:20", "很方便", "是"],
        [second.number, "不满意", "短信", "2026-01-05 11:00", "等了很久", "否"],
    ]
    plan = ratings_import(workbook(rows), file_name="评价.xlsx", user=office.user)
    assert plan.ok and plan.imported == 2
    assert Rating.objects.get(case=first).channel == RatingChannel.ONLINE
    assert BadRatingTicket.objects.get().case == second
    again = ratings_import(workbook(rows), file_name="评价.xlsx", user=office.user)
    assert again.ok and again.imported == 0 and again.unchanged == 2
    assert Rating.objects.count() == 2 and BadRatingTicket.objects.count() == 1


def test_bad_and_unmatched_rows_are_reported_by_row_and_nothing_is_imported(completed_case, office):
    case = completed_case()
    rows = [
        [case.number, "满意", "网上", "2026-01-05 10:20", "", "是"],
        ["01-20990101-0001", "满意", "网上", "2026-01-05 10:20", "", "是"],
        [case.number, "很好", "短信", "2026-01-05 10:20", "", "是"],
        [case.number, "满意", "微信", "昨天", "", "可能"],
        [case.number, "不满意", "网上", "2026-01-05 12:00", "", "否"],
    ]
    plan = ratings_import(workbook(rows), file_name="评价.xlsx", user=office.user)
    assert not plan.ok
    assert plan.errors == [
        "第4行:「办件编号」的值「01-20990101-0001」在本系统中找不到对应的办件。",
        "第5行:「评价等级」的值「很好」无效,应为:非常满意、满意、基本满意、不满意、非常不满意。",
        "第6行:「评价渠道」的值「微信」无效,应为:窗口评价器、网上、短信、电话回访、二维码;"
        "「评价时间」的值「昨天」不是日期时间,应写作 2026-11-03 15:20;「是否实名」的值「可能」无效,应为:是、否。",
        f"第7行:办件{case.number}的「网上」评价与第3行重复,每个办件每个渠道只能评价一次。",
    ]
    assert Rating.objects.count() == 0 and BadRatingTicket.objects.count() == 0


def test_a_changed_rating_for_an_already_rated_channel_is_refused(completed_case, office):
    case = completed_case()
    ratings_import(workbook([[case.number, "满意", "网上", "2026-01-05 10:20", "", "是"]]), file_name="a.xlsx", user=office.user)
    plan = ratings_plan(workbook([[case.number, "非常不满意", "网上", "2026-01-05 10:20", "", "是"]]), file_name="b.xlsx")
    assert not plan.ok and "已有「网上」评价(「满意」)" in plan.errors[0]


def test_a_file_without_the_columns_is_refused_with_the_columns_named(office):
    book = openpyxl.Workbook()
    book.active.append(["编号", "等级"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    plan = ratings_plan(buffer, file_name="x.xlsx")
    assert plan.errors == ["未找到表头:前5行中应有「办件编号」列,表头应为:办件编号、评价等级、评价渠道、评价时间、评价内容、是否实名。"]
    plan = ratings_plan(io.BytesIO(b"not a workbook"), file_name="x.xlsx")
    assert "不是有效的 Excel 工作簿" in plan.errors[0]


def test_the_office_previews_then_confirms_the_import_in_the_admin(client, completed_case, office, window_head):
    case = completed_case()
    upload = workbook([[case.number, "非常满意", "二维码", "2026-01-05 10:20", "", "否"]])
    upload.name = "评价.xlsx"
    client.force_login(window_head.user)
    assert client.get(reverse("admin:ratings_rating_import")).status_code == 403
    client.force_login(office.user)
    response = client.post(reverse("admin:ratings_rating_import"), {"workbook": upload})
    assert "将新增评价 1 条" in response.content.decode()
    assert Rating.objects.count() == 0
    token = response.context["token"]
    response = client.post(reverse("admin:ratings_rating_import_confirm"), {"token": token}, follow=True)
    assert "已导入「评价.xlsx」:新增评价 1 条" in response.content.decode()
    assert Rating.objects.get().channel == RatingChannel.QR
    response = client.post(reverse("admin:ratings_rating_import_confirm"), {"token": token}, follow=True)
    assert "导入已失效或已完成" in response.content.decode() and Rating.objects.count() == 1


def test_the_office_records_a_phone_rating_and_window_staff_cannot(client, completed_case, office, clerk):
    case = completed_case()
    url = reverse("admin:ratings_rating_record")
    client.force_login(clerk.user)
    assert client.get(url).status_code == 403  # staff may not rate their own work (R1.1)
    client.force_login(office.user)
    data = {"case_number": case.number, "channel": "phone", "level": "1", "tags": ["attitude"], "content": "态度差", "real_name": "on"}
    response = client.post(url, data, follow=True)
    assert f"已登记办件{case.number}的电话回访评价「非常不满意」,已开立差评工单" in response.content.decode()
    assert BadRatingTicket.objects.get().rating.real_name
    response = client.post(url, data)
    assert "已有「电话回访」渠道的评价" in response.content.decode()
    response = client.post(url, {**data, "case_number": "NO-SUCH"})
    assert "找不到办件编号为「NO-SUCH」的办件" in response.content.decode()
    assert Rating.objects.count() == 1
