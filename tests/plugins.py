"""Project pytest plugin, loaded by `pytest_plugins = ["tests.plugins"]` in tests/conftest.py.

`@pytest.mark.postgres_only` marks a test that proves something only PostgreSQL can show
(concurrent writers, row locks): on any other database it is skipped with a reason, not run.
"""

import pytest

POSTGRES_ONLY_REASON = "只在 PostgreSQL 上有意义(并发写入)"


def _database_vendor() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgres" in engine else engine.rsplit(".", 1)[-1]


def pytest_collection_modifyitems(config, items):
    marked = [item for item in items if item.get_closest_marker("postgres_only")]
    if not marked or _database_vendor() == "postgresql":
        return
    skip = pytest.mark.skip(reason=POSTGRES_ONLY_REASON)
    for item in marked:
        item.add_marker(skip)
