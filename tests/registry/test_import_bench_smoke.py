"""The import benchmark's code path on a small generated catalog: generator, floor, import, preview."""

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from bench import bench_import
from bench.generate_catalog import generate, reference_data

pytestmark = pytest.mark.django_db

ITEMS = 48


@pytest.fixture
def catalog_dir(tmp_path):
    reference_data()
    get_user_model().objects.create_superuser(bench_import.BENCH_USER, password="bench-only-password")
    generate(tmp_path / "catalog.xlsx", items=ITEMS)
    generate(tmp_path / "catalog-changed.xlsx", items=ITEMS, change_every=10)
    return tmp_path


def sheet_values(path):
    book = openpyxl.load_workbook(path, read_only=True)
    return {name: list(book[name].values) for name in book.sheetnames}


def test_the_generator_writes_the_same_catalog_every_time(catalog_dir, tmp_path):
    assert generate(tmp_path / "again.xlsx", items=ITEMS) == (ITEMS, ITEMS * 6, ITEMS * 3)

    assert sheet_values(tmp_path / "again.xlsx") == sheet_values(catalog_dir / "catalog.xlsx")


def test_the_floor_inserts_every_row_without_history(catalog_dir):
    result = bench_import.run_phase("floor", catalog_dir)

    assert result["rows"] == {"items": ITEMS, "materials": ITEMS * 6, "steps": ITEMS * 3, "co_departments": ITEMS // 4}
    assert set(result["history_rows"].values()) == {0}


def test_the_import_phase_imports_with_history_reimports_nothing_and_applies_the_changes(catalog_dir):
    result = bench_import.run_phase("import", catalog_dir)

    first, again, changed = result["first"], result["again"], result["changed"]
    assert first["summary"] == f"新增 {ITEMS} 个,更新 0 个,未变 0 个,错误 0 处"
    assert first["history_rows"] == first["rows"]
    assert again["summary"] == f"新增 0 个,更新 0 个,未变 {ITEMS} 个,错误 0 处"
    assert again["history_rows"] == first["history_rows"] and again["queries"] < first["queries"]
    assert changed["summary"] == f"新增 0 个,更新 {ITEMS // 10} 个,未变 {ITEMS - ITEMS // 10} 个,错误 0 处"
    assert changed["history_rows"]["items"] == ITEMS + ITEMS // 10
    assert changed["history_rows"]["materials"] == ITEMS * 6 + ITEMS // 10 * 12  # 6 deleted + 6 created each
    assert 0 < result["preview_of_changes"]["html_bytes"] < 2_000_000


def test_the_preview_phase_measures_the_admin_preview_page(catalog_dir):
    result = bench_import.run_phase("preview", catalog_dir)

    assert 0 < result["html_bytes"] < 2_000_000
