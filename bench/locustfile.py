"""The traffic of `make loadtest` (bench/loadtest.py starts the server and locust with this file).

Three kinds of users, signed in as generate_volume's staff: with a session bench/loadtest.py opened for
them, or (LOADTEST_SIGN_IN=1, the warm-up) through the login page; LOADTEST_USERS names the JSON file:

- clerks (窗口工作人员): the case list, a case page of their department, and 收件 → 受理: the intake form,
  its submit, then the new case's page and its 受理 button with every material ticked 已收取;
- leaders (中心主任、分管副主任): the dashboard (admin index), the statistics of the last 12 months by
  department and by month;
- inspectors (督查人员): the change timeline (first page, and one case's history), the name search 王.

Request names are the page groups of the report: 列表, 办件页, 收件, 受理, 仪表盘, 统计, 时间线, 搜索, 登录.

Each user waits 5–15 s between requests (LOADTEST_WAIT="MIN-MAX" to change it): the time a person at a
window spends reading a page, talking to the applicant and checking papers before the next click. Fifty
such people ask about 5 requests a second, 360 clicks an hour each. The first runs waited 1–3 s, about
20 requests a second from 50 people, which no counter staff clicks; bench/loadtest.py still runs that as
the capacity check (`--wait 1-3`), and docs/performance.md gives both.
"""

import datetime
import json
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

USERS = json.loads(open(os.environ["LOADTEST_USERS"], encoding="utf-8").read())
WAIT = tuple(float(seconds) for seconds in os.environ.get("LOADTEST_WAIT", "5-15").split("-"))
PASSWORD = USERS["password"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
CHECK_DIGITS = "10X98765432"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(rng) -> str:
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 55))
    body = f"360{rng.randrange(100, 999)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + CHECK_DIGITS[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


class FormInputs(HTMLParser):
    """The fields of one form (by id) as a browser would post them: hidden and text inputs, checked
    radios and checkboxes, selected options."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "radio", "checkbox"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on")
        elif tag == "textarea":
            self.fields[a["name"]] = ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_fields(html: str, form_id: str) -> dict:
    parser = FormInputs(form_id)
    parser.feed(html)
    return parser.fields


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class Staff(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    kind = ""

    def on_start(self):
        self.origin = self.host
        self.me = random.choice(USERS[self.kind])
        self.rng = random.Random()
        if not os.environ.get("LOADTEST_SIGN_IN"):
            # A session bench/loadtest.py signed in beforehand (no password hashing during the run).
            host = self.host.split("://", 1)[-1].split(":")[0]
            self.client.cookies.set("sessionid", random.choice(self.me["sessions"]), domain=host, path="/")
            return
        page = self.client.get("/admin/login/", name="登录")
        response = self.client.post(
            "/admin/login/?next=/admin/",
            {"username": self.me["username"], "password": PASSWORD, "csrfmiddlewaretoken": csrf_of(page.text), "next": "/admin/"},
            headers={"Referer": f"{self.origin}/admin/login/"}, name="登录", allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"登录失败:{self.me['username']}(HTTP {response.status_code})")

    def referer(self, url):
        return {"Referer": self.origin + url}


class Clerk(Staff):
    weight = 6
    kind = "clerks"

    @task(4)
    def case_list(self):
        self.client.get("/admin/casework/case/", name="列表")

    @task(1)
    def overdue_list(self):
        self.client.get("/admin/casework/case/?deadline=overdue", name="列表")

    @task(4)
    def case_page(self):
        case = self.rng.choice(self.me["cases"])
        self.client.get(f"/admin/casework/case/{case}/change/", name="办件页")

    @task(2)
    def receive_and_accept(self):
        form = self.client.get("/admin/casework/case/add/", name="收件")
        data = {
            "csrfmiddlewaretoken": csrf_of(form.text), "item": self.rng.choice(self.me["items"]), "window": "",
            "applicant_kind": "person", "id_type": "resident_id", "id_number": resident_id(self.rng),
            "applicant_name": self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(GIVEN),
            "phone": f"139{self.rng.randrange(10**8):08d}", "_save": "1",
        }
        with self.client.post("/admin/casework/case/add/", data, headers=self.referer("/admin/casework/case/add/"),
                              name="收件", allow_redirects=False, catch_response=True) as done:
            if done.status_code != 302:
                done.failure(f"收件未成功(HTTP {done.status_code})")
                return
            case_url = done.headers["Location"]
        page = self.client.get(case_url, name="办件页")
        fields = form_fields(page.text, "case_form")
        for name in list(fields):
            if name.endswith("-problem"):
                fields[name] = ""
        for index in re.findall(r'name="materials-(\d+)-state"', page.text):
            fields[f"materials-{index}-state"] = "received"
        fields.update({"_case_page": "1", "note": ""})
        accept_url = case_url.replace("/change/", "/accept/")
        with self.client.post(accept_url, fields, headers=self.referer(case_url), name="受理",
                              allow_redirects=False, catch_response=True) as done:
            if done.status_code != 302:
                done.failure(f"受理未成功(HTTP {done.status_code})")
                return
        # The step redirects to the case page also when the service refused: the page says which.
        with self.client.get(case_url, name="办件页", catch_response=True) as after:
            if "未能受理" in after.text:
                message = re.search(r"未能受理[^<]*", after.text).group(0)
                after.failure(message)


class Leader(Staff):
    weight = 2
    kind = "leaders"

    @task(3)
    def dashboard(self):
        self.client.get("/admin/", name="仪表盘")

    @task(1)
    def statistics_by_department(self):
        self.client.get("/admin/casework/case/statistics/", params=self.last_twelve_months("department"), name="统计")

    @task(1)
    def statistics_by_month(self):
        self.client.get("/admin/casework/case/statistics/", params=self.last_twelve_months("month"), name="统计")

    def last_twelve_months(self, by):
        today = datetime.date.today()
        start = datetime.date(today.year - 1, today.month, 1)
        return {"start": start.isoformat(), "end": today.isoformat(), "by": by}


class Inspector(Staff):
    weight = 2
    kind = "inspectors"

    @task(2)
    def timeline(self):
        self.client.get("/admin/history/", name="时间线")

    @task(2)
    def one_case(self):
        case = self.rng.choice(USERS["followed_cases"])
        self.client.get("/admin/history/", params={"model": "casework.Case", "object": case}, name="时间线")

    @task(2)
    def search(self):
        self.client.get("/admin/casework/case/", params={"q": self.rng.choice("王李张")}, name="搜索")
