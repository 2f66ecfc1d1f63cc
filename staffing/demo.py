"""Demo data for 大余县行政服务中心: the organisation, its staff, A/B posts and one login per role.

The data is plain Python below; `load_demo()` writes it through the staffing services. Loading is
idempotent: rows are looked up by their natural keys (department name, window number, badge number,
(department, post name), (post, staff)) and only what is missing is created, so an administrator's
later edits are kept. The one exception is the eight demo logins: every run makes them usable again
(active, staff, exactly their role group, the demo password), so that the printed table is true.

The names, badge numbers and phone numbers are made up.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from simple_history.utils import update_change_reason

from . import roles, services
from .models import Department, DepartmentKind, LeaderRole, Post, PostSubstitute, Staff, Window

CHANGE_REASON = "加载演示数据"

# Shown to whoever loads the demo; it never goes near a real deployment (the command refuses without DEBUG).
DEMO_PASSWORD = "Dayu-Demo#2026"

MAIN = LeaderRole.MAIN
IN_CHARGE = LeaderRole.IN_CHARGE

# The two leaders in charge (副主任), by badge number.
DEPUTY_ZHONG = "DY002"
DEPUTY_HUANG = "DY003"

# (name, kind, phone, badge number of the leader in charge)
DEPARTMENTS = [
    # The center's own sections (股室).
    ("办公室", DepartmentKind.SECTION, "0797-8721001", DEPUTY_ZHONG),
    ("审批协调股", DepartmentKind.SECTION, "0797-8721002", DEPUTY_ZHONG),
    ("督查股", DepartmentKind.SECTION, "0797-8721003", DEPUTY_HUANG),
    ("综合股", DepartmentKind.SECTION, "0797-8721005", DEPUTY_HUANG),
    # Stationed departments (进驻部门).
    ("县市场监督管理局", DepartmentKind.STATIONED, "0797-8721101", DEPUTY_ZHONG),
    ("县公安局(户政)", DepartmentKind.STATIONED, "0797-8721102", DEPUTY_ZHONG),
    ("县人力资源和社会保障局", DepartmentKind.STATIONED, "0797-8721103", DEPUTY_ZHONG),
    ("县自然资源局", DepartmentKind.STATIONED, "0797-8721104", DEPUTY_HUANG),
    ("县住房和城乡建设局", DepartmentKind.STATIONED, "0797-8721105", DEPUTY_HUANG),
    ("国家税务总局大余县税务局", DepartmentKind.STATIONED, "0797-8721106", DEPUTY_ZHONG),
    ("县卫生健康委员会", DepartmentKind.STATIONED, "0797-8721107", DEPUTY_HUANG),
    ("县交通运输局", DepartmentKind.STATIONED, "0797-8721108", DEPUTY_HUANG),
    ("县民政局", DepartmentKind.STATIONED, "0797-8721109", DEPUTY_HUANG),
    ("县不动产登记中心", DepartmentKind.STATIONED, "0797-8721110", DEPUTY_ZHONG),
    ("县住房公积金管理中心", DepartmentKind.STATIONED, "0797-8721111", DEPUTY_ZHONG),
    ("县医疗保障局", DepartmentKind.STATIONED, "0797-8721112", DEPUTY_HUANG),
]

# (number, name, department, location)
WINDOWS = [
    ("01", "市场主体登记", "县市场监督管理局", "一楼大厅东区"),
    ("02", "食品药品经营许可", "县市场监督管理局", "一楼大厅东区"),
    ("03", "户籍业务", "县公安局(户政)", "一楼大厅西区"),
    ("04", "出入境证件", "县公安局(户政)", "一楼大厅西区"),
    ("05", "社会保险", "县人力资源和社会保障局", "二楼东区"),
    ("06", "就业创业", "县人力资源和社会保障局", "二楼东区"),
    ("07", "规划用地审批", "县自然资源局", "二楼西区"),
    ("08", "建设工程审批", "县住房和城乡建设局", "二楼西区"),
    ("09", "综合办税", "国家税务总局大余县税务局", "一楼大厅北区"),
    ("10", "发票领用", "国家税务总局大余县税务局", "一楼大厅北区"),
    ("11", "医疗卫生许可", "县卫生健康委员会", "三楼东区"),
    ("12", "道路运输许可", "县交通运输局", "三楼东区"),
    ("13", "民政事务", "县民政局", "三楼西区"),
    ("14", "不动产登记受理", "县不动产登记中心", "一楼大厅南区"),
    ("15", "不动产缴费发证", "县不动产登记中心", "一楼大厅南区"),
    ("16", "公积金业务", "县住房公积金管理中心", "二楼东区"),
    ("17", "医保业务", "县医疗保障局", "二楼东区"),
]

# (badge number, name, department, window number or None, position, phone, leader role, role group)
STAFF = [
    # Center leadership, attached to the office.
    ("DY001", "刘建华", "办公室", None, "主任", "13907971001", MAIN, roles.MAIN_LEADER),
    ("DY002", "钟晓明", "办公室", None, "副主任", "13907971002", IN_CHARGE, roles.LEADER_IN_CHARGE),
    ("DY003", "黄丽萍", "办公室", None, "副主任", "13907971003", IN_CHARGE, roles.LEADER_IN_CHARGE),
    # 办公室
    ("DY004", "谢文涛", "办公室", None, "办公室主任", "13907971004", "", roles.SECTION_HEAD),
    ("DY005", "曾雅琴", "办公室", None, "系统管理员", "0797-8721001", "", roles.CENTER_ADMIN),
    ("DY006", "赖美玲", "办公室", None, "文秘", "0797-8721001", "", roles.OFFICE_STAFF),
    ("DY007", "邱志刚", "办公室", None, "财务", "0797-8721001", "", roles.OFFICE_STAFF),
    # 审批协调股
    ("DY008", "罗国平", "审批协调股", None, "股长", "13907971008", "", roles.SECTION_HEAD),
    ("DY009", "温海燕", "审批协调股", None, "科员", "0797-8721002", "", roles.OFFICE_STAFF),
    ("DY010", "肖宇航", "审批协调股", None, "科员", "0797-8721002", "", roles.OFFICE_STAFF),
    # 督查股
    ("DY011", "廖振东", "督查股", None, "股长", "13907971011", "", roles.SECTION_HEAD),
    ("DY012", "蓝晓燕", "督查股", None, "督查员", "0797-8721003", "", roles.INSPECTOR),
    # 综合股
    ("DY013", "朱明辉", "综合股", None, "股长", "13907971013", "", roles.SECTION_HEAD),
    ("DY014", "何静", "综合股", None, "科员", "0797-8721005", "", roles.OFFICE_STAFF),
    # Stationed departments.
    ("DY015", "陈志强", "县市场监督管理局", "01", "窗口负责人", "13907971015", "", roles.WINDOW_HEAD),
    ("DY016", "李春梅", "县市场监督管理局", "01", "窗口工作人员", "0797-8721101", "", roles.WINDOW_STAFF),
    ("DY017", "郭海波", "县市场监督管理局", "02", "窗口工作人员", "0797-8721101", "", roles.WINDOW_STAFF),
    ("DY018", "王建军", "县公安局(户政)", "03", "窗口负责人", "13907971018", "", roles.WINDOW_HEAD),
    ("DY019", "赖小红", "县公安局(户政)", "03", "窗口工作人员", "0797-8721102", "", roles.WINDOW_STAFF),
    ("DY020", "张磊", "县公安局(户政)", "04", "窗口工作人员", "0797-8721102", "", roles.WINDOW_STAFF),
    ("DY021", "钟丽华", "县人力资源和社会保障局", "05", "窗口负责人", "13907971021", "", roles.WINDOW_HEAD),
    ("DY022", "刘芳", "县人力资源和社会保障局", "06", "窗口工作人员", "0797-8721103", "", roles.WINDOW_STAFF),
    ("DY023", "邱国庆", "县自然资源局", "07", "窗口负责人", "13907971023", "", roles.WINDOW_HEAD),
    ("DY024", "谢婷", "县自然资源局", "07", "窗口工作人员", "0797-8721104", "", roles.WINDOW_STAFF),
    ("DY025", "黄志勇", "县住房和城乡建设局", "08", "窗口负责人", "13907971025", "", roles.WINDOW_HEAD),
    ("DY026", "曾敏", "县住房和城乡建设局", "08", "窗口工作人员", "0797-8721105", "", roles.WINDOW_STAFF),
    ("DY027", "罗晓东", "国家税务总局大余县税务局", "09", "窗口负责人", "13907971027", "", roles.WINDOW_HEAD),
    ("DY028", "李娜", "国家税务总局大余县税务局", "09", "窗口工作人员", "0797-8721106", "", roles.WINDOW_STAFF),
    ("DY029", "温志华", "国家税务总局大余县税务局", "10", "窗口工作人员", "0797-8721106", "", roles.WINDOW_STAFF),
    ("DY030", "肖红梅", "县卫生健康委员会", "11", "窗口负责人", "13907971030", "", roles.WINDOW_HEAD),
    ("DY031", "陈伟", "县卫生健康委员会", "11", "窗口工作人员", "0797-8721107", "", roles.WINDOW_STAFF),
    ("DY032", "卢建平", "县交通运输局", "12", "窗口负责人", "13907971032", "", roles.WINDOW_HEAD),
    ("DY033", "何丽", "县交通运输局", "12", "窗口工作人员", "0797-8721108", "", roles.WINDOW_STAFF),
    ("DY034", "朱小兰", "县民政局", "13", "窗口负责人", "13907971034", "", roles.WINDOW_HEAD),
    ("DY035", "钟伟", "县民政局", "13", "窗口工作人员", "0797-8721109", "", roles.WINDOW_STAFF),
    ("DY036", "刘志明", "县不动产登记中心", "14", "窗口负责人", "13907971036", "", roles.WINDOW_HEAD),
    ("DY037", "黄晓玲", "县不动产登记中心", "14", "窗口工作人员", "0797-8721110", "", roles.WINDOW_STAFF),
    ("DY038", "谢俊", "县不动产登记中心", "15", "窗口工作人员", "0797-8721110", "", roles.WINDOW_STAFF),
    ("DY039", "廖文斌", "县住房公积金管理中心", "16", "窗口负责人", "13907971039", "", roles.WINDOW_HEAD),
    ("DY040", "蓝丽娟", "县住房公积金管理中心", "16", "窗口工作人员", "0797-8721111", "", roles.WINDOW_STAFF),
    ("DY041", "郭晓燕", "县医疗保障局", "17", "窗口负责人", "13907971041", "", roles.WINDOW_HEAD),
    ("DY042", "邱华", "县医疗保障局", "17", "窗口工作人员", "0797-8721112", "", roles.WINDOW_STAFF),
]

# (department, post name, A holder, [B holders in take-over order], duties)
POSTS = [
    ("办公室", "文秘岗", "DY006", ["DY007", "DY004"], "公文收发、登记、传阅与归档,会议记录。"),
    ("办公室", "财务岗", "DY007", ["DY006"], "经费收支、资金使用审批表、办公用品出入库。"),
    ("办公室", "信息系统管理岗", "DY005", ["DY006"], "管理系统的机构、账号、权限与基础数据维护。"),
    ("审批协调股", "审批协调岗", "DY008", ["DY009", "DY010"], "联办件协调、否定报备审核、上报事项跟踪。"),
    ("审批协调股", "事项目录管理岗", "DY009", ["DY010"], "政务服务事项目录、办事指南与申请材料的维护。"),
    ("督查股", "效能督查岗", "DY012", ["DY011"], "窗口纪律、办件时限督查,投诉举报调查,责任追究。"),
    ("综合股", "综合事务岗", "DY014", ["DY013"], "值班安排、会议室、来电记录与后勤报修。"),
    ("县市场监督管理局", "市场主体登记受理岗", "DY016", ["DY015", "DY017"], "企业、个体工商户设立、变更、注销登记的受理与审核。"),
    ("县市场监督管理局", "食品药品经营许可岗", "DY017", ["DY016", "DY015"], "食品经营、药品零售许可的受理与审查。"),
    ("县公安局(户政)", "户籍办理岗", "DY019", ["DY018"], "户口迁移、出生登记、身份证申领。"),
    ("县公安局(户政)", "出入境证件岗", "DY020", ["DY019", "DY018"], "护照、往来港澳台通行证的受理。"),
    ("县人力资源和社会保障局", "社会保险经办岗", "DY021", ["DY022"], "社保参保登记、缴费基数核定、待遇申领。"),
    ("县人力资源和社会保障局", "就业创业服务岗", "DY022", ["DY021"], "就业登记、失业登记、创业担保贷款受理。"),
    ("县自然资源局", "规划用地审批岗", "DY024", ["DY023"], "建设用地规划许可、用地预审的受理。"),
    ("县住房和城乡建设局", "建设工程审批岗", "DY026", ["DY025"], "施工许可、竣工验收备案的受理。"),
    ("国家税务总局大余县税务局", "综合办税岗", "DY028", ["DY029", "DY027"], "税务登记、纳税申报、税费缴纳。"),
    ("国家税务总局大余县税务局", "发票领用岗", "DY029", ["DY028"], "发票领用、代开与验旧。"),
    ("县卫生健康委员会", "医疗卫生许可岗", "DY031", ["DY030"], "医疗机构执业登记、公共场所卫生许可的受理。"),
    ("县交通运输局", "道路运输许可岗", "DY033", ["DY032"], "道路运输经营许可、从业资格证的受理。"),
    ("县民政局", "民政事务岗", "DY035", ["DY034"], "社会救助申请、社会组织登记的受理。"),
    ("县不动产登记中心", "不动产登记受理岗", "DY037", ["DY038", "DY036"], "不动产首次、转移、抵押登记的受理。"),
    ("县不动产登记中心", "缴费发证岗", "DY038", ["DY037"], "登记费收取、不动产权证书缮证与发放。"),
    ("县住房公积金管理中心", "公积金业务岗", "DY040", ["DY039"], "公积金缴存、提取与贷款受理。"),
    ("县医疗保障局", "医保业务岗", "DY042", ["DY041"], "医保参保登记、异地就医备案、报销受理。"),
]

# (role group, username, badge number): one login per role, with DEMO_PASSWORD.
DEMO_ACCOUNTS = [
    (roles.CENTER_ADMIN, "admin", "DY005"),
    (roles.MAIN_LEADER, "leader", "DY001"),
    (roles.LEADER_IN_CHARGE, "deputy", "DY002"),
    (roles.WINDOW_HEAD, "windowhead", "DY015"),
    (roles.WINDOW_STAFF, "window", "DY016"),
    (roles.SECTION_HEAD, "sectionhead", "DY008"),
    (roles.OFFICE_STAFF, "office", "DY006"),
    (roles.INSPECTOR, "inspector", "DY012"),
]


DEMO_BADGES = {badge_no for _role, _username, badge_no in DEMO_ACCOUNTS}


class Cast:
    """The demo staff as loaded, by badge number, and the users of the demo logins, by username: the
    acting users of the other apps' demos."""

    def __init__(self):
        badges = [row[0] for row in STAFF]
        self.staff = {s.badge_no: s for s in Staff.objects.filter(badge_no__in=badges).select_related("user")}
        missing = sorted(set(badges) - set(self.staff))
        if missing:
            raise ValidationError(f"演示工作人员缺失(工号:{'、'.join(missing)}),请先加载演示机构数据。")
        self.logins = {username: self.staff[badge_no].user for _role, username, badge_no in DEMO_ACCOUNTS}

    def user(self, login: str):
        return self.logins[login]


def create_by(user, model, **fields):
    """A demo row that has no service (the admin saves it as it is): validated, with its history."""
    obj = model(**fields)
    obj.full_clean()
    obj._history_user, obj._change_reason = user, CHANGE_REASON
    obj.save()
    return obj


def _create(model, **fields):
    obj = model(**fields)
    obj.full_clean()
    obj._change_reason = CHANGE_REASON
    obj.save()
    return obj


def _role_groups() -> dict[str, Group]:
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL_ROLES)}
    missing = [role for role in roles.ALL_ROLES if role not in groups]
    if missing:
        raise ValidationError(f"角色组「{'、'.join(missing)}」不存在,请先运行 python manage.py migrate。")
    return groups


def _load_departments(created: dict) -> dict[str, Department]:
    departments = {d.name: d for d in Department.objects.filter(name__in=[row[0] for row in DEPARTMENTS])}
    for sort_order, (name, kind, phone, _leader) in enumerate(DEPARTMENTS, start=1):
        if name not in departments:
            departments[name] = _create(Department, name=name, kind=kind, phone=phone, sort_order=sort_order)
            created["部门/股室"] += 1
    return departments


def _load_windows(departments, created: dict) -> dict[str, Window]:
    windows = {w.number: w for w in Window.objects.filter(number__in=[row[0] for row in WINDOWS])}
    for number, name, department, location in WINDOWS:
        if number not in windows:
            windows[number] = _create(
                Window, number=number, name=name, department=departments[department], location=location
            )
            created["窗口"] += 1
    return windows


def _load_staff(departments, windows, groups, created: dict) -> dict[str, Staff]:
    staff = {s.badge_no: s for s in Staff.objects.filter(badge_no__in=[row[0] for row in STAFF])}
    for badge_no, name, department, window, position, phone, leader_role, role in STAFF:
        if badge_no in staff:
            continue
        member = services.staff_create(
            name=name,
            badge_no=badge_no,
            department=departments[department],
            window=windows[window] if window else None,
            position=position,
            phone=phone,
            leader_role=leader_role,
            password=DEMO_PASSWORD if badge_no in DEMO_BADGES else None,
        )
        update_change_reason(member, CHANGE_REASON)
        member.user.groups.set([groups[role]])
        staff[badge_no] = member
        created["工作人员"] += 1
    return staff


def _load_leaders_in_charge(departments, staff) -> None:
    """Fill in a missing leader in charge; one an administrator has chosen stays."""
    for name, _kind, _phone, leader in DEPARTMENTS:
        department = departments[name]
        if department.leader_in_charge_id is None:
            department.leader_in_charge = staff[leader]
            department.full_clean()
            department._change_reason = CHANGE_REASON
            department.save()


def _load_posts(departments, staff, created: dict) -> None:
    posts = {(p.department_id, p.name): p for p in Post.objects.filter(department__in=departments.values())}
    for department, name, a_holder, b_holders, duties in POSTS:
        key = (departments[department].pk, name)
        post = posts.get(key)
        if post is None:
            post = Post(name=name, department=departments[department], a_holder=staff[a_holder], duties=duties)
            services.post_check_substitutes(post=post, substitutes=[staff[badge_no] for badge_no in b_holders])
            post.full_clean()
            post._change_reason = CHANGE_REASON
            post.save()
            posts[key] = post
            created["岗位"] += 1
        present = dict(post.substitutes.values_list("staff_id", "order"))
        for order, badge_no in enumerate(b_holders, start=1):
            holder = staff[badge_no]
            if holder.pk in present:
                continue
            if order in present.values():  # an administrator has put someone else in this place
                order = (post.substitutes.aggregate(last=Max("order"))["last"] or 0) + 1
            _create(PostSubstitute, post=post, staff=holder, order=order)
            present[holder.pk] = order
            created["B岗责任人"] += 1


def _load_accounts(staff, groups) -> list[tuple[str, str, str]]:
    """Make each demo login usable: its role's group only, active, staff, not superuser, the demo password.

    The demo logins are renamed from the badge number (the rule of `staff_create`) to the role's name,
    so that whoever tries the demo can remember them.
    """
    User = get_user_model()
    logins = []
    for role, username, badge_no in DEMO_ACCOUNTS:
        user = staff[badge_no].user
        if User.objects.filter(username=username).exclude(pk=user.pk).exists():
            raise ValidationError(
                f"演示账号「{username}」(角色:{role},工号:{badge_no})无法创建:用户名「{username}」"
                f"已被另一个账号占用。请改名或删除该账号后重新加载演示数据。"
            )
        wanted = {"username": username, "is_active": True, "is_staff": True, "is_superuser": False}
        changed = [field for field, value in wanted.items() if getattr(user, field) != value]
        for field in changed:
            setattr(user, field, wanted[field])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
        if list(user.groups.values_list("pk", flat=True)) != [groups[role].pk]:
            user.groups.set([groups[role]])
        logins.append((role, username, DEMO_PASSWORD))
    return logins


def load_demo(stdout=None) -> list[tuple[str, str, str]]:
    """Load the demo organisation and logins; returns (role, username, password) for each role.

    Safe to run again: nothing is duplicated, existing rows are left as they are.
    """
    created = dict.fromkeys(["部门/股室", "窗口", "工作人员", "岗位", "B岗责任人"], 0)
    with transaction.atomic():
        groups = _role_groups()
        departments = _load_departments(created)
        windows = _load_windows(departments, created)
        staff = _load_staff(departments, windows, groups, created)
        _load_leaders_in_charge(departments, staff)
        _load_posts(departments, staff, created)
        logins = _load_accounts(staff, groups)
    if stdout is not None:
        stdout.write("演示数据已加载,新增:" + ",".join(f"{label} {count}" for label, count in created.items()) + "。")
    return logins
