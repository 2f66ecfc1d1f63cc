"""The demo catalog: seventy-odd realistic items, imported through the catalog workbook and published."""

import re

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from registry import demo, workbook
from registry.models import (
    HandlingMode,
    ItemCoDepartment,
    ItemStatus,
    ItemType,
    Material,
    ProcedureStep,
    ServiceItem,
)
from staffing import demo as staffing_demo
from staffing.models import Department, DepartmentKind

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    """The organisation and the catalog, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        staffing_demo.load_demo()
        counts = demo.load_demo_catalog()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def items(first_load):
    return ServiceItem.objects.select_related("department").annotate(
        material_count=Count("materials", distinct=True), step_count=Count("steps", distinct=True)
    )


def test_the_first_load_creates_every_item_and_publishes_all_but_the_drafts(first_load):
    drafts = sum(1 for *_row, extra in demo.ITEMS if extra.get("status") == ItemStatus.DRAFT)
    assert first_load == {
        "new": len(demo.ITEMS), "updated": 0, "unchanged": 0,
        "published": len(demo.ITEMS) - drafts - 1, "suspended": 1,
    }  # fmt: skip


def test_at_least_sixty_items_spread_over_every_stationed_department(items):
    assert items.count() == len(demo.ITEMS) >= 60
    per_department = dict(ServiceItem.objects.values_list("department__name").annotate(n=Count("id")))
    stationed = Department.objects.filter(kind=DepartmentKind.STATIONED).values_list("name", flat=True)
    assert len(stationed) == 12
    for name in stationed:
        assert per_department.get(name, 0) >= 4, name
    assert set(per_department) <= set(stationed)


def test_every_handling_mode_and_every_item_type_is_present(items):
    assert set(items.values_list("handling_mode", flat=True)) == set(HandlingMode.values)
    assert set(items.values_list("item_type", flat=True)) == set(ItemType.values)
    for item in items:
        prefix = item.code.split("-")[1]
        assert re.fullmatch(r"360723-[A-Z]{2}-\d{3}", item.code), item.code
        assert demo.TYPE_CODES[prefix] == item.item_type, item.code


def test_every_item_has_two_to_six_materials_and_one_to_four_steps_within_its_limits(items):
    for item in items:
        assert 2 <= item.material_count <= 6, item
        assert 1 <= item.step_count <= 4, item
        steps = list(item.steps.all())
        if item.handling_mode == HandlingMode.IMMEDIATE:
            assert item.committed_limit_days == 0, item
            assert all(step.limit_days == 0 for step in steps), item
        else:
            assert item.committed_limit_days, item
            counted = sum(step.limit_days for step in steps if step.counts_towards_limit)
            assert counted <= item.committed_limit_days, item
        if item.statutory_limit_days is not None:
            assert item.committed_limit_days <= item.statutory_limit_days, item
    assert Material.objects.filter(required=False).exists()
    assert set(Material.objects.values_list("form", flat=True)) == {"original", "copy", "both", "electronic"}
    assert ProcedureStep.objects.filter(counts_towards_limit=False, limit_days__gt=0).exists()


def test_joint_items_name_co_departments_and_report_up_items_their_authority(items):
    joint = items.filter(handling_mode=HandlingMode.JOINT)
    report_up = items.filter(handling_mode=HandlingMode.REPORT_UP)
    assert joint.count() >= 3 and report_up.count() >= 3
    for item in joint:
        links = ItemCoDepartment.objects.filter(item=item).exclude(department=item.department)
        assert links.exists(), item
    for item in report_up:
        assert item.report_authority.startswith(("赣州市", "江西省")), item
    assert not items.exclude(handling_mode=HandlingMode.REPORT_UP).exclude(report_authority="").exists()


def test_legal_bases_fees_contacts_and_major_items_are_filled_in(items):
    active = items.filter(status=ItemStatus.ACTIVE)
    for item in active:
        assert "《" in item.legal_basis and item.procedure and item.contact and item.phone, item
        assert item.location.startswith("大余县行政服务中心") and item.window_id, item
    charging = items.filter(charges_fee=True)
    assert 3 <= charging.count() < items.count() // 4
    for item in charging:
        assert item.fee_standard and "〔" in item.fee_basis, item
    assert 2 <= items.filter(is_major=True).count() <= 6


def test_published_items_are_complete_and_a_few_drafts_show_what_they_miss(items):
    statuses = dict(ServiceItem.objects.values_list("status").annotate(n=Count("id")))
    assert statuses[ItemStatus.ACTIVE] >= 60
    assert statuses[ItemStatus.SUSPENDED] == 1
    assert 2 <= statuses[ItemStatus.DRAFT] <= 5
    assert not items.filter(status=ItemStatus.ACTIVE, disclosure_complete=False).exists()
    incomplete = items.filter(disclosure_complete=False)
    assert incomplete.count() >= 2
    for item in incomplete:
        assert item.status == ItemStatus.DRAFT and item.disclosure_missing, item
    assert "设定依据" in "、".join(incomplete.values_list("disclosure_missing", flat=True))


def test_the_catalog_came_in_through_the_workbook_import_by_the_center_admin(items):
    for item in items:
        created = item.history.earliest()
        assert created.history_type == "+", item
        assert created.history_change_reason == f"{workbook.CHANGE_REASON} {demo.FILE_NAME}", item
        assert created.history_user.username == "admin", item
    published = ServiceItem.history.filter(history_change_reason=demo.PUBLISH_REASON)
    assert published.count() == items.filter(status=ItemStatus.ACTIVE).count()


def test_loading_again_changes_nothing_and_writes_no_history(first_load):
    models = (ServiceItem, Material, ProcedureStep, ItemCoDepartment)
    before = [(model.objects.count(), model.history.count()) for model in models]
    statuses = dict(ServiceItem.objects.values_list("code", "status"))

    counts = demo.load_demo_catalog()

    assert counts == {"new": 0, "updated": 0, "unchanged": len(demo.ITEMS), "published": 0, "suspended": 0}
    assert [(model.objects.count(), model.history.count()) for model in models] == before
    assert dict(ServiceItem.objects.values_list("code", "status")) == statuses


def test_an_item_an_administrator_suspended_stays_suspended_after_loading_again(first_load):
    item = ServiceItem.objects.get(code=demo.item_code("XK-001"))
    item.status = ItemStatus.SUSPENDED
    item.save()

    demo.load_demo_catalog()

    item.refresh_from_db()
    assert item.status == ItemStatus.SUSPENDED


def test_the_exported_demo_catalog_imports_unchanged(first_load, tmp_path):
    path = tmp_path / "export.xlsx"
    workbook.write_catalog_workbook(ServiceItem.objects.all(), path)

    plan = workbook.catalog_plan(path)

    assert plan.ok, plan.errors
    assert plan.unchanged_count == len(demo.ITEMS)
