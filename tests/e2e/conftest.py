"""Browser tests: the admin driven in the system Chromium through Playwright's sync API.

Chromium comes from Debian (`apt-get install chromium`), never from `playwright install`, which
downloads a browser build and cannot work here. Without it the tests skip with a clear reason; with
REQUIRE_BROWSER=1 (as in .ci/run) they fail instead, so a CI machine missing the browser is noticed.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
RESULTS_DIR = E2E_DIR.parent.parent / "test-results"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

NO_CHROMIUM = "未找到系统 Chromium(apt-get install chromium);浏览器测试需要 /usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def _no_browser(reason: str):
    if _browser_required():
        pytest.fail(f"{reason}(REQUIRE_BROWSER=1,不能跳过)", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return None


@contextmanager
def _async_unsafe_allowed():
    """DJANGO_ALLOW_ASYNC_UNSAFE=true while Playwright runs, and only then.

    Playwright's sync API leaves its event loop marked as running in this thread, so Django refuses
    ORM calls here (the test's own data and pytest-django's flush) "from an async context". The
    variable is removed again afterwards: left in os.environ it would leak into the rest of the
    session, and into subprocesses such as `manage.py check --deploy`, which rejects it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Module scope, not session: while Playwright runs, every ORM call in this thread needs the variable
# above, and pytest-django reorders tests so that other modules' tests run after these ones. The
# browser stops when the module's tests are done, so the rest of the session runs as usual.
@pytest.fixture(scope="module")
def browser():
    executable = chromium_executable()
    if executable is None:
        _no_browser(NO_CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("未安装 playwright Python 包(pip install -e '.[test]')")

    with _async_unsafe_allowed(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test (no cookies carried over), in Chinese."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def admin_login(page, live_server, username: str, password: str) -> None:
    """Log in through the real admin login form, as a person would, and wait for the index page."""
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form#login-form [type=submit]")
    if page.locator("form#login-form").count():
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        raise AssertionError(f"登录失败({username}):{' '.join(errors) or page.url}")


@pytest.fixture
def login(page, live_server):
    """`login(username, password)` logs `page` in through the login form."""

    def do_login(username: str, password: str):
        admin_login(page, live_server, username, password)
        return page

    return do_login


@pytest.fixture
def screenshot(page, request):
    """`screenshot(name)` saves a full-page PNG under test-results/ for humans to look at."""

    def take(name: str | None = None) -> Path:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{name or request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
