"""Project pytest plugin, loaded with `-p tests.plugins` from the pytest configuration (pyproject.toml),
so that it is active before any test file is collected, including a file given on the command line.

The test clock: `TEST_TODAY=YYYY-MM-DD` runs the whole session as on that day, at 10:00 in the
center's time zone, with time still moving (time-machine, tick=True). Each pytest-xdist worker is a
process of its own and starts its own travel here. Without `TEST_TODAY` the session runs on the real
date. Only Python's clock travels: the database's `now()` and the browser's clock stay real.

`@pytest.mark.postgres_only` marks a test that proves something only PostgreSQL can show
(concurrent writers, row locks): on any other database it is skipped with a reason, not run.

`@pytest.mark.date_sensitive` marks a test whose outcome depends on the day it runs (deadlines, the
demo's lists, the dashboard, sweeps, bookings, attendance): `make test` runs these again as on each day
of `SWEEP_DATES`.
"""

import datetime
import os
import zoneinfo

import pytest

POSTGRES_ONLY_REASON = "只在 PostgreSQL 上有意义(并发写入)"
CENTER_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")

# The days of the date sweep (issue 15): the last working day before the National Day holiday, a
# holiday Saturday, a make-up Saturday, the last day of a year with a calendar, a day of a year
# without one, and a leap day.
SWEEP_DATES = ["2026-09-30", "2026-10-03", "2026-10-10", "2026-12-31", "2027-01-02", "2028-02-29"]

_traveller = None


def requested_day() -> datetime.date | None:
    """The day of `TEST_TODAY`, or None. A malformed value stops the session with a Chinese message."""
    value = os.environ.get("TEST_TODAY", "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"TEST_TODAY「{value}」不是日期,应写作 YYYY-MM-DD,例如 2026-10-03") from None


def pytest_configure(config):
    global _traveller
    day = requested_day()
    if day is not None and _traveller is None:
        import time_machine

        _traveller = time_machine.travel(datetime.datetime.combine(day, datetime.time(10), CENTER_TIME_ZONE), tick=True)
        _traveller.start()


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config):
    day = requested_day()
    if day is None:
        return f"测试日期:{datetime.date.today().isoformat()}(真实日期)"
    return f"测试日期:{day.isoformat()}(TEST_TODAY,time-machine)"


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


@pytest.fixture(autouse=True, scope="session")
def sessions_that_outlive_travel():
    """Django dates the session cookie's Expires from the travelled clock; the browser's clock is real.
    Travelled into the past, every cookie would be expired on arrival and every browser login fail, so
    the cookie lasts until the browser closes. A test that travels after logging in would find its
    session expired two weeks later, so sessions last twenty years here."""
    from django.conf import settings

    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600
    yield
