"""The demo's halls (S1.1-f): the tax bureau's 办税服务分中心 with its head, clerk, two windows, the tax
items it also offers and cases received there, and the township center of 池江镇 (not on the system).

Runs after the organisation, the catalog and the center's cases; safe to run again (found by name)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import update_change_reason

from casework import services as case_services
from casework.demo import organisation, person
from casework.models import Case, MaterialState
from registry.demo import item_code
from registry.models import ItemHall, ServiceItem
from staffing import roles
from staffing.demo import CHANGE_REASON, DEMO_PASSWORD, create_by
from staffing.demo_clock import DemoClock
from staffing.models import Department, Staff, Window
from staffing.services import staff_create

from .models import Hall, HallKind

TAX = "国家税务总局大余县税务局"
BRANCH = {
    "name": "国家税务总局大余县税务局办税服务分中心",
    "kind": HallKind.BRANCH,
    "address": "大余县南安镇新华路18号",
    "phone": "0797-8721188",
    "working_hours": "周一至周五 上午8:00—12:00 下午14:30—17:30",
    "sort_order": 10,
}
TOWNSHIP = {
    "name": "池江镇便民服务中心",
    "kind": HallKind.TOWNSHIP,
    "address": "大余县池江镇池江大道56号",
    "phone": "0797-8561012",
    "working_hours": "周一至周五 上午8:00—12:00 下午14:30—17:30",
    "uses_system": False,
    "sort_order": 20,
}
WINDOWS = [("F01", "综合办税(分中心)"), ("F02", "社保费缴纳(分中心)")]
# badge, name, login, window, position, role
STAFF = [
    ("FZ001", "刘志强", "branchhead", "F02", "窗口负责人", roles.WINDOW_HEAD),
    ("FZ002", "陈静", "branchclerk", "F01", "窗口工作人员", roles.WINDOW_STAFF),
]
# The tax items the branch also offers (they stay offered at the center's hall).
ITEMS = ["XK-020", "QT-001", "GG-005", "QR-005"]

# (item, applicant, working days ago, steps): received at F01 by the clerk; approvals by the head.
CASES = [
    ("QT-001", organisation("大余县新城镇绿源农资店", "92", 2301, "13807971101"), 0, ["accept", "approve", "deliver"]),
    ("GG-005", person("廖春生", "19720311", 411, "13979752201"), 0, ["accept", "approve", "deliver"]),
    ("QR-005", organisation("大余县南安镇晨光文具店", "92", 2302, "13576631302"), 1, ["accept", "approve", "deliver"]),
    ("QT-001", organisation("大余县鑫达建材有限公司", "91", 1301, "0797-8733401"), 1, ["accept", "approve"]),
    ("GG-005", person("黄小平", "19850726", 212, "15170712503"), 0, []),
    ("XK-020", organisation("江西大余锦程钨业有限公司", "91", 1302, "0797-8712604"), 6, ["accept", "start"]),
    ("XK-020", organisation("大余县顺丰物流有限公司", "91", 1303, "0797-8737605"), 3, ["accept"]),
    ("XK-020", organisation("大余县丫山旅游开发有限公司", "91", 1304, "0797-8788606"), 2, ["correction"]),
    ("QR-005", person("钟美华", "19690102", 308, "13907977707"), 2, ["not_accept"]),
    ("QT-001", organisation("大余县南安镇好运来超市", "92", 2303, "13870793308"), 4, ["accept", "approve", "deliver"]),
]


def _hall(department, **fields) -> tuple[Hall, bool]:
    hall = Hall.objects.filter(name=fields["name"]).first()
    if hall is not None:
        return hall, False
    return create_by(None, Hall, department=department, **fields), True


def _windows(department, hall) -> dict[str, Window]:
    windows = {}
    for number, name in WINDOWS:
        window = Window.objects.filter(number=number).first()
        windows[number] = window or create_by(None, Window, number=number, name=name, department=department, hall=hall, location="分中心一楼")
    return windows


def _staff(department, windows) -> dict[str, Staff]:
    User = get_user_model()
    found = {}
    for badge_no, name, login, window, position, role in STAFF:
        member = Staff.objects.filter(badge_no=badge_no).select_related("user").first()
        if member is None:
            if User.objects.filter(username=login).exists():
                raise ValidationError(f"演示账号「{login}」无法创建:用户名「{login}」已被另一个账号占用。")
            member = staff_create(
                name=name, badge_no=badge_no, department=department, window=windows[window], position=position,
                phone=BRANCH["phone"], password=DEMO_PASSWORD,
            )  # fmt: skip
            update_change_reason(member, CHANGE_REASON)
            member.user.username = login
            member.user.save(update_fields=["username"])
            member.user.groups.set([Group.objects.get(name=role)])
        found[login] = member
    return found


def _play(item, window, clerk, head, clock, applicant, days_ago, steps, turn) -> Case:
    case = case_services.case_receive(
        item=item, window=window, user=clerk, received_at=clock.at(days_ago, f"{9 + turn % 7}:{(turn * 13) % 60:02d}"), **applicant
    )
    for step in steps:
        case.refresh_from_db()
        if step in ("accept", "correction"):
            for material in case.materials.filter(state=MaterialState.PENDING).order_by("order"):
                case_services.case_check_material(material=material, user=clerk, state=MaterialState.RECEIVED)
        if step == "accept":
            case_services.case_accept(case=case, user=clerk, accepted_on=clock.day(days_ago))
        elif step == "correction":
            first = case.materials.order_by("order").first()
            if first is not None:
                case_services.case_check_material(material=first, user=clerk, state=MaterialState.MISSING, problem="未附延期缴纳税款申请报告原件")
            case_services.case_request_correction(case=case, user=clerk, note="请补交延期缴纳税款申请报告原件")
        elif step == "start":
            case_services.case_start(case=case, user=clerk)
        elif step == "approve":
            case_services.case_approve(case=case, user=head, completed_on=clock.day(days_ago))
        elif step == "deliver":
            case_services.case_deliver(case=case, user=clerk, delivered_on=clock.day(days_ago))
        elif step == "not_accept":
            case_services.case_refuse(
                case=case, user=head, stage="not_accepted", category="not_allowed",
                reason="申请人尚有未申报的税款,不符合清税条件", legal_basis="《中华人民共和国税收征收管理法实施细则》第十六条",
            )  # fmt: skip
    return case


def load(stdout=None) -> dict:
    department = Department.objects.filter(name=TAX).first()
    if department is None:
        raise ValidationError(f"演示部门「{TAX}」不存在,请先加载演示机构数据。")
    counts = {"halls": 0, "cases": 0}
    with transaction.atomic():
        branch, created = _hall(department, **BRANCH)
        counts["halls"] += created
        counts["halls"] += _hall(None, **TOWNSHIP)[1]
        windows = _windows(department, branch)
        staff = _staff(department, windows)
        if branch.head_id is None:
            branch.head = staff["branchhead"]
            branch._change_reason = CHANGE_REASON
            branch.save()
        items = {i.code: i for i in ServiceItem.objects.filter(code__in=[item_code(code) for code in ITEMS])}
        center = Hall.objects.filter(kind=HallKind.CENTER).order_by("pk").first()
        for item in items.values():
            for hall in (center, branch):
                if not ItemHall.objects.filter(item=item, hall=hall).exists():
                    create_by(None, ItemHall, item=item, hall=hall)
        if not Case.objects.filter(hall=branch).exists() and len(items) == len(ITEMS):
            clock = DemoClock()
            clerk, head = staff["branchclerk"].user, staff["branchhead"].user
            for turn, (code, applicant, days_ago, steps) in enumerate(sorted(CASES, key=lambda row: -row[2])):
                _play(items[item_code(code)], windows["F01"], clerk, head, clock, applicant, days_ago, steps, turn)
                counts["cases"] += 1
    if stdout is not None:
        accounts = "、".join(f"{login}({name},{position})" for _badge, name, login, _window, position, _role in STAFF)
        stdout.write(
            f"演示服务场所:新增场所 {counts['halls']} 个,分中心办件 {counts['cases']} 件;分中心账号 {accounts},密码同演示账号。"
        )
    return counts
