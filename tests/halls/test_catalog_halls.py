"""The catalog's 办理场所 column (S1.1-f): an item offered at several halls, the center hall by default."""

import pytest

from registry import workbook
from registry.models import ItemHall, ServiceItem
from tests.registry.test_catalog_import import item, materials, steps, write_workbook

pytestmark = pytest.mark.django_db


def imported(path):
    plan = workbook.catalog_import(path, file_name="c.xlsx")
    return plan, [str(error) for error in plan.errors]


def test_the_halls_column_offers_an_item_at_several_halls_and_an_empty_cell_means_the_center_hall(
    tmp_path, two_departments, branch_hall
):
    rows = [item("A001", {"办理场所": f"中心大厅、{branch_hall.name}"}), item("A002", {"办理场所": ""})]
    path = write_workbook(tmp_path / "c.xlsx", rows, materials("A001") + materials("A002"), steps("A001") + steps("A002"))
    plan, errors = imported(path)
    assert errors == []
    first, second = ServiceItem.objects.get(code="A001"), ServiceItem.objects.get(code="A002")
    assert sorted(first.halls.values_list("name", flat=True)) == sorted(["大余县行政服务中心大厅", branch_hall.name])
    assert list(second.halls.all()) == []  # the center hall, its default
    assert ItemHall.history.filter(item_id=first.pk).count() == 2


def test_an_unknown_hall_is_a_row_error_naming_row_column_and_value_and_nothing_is_written(tmp_path, two_departments):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001", {"办理场所": "青龙镇分中心"})], materials("A001"), steps("A001"))
    plan, errors = imported(path)
    assert any(e.startswith("工作表「事项」第2行,「办理场所」列,值「青龙镇分中心」:找不到名为「青龙镇分中心」的服务场所。") for e in errors), errors
    assert not ServiceItem.objects.exists()


def test_the_exported_catalog_names_the_halls_and_reads_back_unchanged(tmp_path, two_departments, branch_hall):
    path = write_workbook(tmp_path / "c.xlsx", [item("A001", {"办理场所": branch_hall.name}), item("A002")],
                          materials("A001") + materials("A002"), steps("A001") + steps("A002"))  # fmt: skip
    assert imported(path)[1] == []
    out = tmp_path / "out.xlsx"
    workbook.write_catalog_workbook(ServiceItem.objects.all(), out)
    import openpyxl

    sheet = openpyxl.load_workbook(out)["事项"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("办理场所")
    assert [row[column].value for row in sheet.iter_rows(min_row=2)] == [branch_hall.name, "中心大厅"]
    plan = workbook.catalog_plan(str(out), file_name="out.xlsx")
    assert plan.errors == [] and not any(p.changed for p in plan.items)


def test_the_guide_prints_the_address_hours_phone_and_windows_of_the_hall_chosen(
    client, two_departments, make_staff, committed_item, branch_hall, branch_window
):
    from django.urls import reverse

    from staffing import roles
    from tests.halls.conftest import offer

    center_admin = make_staff(two_departments[0], role=roles.CENTER_ADMIN)
    client.force_login(center_admin.user)
    url = reverse("admin:registry_serviceitem_print_guide", args=[committed_item.pk])
    page = client.get(url).content.decode()
    assert "大余县南安镇东山路8号" not in page and "可办理场所" not in page  # the center hall only
    offer(committed_item, branch_hall)
    page = client.get(url, {"hall": branch_hall.pk}).content.decode()
    assert "县市场监督管理局登记分中心,大余县南安镇东山路8号" in page
    assert "周一至周五 上午8:00—12:00 下午14:30—17:30" in page and "0797-8720001" in page
    # 办理窗口: the branch's window of the item's department, not the item's window in the center's hall.
    assert "F01号窗口(登记(分中心))" in page and f"{committed_item.window.number}号窗口({committed_item.window.name})" not in page
    offer(committed_item, branch_hall.__class__.objects.get(kind="center"))
    page = client.get(url).content.decode()
    assert f'href="?hall={branch_hall.pk}"' in page and "可办理场所" in page
