"""`python manage.py generate_volume --items N --cases N --history N [--seed S]`: a province's volume.

Fills the database with realistic generated data for benchmarks (docs/performance.md, `make bench`):

1. the official calendar (from chinese-calendar) if the table is empty;
2. an organisation if no window has staff yet: 30 stationed departments with two windows each, a
   window head and three window staff per window, the center's leaders, an administrator and an
   inspector (logins without a usable password);
3. `--items` service items of every handling mode and item type, each with 6 materials and 3 steps
   (joint items with a co-department), valid under the catalog rules, with their creation history;
4. `--cases` cases received on the working days of the last three years, in every status and handling
   type: dates, due dates (counted on the official calendar, from one cached WorkCalendar, no query
   per case), completion, overdue and same-day flags consistent with each other and with today.
   About `--open` of them (default 5 %) are still open: the recent ones, and stuck ones (waiting for
   the applicant's 补正, past the acceptance deadline, accepted but not started, or past the due date);
5. history rows, `--history` in all (the rows of steps 2–4 included): every case's creation row, and
   for the newest cases their whole life (受理, 开始办理, 办结, 送达, …) by the handler, with the same
   change reasons as the services. When the budget does not cover every case's life, the older cases
   keep only their creation row. History ids follow history dates, as in a live system.

Rows are written in batches with `executemany` through Django's connection, ids assigned here: the
ORM's bulk_create compiles every value of every row in Python and was measured 5× slower (17.5 s vs
3.2 s for 50,000 cases). Nothing is switched off (constraints, indexes, the history tables all stay);
no model is saved, so no signal fires, and the history rows are written explicitly. Cases get no
materials, steps, transitions or notices (the lists and statistics do not read them). PostgreSQL's
statistics are refreshed at the end (ANALYZE); SQLite's are left alone (see finish()).

Idempotence is not required: a second run adds another volume beside the first (new codes, numbers
after the existing ones). It refuses to run with DEBUG off unless --force.
"""

import datetime
import heapq
import math
import operator
import random
import time
from bisect import bisect_right
from collections import Counter

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from casework import rollup
from casework.models import Case, CaseCounter, CaseStatus, CaseworkSettings
from registry.models import HandlingMode, ItemCoDepartment, ItemStatus, ItemType, Material, ProcedureStep, ServiceItem
from staffing import roles, services
from staffing.models import CalendarDay, Department, DepartmentKind, LeaderRole, Staff, Window
from staffing.working_days import WorkCalendar

REASON = "生成大批量测试数据"
BATCH = 5000
S = CaseStatus
UTC = datetime.timezone.utc

DEPARTMENT_NAMES = [
    "市场监督管理局", "公安局", "人力资源和社会保障局", "民政局", "自然资源局", "住房和城乡建设局",
    "交通运输局", "农业农村局", "水利局", "商务局", "文化广电新闻出版旅游局", "卫生健康委员会",
    "应急管理局", "林业局", "生态环境局", "税务局", "医疗保障局", "退役军人事务局",
    "教育体育局", "司法局", "财政局", "发展和改革委员会", "工业和信息化局", "统计局",
    "城市管理局", "残疾人联合会", "住房公积金管理中心", "不动产登记中心", "烟草专卖局", "气象局",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红建文辉鹏飞斌宇浩凯晨阳欣怡子涵梓轩雨晴思远嘉俊佳琪"
PLACES = ["大余", "南安", "新城", "樟斗", "池江", "青龙", "黄龙", "吉村", "浮江", "左拔", "内良", "河洞"]
TRADES = ["商贸", "建材", "餐饮", "物流", "农业科技", "电子", "服装", "医药", "文化传媒", "建筑工程"]
FORMS = ["原件", "复印件", "原件和复印件", "电子"]
FORM_VALUES = ["original", "copy", "both", "electronic"]
ITEM_TYPES = list(ItemType.values)
# Handling modes of the items: (mode, share, statutory choices, committed share of statutory)
MODES = [
    (HandlingMode.IMMEDIATE, 0.30),
    (HandlingMode.COMMITTED, 0.45),
    (HandlingMode.JOINT, 0.12),
    (HandlingMode.REPORT_UP, 0.13),
]
# Each step of a case's life: the reason the services write (casework.services) and the new status.
REASONS = {
    S.CORRECTION: "一次性告知补正",
    S.ACCEPTED: "受理",
    S.IN_PROGRESS: "开始办理",
    S.APPROVED: "办结(准予)",
    S.DISAPPROVED: "办结(不予批准)",
    S.NOT_ACCEPTED: "不予受理(已否定报备)",
    S.DELIVERED: "送达",
}
DECISIONS = (S.APPROVED, S.DISAPPROVED)  # a case that reached one of these could have been stuck before it
DAY_START, DAY_END = 8 * 3600 + 30 * 60, 17 * 3600 + 30 * 60  # the hall's hours, seconds after midnight
ID_CHECK = "10X98765432"
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def resident_id(rng: random.Random) -> str:
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 55))
    body = f"36{rng.randrange(1, 99):02d}{rng.randrange(1, 30):02d}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]


def credit_code(rng: random.Random) -> str:
    body = "91" + f"36{rng.randrange(10000):04d}" + "".join(rng.choice(CREDIT_CHARSET) for _ in range(9))
    total = sum(CREDIT_CHARSET.index(ch) * w for ch, w in zip(body, CREDIT_WEIGHTS))
    return body + CREDIT_CHARSET[(31 - total % 31) % 31]


class Table:
    """Rows for one table, written in batches in the table's column order (executemany; COPY on PostgreSQL).

    `row(values)` takes attnames → values already in database form (see Generator.day/moment);
    missing fields take the field's default (or NULL / "").
    """

    def __init__(self, model):
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in fields]
        self.defaults = []
        for field in fields:
            if field.has_default() and not callable(field.default):
                default = field.get_default()
            elif field.null:
                default = None
            elif field.get_internal_type() in ("CharField", "TextField", "FileField"):
                default = ""
            else:
                default = None
            self.defaults.append(default)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        self.pending: list[tuple] = []
        self.written = 0
        self.template = dict(zip(self.names, self.defaults))
        self.getter = operator.itemgetter(*self.names)

    def add(self, values: dict) -> None:
        row = self.template.copy()
        row.update(values)
        self.pending.append(self.getter(row))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: PostgreSQL's bulk path, several times faster than executemany of INSERTs.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.pending:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.pending)
        self.written += len(self.pending)
        self.pending = []


def next_id(model, field="pk") -> int:
    name = model._meta.pk.attname if field == "pk" else field
    return (model._default_manager.aggregate(last=Max(name))["last"] or 0) + 1


class Generator:
    def __init__(self, *, items, cases, history, seed, open_share, years, stdout):
        self.items_wanted, self.cases_wanted, self.history_budget = items, cases, history
        self.rng = random.Random(seed)
        self.open_share, self.years = open_share, years
        self.stdout = stdout
        self.sqlite = connection.vendor == "sqlite"
        self.now = timezone.now().astimezone(UTC).replace(tzinfo=None)  # naive UTC
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate()
        self.calendar = WorkCalendar()
        self.history_written = 0
        self._day_cache: dict[int, object] = {}
        self._midnights: dict[int, datetime.datetime] = {}  # local midnight of a day, in naive UTC
        local = timezone.localtime()
        self.now_seconds = local.hour * 3600 + local.minute * 60 + local.second  # local time of day
        self.started = time.monotonic()
        self.counts = Counter()

    # Values in database form

    def day(self, ordinal):
        if ordinal is None:
            return None
        value = self._day_cache.get(ordinal)
        if value is None:
            day = datetime.date.fromordinal(ordinal)
            value = self._day_cache[ordinal] = day.isoformat() if self.sqlite else day
        return value

    def moment(self, utc: datetime.datetime):
        """A naive UTC datetime in the form Django stores it (SQLite: text; others: aware)."""
        return utc.isoformat(" ") if self.sqlite else utc.replace(tzinfo=UTC)

    def local_time(self, ordinal: int, seconds: int) -> datetime.datetime:
        """Naive UTC of `seconds` after local midnight of day `ordinal` (the day's UTC offset at noon)."""
        base = self._midnights.get(ordinal)
        if base is None:
            noon = timezone.make_aware(datetime.datetime.fromordinal(ordinal) + datetime.timedelta(hours=12), self.tz)
            base = self._midnights[ordinal] = datetime.datetime.fromordinal(ordinal) - noon.utcoffset()
        return base + datetime.timedelta(seconds=seconds)

    def say(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f} 秒] {message}")
        self.stdout.flush()

    # 1. Calendar and organisation

    def ensure_calendar(self):
        if not CalendarDay.objects.exists():
            added = services.calendar_seed_from_package()
            self.say(f"工作日历为空:已从 chinese-calendar 导入 {added} 天。")

    def ensure_organisation(self):
        windows = list(Window.objects.filter(is_active=True, staff__is_active=True).distinct().select_related("department"))
        if not windows:
            tracked = (Department, Window, Staff)
            before = sum(model.history.count() for model in tracked)
            self.create_organisation()
            self.history_written += sum(model.history.count() for model in tracked) - before
            windows = list(Window.objects.filter(is_active=True, staff__is_active=True).distinct().select_related("department"))
        self.windows = windows
        staff = Staff.objects.filter(is_active=True, window__in=windows).values_list("pk", "user_id", "window_id", "position")
        self.window_staff: dict[int, list[tuple[int, int]]] = {}
        self.window_head: dict[int, tuple[int, int]] = {}
        for pk, user_id, window_id, position in staff:
            self.window_staff.setdefault(window_id, []).append((pk, user_id))
            if position == "窗口负责人":
                self.window_head[window_id] = (pk, user_id)
        for window_id, people in self.window_staff.items():
            self.window_head.setdefault(window_id, people[0])
        self.departments = sorted({window.department_id for window in windows})
        self.say(f"组织机构:{len(self.departments)} 个部门、{len(windows)} 个窗口、{sum(map(len, self.window_staff.values()))} 名窗口人员。")

    def create_organisation(self):
        groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL_ROLES)}
        badge = iter(range(next_id(Staff), 10**7))

        def person(department, role, *, window=None, position="", leader_role=""):
            number = next(badge)
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(GIVEN)
            member = services.staff_create(
                name=name, badge_no=f"GV{number:05d}", department=department, window=window, position=position,
                phone=f"0797-87{number % 100000:05d}", leader_role=leader_role,
            )
            member.user.groups.add(groups[role])
            return member

        with transaction.atomic():
            office, _ = Department.objects.get_or_create(name="办公室", defaults={"kind": DepartmentKind.SECTION})
            person(office, roles.CENTER_ADMIN, position="系统管理员")
            person(office, roles.INSPECTOR, position="督查员")
            person(office, roles.MAIN_LEADER, position="主任", leader_role=LeaderRole.MAIN)
            deputies = [
                person(office, roles.LEADER_IN_CHARGE, position="副主任", leader_role=LeaderRole.IN_CHARGE) for _ in range(2)
            ]
            window_number = next_id(Window)
            for index, short in enumerate(DEPARTMENT_NAMES):
                department, _ = Department.objects.get_or_create(
                    name=f"县{short}", defaults={"kind": DepartmentKind.STATIONED, "sort_order": index + 1}
                )
                department.leader_in_charge = deputies[index % 2]
                department.save()
                for _ in range(2):
                    window = Window.objects.create(
                        number=f"G{window_number:03d}", name=f"{short}窗口{window_number}", department=department
                    )
                    window_number += 1
                    person(department, roles.WINDOW_HEAD, window=window, position="窗口负责人")
                    for _ in range(3):
                        person(department, roles.WINDOW_STAFF, window=window, position="窗口工作人员")
        self.say("已创建组织机构:30 个进驻部门、60 个窗口、245 名工作人员(登录账号无可用密码)。")

    # 2. Catalog

    def create_catalog(self):
        rng = self.rng
        items, materials, steps, links = (Table(model) for model in (ServiceItem, Material, ProcedureStep, ItemCoDepartment))
        histories = {model: Table(model.history.model) for model in (ServiceItem, Material, ProcedureStep, ItemCoDepartment)}
        ids = {model: next_id(model) for model in (ServiceItem, Material, ProcedureStep, ItemCoDepartment)}
        history_ids = {model: next_id(model.history.model, "history_id") for model in histories}
        moment = self.moment(self.local_time(self.today.toordinal() - 365 * self.years - 30, DAY_START))
        # (id, window index, mode, statutory, committed, fee terms, report authority, head approval, history id)
        self.items = []
        modes, weights = zip(*MODES)

        def write(model, table, values):
            values["id"] = ids[model]
            ids[model] += 1
            table.add(values)
            histories[model].add({
                **values, "history_id": history_ids[model], "history_date": moment,
                "history_change_reason": REASON, "history_type": "+", "history_user_id": None,
            })
            history_ids[model] += 1
            return values["id"]

        for index in range(self.items_wanted):
            window_index = index % len(self.windows)
            window = self.windows[window_index]
            mode = rng.choices(modes, weights)[0]
            if mode == HandlingMode.IMMEDIATE:
                statutory, committed = rng.choice([5, 10, 15, 20]), 0
            elif mode == HandlingMode.REPORT_UP:
                statutory = rng.choice([20, 30, 45, 60])
                committed = max(1, int(statutory * rng.uniform(0.5, 0.8)))
            else:
                statutory = rng.choice([10, 15, 20, 30])
                committed = max(3, int(statutory * rng.uniform(0.4, 0.7)))
            fee = rng.random() < 0.2
            status = rng.choices([ItemStatus.ACTIVE, ItemStatus.DRAFT, ItemStatus.SUSPENDED], [90, 7, 3])[0]
            head = rng.random() < 0.03
            authority = "市行政审批局" if mode == HandlingMode.REPORT_UP else ""
            code = f"GV{ids[ServiceItem]:07d}"
            item_id = write(ServiceItem, items, {
                "code": code, "name": f"{DEPARTMENT_NAMES[index % 30][:-1]}事项{index:05d}",
                "sub_name": f"子项{index % 3}" if index % 3 else "", "item_type": ITEM_TYPES[index % len(ITEM_TYPES)],
                "department_id": window.department_id, "window_id": window.pk, "handling_mode": mode.value,
                "statutory_limit_days": statutory, "committed_limit_days": committed,
                "legal_basis": f"《某某管理条例》第{index % 90 + 1}条", "conditions": "申请人符合法定条件,材料齐全、符合法定形式。",
                "charges_fee": fee, "fee_standard": "按件收取,每件10元" if fee else "", "fee_basis": "赣发改收费〔2020〕1号" if fee else "",
                "procedure": "受理—审核—决定—送达", "result_name": f"准予许可决定书{index % 7}", "location": "行政服务中心一楼大厅",
                "office_hours": "工作日 8:30-12:00 14:30-17:30", "contact": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": f"0797-87{index % 100000:05d}", "visits": 1 + index % 2, "online": bool(index % 2),
                "is_major": index % 50 == 0, "needs_head_approval": head, "report_authority": authority,
                "status": status.value, "disclosure_missing": "", "disclosure_complete": True,
            })
            item_history_id = history_ids[ServiceItem] - 1
            for order in range(1, 7):
                form = (index + order) % 4
                write(Material, materials, {
                    "item_id": item_id, "order": order, "name": f"申请材料{order}", "form": FORM_VALUES[form],
                    "copies": 1 + order % 2, "required": order < 5, "source": "申请人自备", "note": "", "blank_form": "",
                })
            limits = (0, 0, 0) if mode == HandlingMode.IMMEDIATE else (1, max(1, committed // 2), max(1, committed // 4))
            for order, (name, limit) in enumerate(zip(("受理", "审核", "决定"), limits), start=1):
                write(ProcedureStep, steps, {
                    "item_id": item_id, "order": order, "name": name, "limit_days": limit, "counts_towards_limit": True,
                })
            if mode == HandlingMode.JOINT:
                others = [d for d in self.departments if d != window.department_id]
                if others:
                    write(ItemCoDepartment, links, {"item_id": item_id, "department_id": rng.choice(others)})
            if status != ItemStatus.DRAFT:
                fee_terms = f"收费:按件收取,每件10元(依据:赣发改收费〔2020〕1号)" if fee else "不收费"
                self.items.append(
                    (item_id, window_index, mode.value, statutory, committed, fee_terms, authority, head, item_history_id)
                )
        for table in (items, materials, steps, links, *histories.values()):
            table.flush()
        written = sum(table.written for table in histories.values())
        self.history_written += written
        self.counts.update({"事项": items.written, "材料": materials.written, "环节": steps.written, "联办部门": links.written})
        self.say(f"事项目录:{items.written:,} 个事项、{materials.written:,} 条材料、{steps.written:,} 个环节,历史 {written:,} 行。")

    # 3. Cases

    def lifecycle(self, rng, item, received: int, received_seconds: int, working: list, index_of: dict):
        """The events of one case after its receipt: [(day ordinal, seconds, status, changes)], unclipped.

        `working` is the ascending list of working-day ordinals; days are counted on it (the calendar),
        the due dates with the WorkCalendar the services use.
        """
        random = rng.random
        mode, statutory, committed = item[2], item[3], item[4]
        k0 = index_of[received]
        events = []
        day, seconds = received, received_seconds

        def at(k, gap=4800):
            """The moment of the next event on working day k: later the same day, or at some hour of a later day."""
            nonlocal day, seconds
            following = working[k]
            if following == day:
                seconds = min(seconds + 300 + int(random() * gap), 86000)
            else:
                day, seconds = following, DAY_START + int(random() * (DAY_END - DAY_START))
            return day, seconds

        immediate = mode == "immediate"
        if not immediate and random() < 0.03:  # 不予受理 within two working days
            events.append((*at(k0 + int(random() * 3)), S.NOT_ACCEPTED, {}))
            return events
        k = k0
        if not immediate and random() < 0.08:  # 一次性告知补正; the applicant comes back later
            events.append((*at(k), S.CORRECTION, {}))
            k += 1 + int(random() * 8)
        elif not immediate and random() >= 0.8:
            k += 1 + int(random() * 3)
        accepted = working[k]
        accepted_day = datetime.date.fromordinal(accepted)
        limit_days = committed or 0
        due = self.calendar.add_working_days(accepted_day, limit_days).toordinal()
        statutory_due = self.calendar.add_working_days(accepted_day, statutory).toordinal() if statutory else None
        events.append((*at(k), S.ACCEPTED, {
            "accepted_on": accepted, "committed_due_date": due, "statutory_due_date": statutory_due,
        }))
        if not immediate and random() < 0.33:
            k += 1
        events.append((*at(k), S.IN_PROGRESS, {}))
        if immediate:
            k += 0 if random() < 0.97 else 1
        elif random() < 0.07:  # late
            k = index_of[due] + 1 + int(random() * 10)
        else:
            k = max(k, k0 + int(limit_days * (0.3 + 0.7 * random())))
        if k >= len(working):
            return events
        completed = working[k]
        outcome = S.DISAPPROVED if random() < 0.02 else S.APPROVED
        events.append((*at(k, 6600), outcome, {
            "completed_on": completed, "overdue": completed > due, "same_day_missed": immediate and completed != received,
        }))
        if outcome == S.APPROVED and random() < 0.9:
            k += int(random() * 6)
            if k < len(working):
                events.append((*at(k, 3300), S.DELIVERED, {"delivered_on": working[k]}))
        return events

    def plan_days(self, working_all: list) -> list[tuple[int, int]]:
        """(day ordinal, cases received) for every working day of the period, growing a little each year."""
        # The same day `years` back (29 February falls on 1 March), not clipped to the 28th: at a month's
        # end that would start the period days early.
        first = (
            datetime.date(self.today.year - self.years, self.today.month, 1) + datetime.timedelta(days=self.today.day - 1)
        ).toordinal()
        last = self.today.toordinal() if self.now_seconds > DAY_START + 1800 else self.today.toordinal() - 1
        days = [d for d in working_all if first < d <= last]
        weights = [1.0 + 0.1 * (d - first) / 365 + (0.15 if datetime.date.fromordinal(d).weekday() == 0 else 0) for d in days]
        total = sum(weights)
        plan, done, running = [], 0, 0.0
        for day, weight in zip(days, weights):
            running += weight
            count = round(self.cases_wanted * running / total) - done
            plan.append((day, count))
            done += count
        return plan

    def create_cases(self):
        rng = self.rng
        deemed_days = CaseworkSettings.load().deemed_acceptance_days
        # The working days from a year before the period to two years after today: every count lands inside.
        low = datetime.date(self.today.year - self.years - 1, 1, 1)
        high = datetime.date(self.today.year + 2, 12, 31)
        self.calendar.working_days_between(low, high)  # loads the span in one query
        working = [
            d for d in range(low.toordinal(), high.toordinal() + 1) if self.calendar.is_working_day(datetime.date.fromordinal(d))
        ]
        index_of = {d: i for i, d in enumerate(working)}
        plan = self.plan_days(working)
        today = self.today.toordinal()
        today_index = bisect_right(working, today) - 1  # the last working day up to today
        age = {day: today_index - index_of[day] for day, _ in plan}  # in working days

        # Items get cases unevenly: a few items (ID cards, business licences) take most of them.
        items = self.items or self.existing_items()
        rng.shuffle(items)
        cumulative, total = [], 0.0
        for rank in range(len(items)):
            total += 1 / (rank + 1) ** 0.8
            cumulative.append(total)

        # A sample of lives (unclipped): when their changes happen, and when the closable ones close.
        sample_rng, sample_day = random.Random(7), working[index_of[plan[0][0]] + 300]
        sample = [
            self.lifecycle(sample_rng, items[i % len(items)], sample_day, DAY_START, working, index_of) for i in range(4000)
        ]
        offsets = sorted(index_of[event[0]] - index_of[sample_day] for events in sample for event in events)
        closing = sorted(  # when the decision (办结) comes, for the lives that are not 不予受理
            index_of[event[0]] - index_of[sample_day] for events in sample for event in events if event[2] in DECISIONS
        )

        def changes_by(age_days):  # changes a case of that age has had, on average
            return bisect_right(offsets, age_days) / len(sample)

        def closed_share(day):  # cases of that day closed by now, not counting 不予受理
            return bisect_right(closing, age[day] - 1) / len(sample)

        # Stuck cases: a share of the recent cases that would be closed by now stay open, to reach --open.
        natural_open = sum(count * (1 - closed_share(day) - (1 - len(closing) / len(sample))) for day, count in plan)
        closable = sum(count * closed_share(day) * math.exp(-age[day] / 60) for day, count in plan)
        target = self.open_share * self.cases_wanted
        stuck_share = min(0.9, max(0.0, (target - natural_open) / closable)) if closable else 0.0

        def expected_changes(day):  # a stuck case keeps about 1.2 changes (补正, or 受理 and 开始办理)
            stuck = closed_share(day) * stuck_share * math.exp(-age[day] / 60)
            return changes_by(age[day]) - stuck * max(0.0, changes_by(age[day]) - 1.2)

        budget = self.history_budget - self.history_written
        plus_from, full_from = self.history_cutoffs(plan, budget, expected_changes)
        self.say(
            f"办件计划:{self.cases_wanted:,} 件,分布在 {len(plan)} 个工作日;每件一生平均 {len(offsets) / len(sample):.1f} 次状态变更;"
            f"办件历史预算 {budget:,} 行:{datetime.date.fromordinal(min(plus_from, today))} 起收件的办件有新增记录,"
            f"{datetime.date.fromordinal(min(full_from, today))} 起收件的有全部变更记录;"
            f"自然未办结约 {natural_open:,.0f} 件,积压比例 {stuck_share:.2f}。"
        )

        cases, history = Table(Case), Table(Case.history.model)
        case_id = next_id(Case)
        history_id = next_id(Case.history.model, "history_id")
        counters = {
            (window, day.toordinal()): last
            for window, day, last in CaseCounter.objects.filter(window__in=self.windows).values_list("window_id", "day", "last")
        }
        new_counters = {}
        pending = []  # heap of (day, seconds, sequence, history row values): written in time order
        sequence = 0
        applicants = self.applicant_pool(rng, max(1000, self.cases_wanted // 20))
        statuses, modes = Counter(), Counter()
        written, last_report = 0, time.monotonic()
        now_key = (today, self.now_seconds)

        def emit_until(key):
            nonlocal history_id
            while pending and (pending[0][0], pending[0][1]) <= key:
                day, seconds, _, values = heapq.heappop(pending)
                if self.history_written >= self.history_budget:
                    continue
                values["history_id"] = history_id
                history_id += 1
                values["history_date"] = self.moment(self.local_time(day, seconds))
                history.add(values)
                self.history_written += 1

        chunks, size = [[]], 0  # one transaction per ~50,000 cases
        for day, count in plan:
            if size >= 50_000:
                chunks.append([])
                size = 0
            chunks[-1].append((day, count))
            size += count
        for chunk in chunks:
            with transaction.atomic():
                for day, count in chunk:
                    emit_until((day - 1, 86400))
                    hours = DAY_END - DAY_START
                    if day == today:
                        hours = max(60, min(hours, self.now_seconds - DAY_START - 60))
                    arrivals = sorted(rng.randrange(hours) + DAY_START for _ in range(count))
                    received_on, deadline = self.day(day), self.day(working[index_of[day] + deemed_days])
                    stuck_chance = stuck_share * math.exp(-age[day] / 60)
                    date_text = datetime.date.fromordinal(day).strftime("%Y%m%d")
                    for received_seconds in arrivals:
                        item = items[min(bisect_right(cumulative, rng.random() * total), len(items) - 1)]
                        item_id, window_index, mode, statutory, committed, fee_terms, authority, head, item_version = item
                        window = self.windows[window_index]
                        people = self.window_staff[window.pk]
                        handler, handler_user = people[rng.randrange(len(people))]
                        key = (window.pk, day)
                        number = counters.get(key, 0) + 1
                        counters[key] = new_counters[key] = number
                        events = self.lifecycle(rng, item, day, received_seconds, working, index_of)
                        happened = [event for event in events if (event[0], event[1]) <= now_key]
                        if (
                            any(event[2] in DECISIONS for event in happened) and rng.random() < stuck_chance
                        ):  # stuck before the decision: waiting for the applicant's 补正 (the clock stopped),
                            # still received past the acceptance deadline, or in progress past the due date
                            kind, reached = rng.random(), [event[2] for event in happened]
                            if kind < 0.55 and mode != "immediate":
                                noticed = min(received_seconds + 600 + int(rng.random() * 3600), 86000)
                                happened = [(day, noticed, S.CORRECTION, {})]
                            elif kind < 0.7:
                                happened = []
                            elif kind < 0.8:
                                happened = happened[: reached.index(S.ACCEPTED) + 1]
                            else:
                                happened = happened[: reached.index(S.IN_PROGRESS) + 1]
                        state = {
                            "id": case_id, "number": f"{window.number}-{date_text}-{number:04d}",
                            "item_id": item_id, "item_version": item_version, "department_id": window.department_id,
                            "window_id": window.pk, "hall_id": window.hall_id, **applicants[rng.randrange(len(applicants))],
                            "first_inquiry_staff_id": handler, "handler_id": handler, "priority": rng.random() < 0.01,
                            "handling_mode": mode, "statutory_limit_days": statutory, "committed_limit_days": committed,
                            "fee_terms": fee_terms, "status": S.RECEIVED.value,
                            "received_at": self.moment(self.local_time(day, received_seconds)), "received_on": received_on,
                            "acceptance_deadline": deadline,
                        }
                        if day >= plus_from:
                            sequence += 1
                            heapq.heappush(pending, (day, received_seconds, sequence, {
                                **state, "history_change_reason": "收件", "history_type": "+", "history_user_id": handler_user,
                            }))
                        for event_day, event_seconds, status, changes in happened:
                            state["status"] = status.value
                            for name, value in changes.items():
                                state[name] = self.day(value) if name.endswith(("_on", "_date")) else value
                            if status == S.IN_PROGRESS and mode == HandlingMode.REPORT_UP:
                                state["reported_up_on"] = self.day(working[index_of[event_day] + 1])
                                state["report_authority"] = authority
                            elif status in (S.APPROVED, S.DISAPPROVED):
                                if mode == HandlingMode.REPORT_UP:
                                    state["report_result"] = "上级机关审批同意" if status == S.APPROVED else "上级机关不予批准"
                                    state["report_result_on"] = self.day(event_day)
                                if head:
                                    state["head_approved_by_id"] = self.window_head[window.pk][0]
                                    approved_at = self.local_time(event_day, max(DAY_START, event_seconds - 1800))
                                    state["head_approved_at"] = self.moment(approved_at)
                            if day >= full_from:
                                sequence += 1
                                heapq.heappush(pending, (event_day, event_seconds, sequence, {
                                    **state, "history_change_reason": REASONS[status], "history_type": "~",
                                    "history_user_id": handler_user,
                                }))
                        cases.add(state)
                        statuses[state["status"]] += 1
                        modes[mode] += 1
                        case_id += 1
                    written += count
                cases.flush()
                history.flush()
            if time.monotonic() - last_report > 10 or chunk is chunks[-1]:
                last_report = time.monotonic()
                rate = written / (last_report - self.started_cases)
                self.say(f"办件 {written:,} / {self.cases_wanted:,},办件历史 {history.written:,} 行,约 {rate:,.0f} 件/秒")
        with transaction.atomic():
            emit_until(now_key)
            history.flush()
            self.write_counters(new_counters)
        self.counts.update({"办件": cases.written, "办件历史": history.written})
        labels = dict(S.choices)
        self.say("办件状态:" + "、".join(f"{labels[s]} {n:,}" for s, n in statuses.most_common()))
        self.say("办件类型:" + "、".join(f"{HandlingMode(m).label} {n:,}" for m, n in modes.most_common()))

    def history_cutoffs(self, plan, budget, changes):
        """The first day whose cases get a creation row, and the first whose cases get their whole life.

        Newest first: creation rows for as many days as the budget allows, then the changes (the mean
        a case of that age has had, from a sample of lives) for as many of those days as the rest allows.
        """
        plus_from = full_from = plan[-1][0] + 1
        rows = 0.0
        for day, count in reversed(plan):
            if rows + count > budget:
                break
            rows += count
            plus_from = day
        for day, count in reversed(plan):
            if day < plus_from or rows + count * changes(day) > budget * 0.995:
                break
            rows += count * changes(day)
            full_from = day
        return plus_from, full_from

    def existing_items(self):
        rows = ServiceItem.objects.filter(status=ItemStatus.ACTIVE, window__in=self.windows).values_list(
            "pk", "window_id", "handling_mode", "statutory_limit_days", "committed_limit_days", "report_authority",
            "needs_head_approval",
        )
        index = {window.pk: i for i, window in enumerate(self.windows)}
        items = [(pk, index[w], mode, statutory, committed if committed is not None else 0, "不收费", authority, head, None)
                 for pk, w, mode, statutory, committed, authority, head in rows]
        if not items:
            raise CommandError("没有可用的在用事项:请加 --items N 生成事项。")
        return items

    def applicant_pool(self, rng, size):
        pool = []
        for _ in range(size):
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            if rng.random() < 0.8:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
                pool.append({"applicant_kind": "person", "applicant_name": name, "id_type": "resident_id",
                             "id_number": resident_id(rng), "phone": phone})
            else:
                name = f"{rng.choice(PLACES)}县{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司"
                pool.append(
                    {"applicant_kind": "organisation", "applicant_name": name, "credit_code": credit_code(rng), "phone": phone}
                )
        return pool

    def write_counters(self, new_counters):
        """The numbering counters say how far each window's day has got, so the next receipt numbers on."""
        existing = dict(
            ((w, d.toordinal()), pk)
            for pk, w, d in CaseCounter.objects.filter(window__in=self.windows).values_list("pk", "window_id", "day")
        )
        table = Table(CaseCounter)
        counter_id = next_id(CaseCounter)
        for (window_id, day), last in new_counters.items():
            if (window_id, day) in existing:
                CaseCounter.objects.filter(pk=existing[(window_id, day)]).update(last=last)
            else:
                table.add({"id": counter_id, "window_id": window_id, "day": self.day(day), "last": last})
                counter_id += 1
        table.flush()

    # 4. After the writes

    def finish(self):
        if self.cases_wanted:
            # The cases were written without Case.save: count them into the daily statistics.
            started = time.monotonic()
            rows = rollup.rebuild()
            self.say(f"办件日统计已重新计算:{rows:,} 行,{time.monotonic() - started:.1f} 秒。")
        models = [ServiceItem, Material, ProcedureStep, ItemCoDepartment, Case, CaseCounter]
        models += [model.history.model for model in (ServiceItem, Material, ProcedureStep, ItemCoDepartment, Case)]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if not self.sqlite:
                # PostgreSQL's autovacuum would soon do this to the new rows; do it now, before any
                # benchmark: the statistics for the planner, and the visibility map, without which an
                # index-only scan (the list counts) still reads every row. VACUUM cannot run inside a
                # transaction (the tests call the command in one): there, only ANALYZE.
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                started = time.monotonic()
                cursor.execute(command)
                self.say(f"已更新查询规划器的统计信息({command}),{time.monotonic() - started:.1f} 秒。")
        # On SQLite no ANALYZE, as in a running deployment (Django never runs it): with statistics,
        # SQLite 3.40 plans the case list's joins by scanning the items and sorting every case
        # (2.3 s instead of 2 ms at 1,000,000 cases; docs/performance.md).

    def run(self):
        if self.sqlite:
            with connection.cursor() as cursor:
                # This connection only: a bigger page cache for the bulk writes.
                cursor.execute("PRAGMA cache_size = -262144")
        self.ensure_calendar()
        self.ensure_organisation()
        self.items = []
        if self.items_wanted:
            with transaction.atomic():
                self.create_catalog()
        if self.cases_wanted:
            self.started_cases = time.monotonic()
            self.create_cases()
            seconds = time.monotonic() - self.started_cases
            self.counts["办件用时(秒)"] = round(seconds, 1)
        self.finish()
        return self.counts


class Command(BaseCommand):
    help = (
        "生成大批量测试数据(用于性能测试):组织机构、事项目录(含材料、环节)、近三年各种状态和类型的办件及变更记录。"
        "只用于测试库:DEBUG 关闭时须加 --force。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=10_000, help="生成的事项数(每个事项6条材料、3个环节),默认 10000")
        parser.add_argument("--cases", type=int, default=100_000, help="生成的办件数,默认 100000")
        parser.add_argument(
            "--history", type=int, default=200_000,
            help="生成的历史(变更记录)行数上限,默认 200000;组织机构和事项的新增记录总会写入,其余给办件",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机数种子(同一种子、同一空库生成相同数据)")
        parser.add_argument("--open", type=float, default=0.05, dest="open_share", help="未办结办件的大致比例,默认 0.05")
        parser.add_argument("--years", type=int, default=3, help="办件分布的年数,默认 3")
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也运行(只可用于测试库)")

    def handle(self, *args, items, cases, history, seed, open_share, years, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭:这是正式环境吗?生成的测试数据会混入正式数据。确是测试库请加 --force。")
        if min(items, cases, history) < 0 or not 0 <= open_share < 1 or years < 1:
            raise CommandError("参数须为非负数,--open 在 0 与 1 之间,--years 至少为 1。")
        started = time.monotonic()
        generator = Generator(
            items=items, cases=cases, history=history, seed=seed, open_share=open_share, years=years, stdout=self.stdout
        )
        counts = generator.run()
        counts["历史合计"] = generator.history_written
        self.stdout.write(
            f"完成,用时 {time.monotonic() - started:.1f} 秒:" + ",".join(f"{name} {value:,}" for name, value in counts.items()) + "。"
        )
