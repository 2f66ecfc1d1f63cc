"""Issue 17: every page speaks Chinese. For each of the eight demo roles, on a database holding the whole
demo, every page the role reaches from its index (each link of the index), plus the first object's change
and history page of each list it reaches, is rendered; its visible text (scripts, styles, attributes and
form values left out) must hold no English word outside a short allow-list, and never `None`.

The demo is loaded once for the module (about 20 s) and rolled back after it.
"""

import re
import tempfile
import time
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROLES = ["admin", "leader", "deputy", "windowhead", "window", "sectionhead", "office", "inspector"]

# Tokens a Chinese office writes in Latin letters anyway: file formats, paper sizes, AB岗 (the A/B
# post pairs of the regulations), the identity card's "ID".
ALLOWED = {"excel", "xlsx", "csv", "id", "pdf", "ab", "ip", "ctrl", "mm", "cm"}  # any case
# Where the login name is itself the record (accounts, a staff member's account, sign-in records), the
# demo's login names are data.
USERNAME_PAGES = re.compile(r"^/admin/(auth/user|project/loginevent|staffing/staff)/")
# A token with a digit in it is a code or a number (DY008, XK-001, A4, CF388A), not a word.
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Text inside these elements is not read: code, or values the user typed (a template's source).
SKIPPED_ELEMENTS = {"script", "style", "template", "noscript", "textarea", "svg", "code"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles, attributes, form values, code, or hidden elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack = [], []  # stack: (tag, skipped)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        hidden = (
            tag in SKIPPED_ELEMENTS
            or "hidden" in attributes
            or "hidden" in (attributes.get("class") or "").split()
            or "display:none" in (attributes.get("style") or "").replace(" ", "")
        )
        self.stack.append((tag, hidden or bool(self.stack and self.stack[-1][1])))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_words(text: str) -> list[str]:
    words = []
    for word in WORD.findall(text):
        if any(c.isdigit() for c in word):
            continue
        if word == "None" or (word.lower() not in ALLOWED and len(word) >= 2):
            if word not in words:
                words.append(word)
    return words


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/admin/"):
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


CHANGELIST = re.compile(r"^/admin/(\w+)/(\w+)/(\?.*)?$")
FIRST_OBJECT = re.compile(r'<th class="field-[^"]*"><a href="(/admin/\w+/\w+/[^"/]+/change/)')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo (`manage.py load_demo`), once for the module, rolled back after it."""
    from casework.demo import load_demo_cases
    from documents.demo import load_demo_office
    from meetings.demo import load_demo_meetings
    from registry.demo import load_demo_background_import, load_demo_catalog
    from staffing.demo import load_demo
    from staffing.services import calendar_seed_from_package

    year = timezone.localdate().year
    with (
        django_db_blocker.unblock(),
        tempfile.TemporaryDirectory() as media,
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        calendar_seed_from_package(years=[y for y in (year - 1, year) if 2004 <= y <= 2026])
        out = StringIO()
        load_demo(stdout=out)
        load_demo_catalog(stdout=out)
        load_demo_background_import(stdout=out)
        load_demo_cases(stdout=out)
        load_demo_meetings(stdout=out)
        load_demo_office(stdout=out)
        yield
        transaction.set_rollback(True)


def pages_of(client: Client) -> dict:
    """The index, every admin link on it, and the first object's change and history page of each list:
    {url: response}, each page asked once."""
    pages = {"/admin/": client.get("/admin/")}
    for href in links(pages["/admin/"].content.decode()):
        if not href.startswith("/admin/logout/") and href not in pages:
            pages[href] = client.get(href)
    for href, response in list(pages.items()):
        match = CHANGELIST.match(href)
        if not match or match.group(3) or response.status_code != 200:
            continue
        first = FIRST_OBJECT.search(response.content.decode())
        if first:
            change = first.group(1).replace("&amp;", "&")
            for page in (change, change.removesuffix("change/") + "history/"):
                if page not in pages:
                    pages[page] = client.get(page)
    return pages


def problems(page: str, response) -> list[str]:
    """The English words of a page, or its error status; nothing for a redirect or a download."""
    if response.status_code in (301, 302):
        return []
    if response.status_code >= 400:
        return [f"状态码 {response.status_code}"]
    if "text/html" not in response.get("Content-Type", ""):
        return []
    words = english_words(visible_text(response.content.decode()))
    if USERNAME_PAGES.match(page):
        words = [word for word in words if word not in ROLES]
    return words


def test_every_page_each_role_reaches_speaks_chinese(demo):
    started = time.monotonic()
    failures, count = [], 0
    for role in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=role))
        for page, response in pages_of(client).items():
            count += 1
            words = problems(page, response)
            if words:
                failures.append(f"{role} {page}: {' '.join(words[:20])}")
    elapsed = time.monotonic() - started
    assert not failures, f"{len(failures)}/{count} 个页面有英文或 None({elapsed:.0f} 秒):\n" + "\n".join(failures)
    print(f"{count} 个页面,{elapsed:.0f} 秒")


def test_the_visible_text_leaves_out_scripts_styles_attributes_and_form_values():
    html = (
        '<html><head><style>body{color:red}</style><script>var x = "Error";</script></head>'
        '<body title="Choose"><p class="field-name">首问登记 <b>None</b></p><br>'
        '<textarea name="body">{{ case.number }}</textarea><input value="Save"> 导出 Excel</body></html>'
    )
    text = visible_text(html)
    assert text == "首问登记 None 导出 Excel"
    assert english_words(text) == ["None"]
    assert english_words("Choose all 组 A4 纸") == ["Choose", "all"]
