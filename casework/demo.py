"""Demo consultations and cases of 大余县行政服务中心, written through the casework services.

Forty-odd cases over the last weeks, at most windows, in every status, each told as a short story
(received, materials checked, 补正, accepted, steps finished, approved or refused, delivered, appealed,
extended) that `load_demo_cases()` plays through the same services as the admin. The acting users are
the demo staff of `staffing.demo`: the window clerk takes in and handles, the window head decides, the
department's leader in charge approves major refusals and extensions, the office decides appeals.

Dates: receipts, acceptances, finished steps, completions and appeals carry the dates of the story
(working days before the demo's working day: today, or on a weekend or holiday the last working day
before it); the services date refusals and notices today.

It needs the organisation (`staffing.demo`) and the published catalog (`registry.demo`). Loading is
idempotent in the simplest way: when any case or consultation exists, nothing is loaded.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from registry.demo import item_code, window_clerks
from registry.models import ServiceItem
from staffing import demo as staffing_demo
from staffing import roles
from staffing.demo_clock import DemoClock
from staffing.models import Staff, Window

from . import services
from .models import (
    Case,
    CaseExtension,
    CaseStatus,
    Consultation,
    ConsultationOutcome,
    MaterialState,
    Refusal,
    RefusalCategory,
    RefusalStage,
)
from .validators import CREDIT_CHARSET, CREDIT_WEIGHTS, ID_CHECK, ID_WEIGHTS

# Times of day at which the receipts of past days come in, in turn.
RECEIPT_TIMES = ["09:05", "09:40", "10:15", "10:50", "11:25", "15:00", "15:35", "16:10", "16:45"]


# ---------------------------------------------------------------- applicants (made up)


def resident_id(birth: str, sequence: int, region: str = "360723") -> str:
    """A resident ID number of 大余县 with a correct check digit (GB 11643)."""
    body = f"{region}{birth}{sequence:03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def credit_code(prefix: str, sequence: int) -> str:
    """A unified social credit code (GB 32100) with a correct check character.

    prefix: registration authority and kind (91 company, 92 individual business, 12 public institution).
    """
    body = f"{prefix}360723MA3{sequence:05d}{CREDIT_CHARSET[sequence % 31]}"
    total = sum(CREDIT_CHARSET.index(ch) * w for ch, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_CHARSET[(31 - total % 31) % 31]


def person(name, birth, sequence, phone):
    return {
        "applicant_kind": "person", "applicant_name": name, "id_type": "resident_id",
        "id_number": resident_id(birth, sequence), "phone": phone,
    }  # fmt: skip


def organisation(name, prefix, sequence, phone):
    return {
        "applicant_kind": "organisation", "applicant_name": name, "credit_code": credit_code(prefix, sequence),
        "phone": phone,
    }  # fmt: skip


CITY_BUILDER = organisation("大余县城投建设发展有限公司", "91", 1021, "0797-8735120")


# ---------------------------------------------------------------- stories

RECEIVED, MISSING, UNQUALIFIED = MaterialState.RECEIVED, MaterialState.MISSING, MaterialState.UNQUALIFIED
NOT_ACCEPTED, DISAPPROVED = RefusalStage.NOT_ACCEPTED, RefusalStage.DISAPPROVED


@dataclasses.dataclass(frozen=True)
class Story:
    """One demo case. `received` and the days in the actions are working days before today (0: today).

    Actions, played in order:
      ("check", {order: state or (state, problem)})   tick lines of the materials checklist
      ("correct", note)                                 every other pending line received; 一次性补正告知书
      ("accept", days, note)                            every line received (supplemented); 受理
      ("start",)                                        办理中
      ("finish", days)                                  finish the current procedure step on that day
      ("approve", note)                                 办结(准予), by the window head
      ("deliver",)                                      已送达
      ("refuse", stage, category, reason, basis[, referred authority])   by the window head
      ("leader_approves", note)                         the leader in charge approves the pending refusal
      ("appeal", days, grounds, overturn, decision note)   filed on that day, decided by the office
      ("extend", days, reason, approve or None, note)   requested by the clerk; None: left pending
    """

    item: str
    applicant: dict
    received: int
    actions: tuple = ()
    priority: bool = False
    assisted_note: str = ""


STORIES = [
    # ------------------------------------------------ 即办件 of today: accepted and completed on the spot
    Story("XK-001", person("刘小燕", "19910412", 128, "13979761235"), 0,
          (("accept", 0, ""), ("approve", "当场核发营业执照"), ("deliver",))),
    Story("QR-001", person("钟志远", "19930815", 231, "13907972846"), 0,
          (("accept", 0, ""), ("approve", "已办理出生登记"), ("deliver",))),
    Story("QR-006", person("李俊杰", "19960120", 117, "15979713382"), 0,
          (("accept", 0, ""), ("approve", "当场颁发结婚证"), ("deliver",))),
    Story("GG-011", person("黄桂英", "19680903", 342, "13870792217"), 0,
          (("accept", 0, ""), ("approve", "备案成功,即时生效"), ("deliver",))),
    Story("QT-001", organisation("大余县南安镇好味来餐饮店", "92", 2101, "13707977410"), 0,
          (("accept", 0, ""), ("approve", "领用增值税普通发票一本"), ("deliver",))),
    Story("GG-007", person("曾凡荣", "19750611", 155, "13576636904"), 0,
          (("accept", 0, ""), ("approve", "已出具查询结果证明"))),
    Story("QR-003", person("陈思远", "20010305", 213, "18379723519"), 0,
          (("accept", 0, ""), ("approve", "当场制发临时居民身份证"), ("deliver",))),
    Story("QR-014", person("蓝秀英", "19590726", 146, "13970710648"), 0,
          (("accept", 0, ""), ("approve", "参保登记完成"), ("deliver",))),
    Story("QR-013", organisation("大余县梅岭文化旅游发展有限公司", "91", 1187, "0797-8752319"), 0,
          (("accept", 0, ""), ("approve", "单位缴存登记完成"), ("deliver",))),
    # An immediate item not completed the same day (the system flags it).
    Story("XK-001", person("朱春花", "19870219", 264, "13767716052"), 1,
          (("accept", 1, "系统升级,营业执照次日打印"), ("approve", "营业执照已打印"))),
    # ------------------------------------------------ 承诺件 completed
    Story("QR-010", person("郭建明", "19800917", 173, "13907970385"), 1,
          (("accept", 1, ""), ("finish", 1), ("approve", "抵押登记已登簿"), ("deliver",))),
    Story("XK-019", organisation("江西大余新城建材有限公司", "91", 1302, "0797-8761022"), 4,
          (("accept", 4, ""), ("start",), ("finish", 3), ("finish", 1), ("approve", "准予最高开票限额十万元"), ("deliver",))),
    Story("GG-008", person("廖文华", "19850506", 191, "15807977216"), 1,
          (("accept", 1, ""), ("approve", "提取款已划入本人账户"), ("deliver",))),
    Story("XK-004", organisation("大余县南安镇客家味道餐饮店", "92", 2215, "13879726630"), 6,
          (("check", {3: MISSING}), ("correct", "缺少经营布局和操作流程文件,已一次性告知"),
           ("accept", 4, "申请人已补齐材料"), ("start",), ("finish", 3), ("finish", 2), ("finish", 1),
           ("approve", "现场核查合格,准予许可"))),
    Story("XK-022", organisation("大余县梅关宾馆有限公司", "91", 1356, "0797-8723306"), 8,
          (("accept", 8, ""), ("start",), ("finish", 7), ("finish", 3), ("approve", "现场审查合格,准予许可"))),
    Story("JF-001", person("何晓东", "19881123", 219, "13607978145"), 3,
          (("accept", 3, ""), ("start",), ("finish", 2), ("approve", "核定领取失业保险金12个月"))),
    Story("XK-028", organisation("大余县顺达物流有限公司", "91", 1418, "0797-8748810"), 1,
          (("accept", 1, ""), ("start",), ("finish", 1), ("approve", "核发超限运输车辆通行证"))),
    # ------------------------------------------------ 办结(不予批准)
    Story("XK-015", CITY_BUILDER, 2,
          (("accept", 2, ""), ("start",),
           ("refuse", DISAPPROVED, RefusalCategory.NOT_ALLOWED_BY_LAW,
            "施工图设计文件审查未通过,尚不具备申领施工许可证的条件。",
            "《中华人民共和国建筑法》第八条;《建筑工程施工许可管理办法》第四条"),
           ("deliver",),
           ("appeal", 0, "施工图已按审查意见修改完毕,请求先行核发施工许可证。", False,
            "经核查,施工图设计文件审查合格书尚未出具,不符合《中华人民共和国建筑法》第八条规定的条件,维持不予批准决定。"))),
    # A major item: the refusal waited for the leader in charge, who agreed.
    Story("XK-016", organisation("大余县章江房地产开发有限公司", "91", 1475, "0797-8726618"), 5,
          (("accept", 5, ""), ("start",), ("finish", 4), ("finish", 2),
           ("refuse", DISAPPROVED, RefusalCategory.NOT_ALLOWED_BY_LAW,
            "经现场查勘,投入开发建设的资金未达到工程建设总投资的25%,工程形象进度不符合预售条件。",
            "《中华人民共和国城市房地产管理法》第四十五条;《城市商品房预售管理办法》第五条"),
           ("leader_approves", "同意不予批准。请窗口向企业说明整改方向,达到条件后可重新申请。"))),
    # ------------------------------------------------ 不予受理
    Story("GG-002", person("温海龙", "19900708", 275, "13979788523"), 2,
          (("refuse", NOT_ACCEPTED, RefusalCategory.NOT_ALLOWED_BY_LAW,
            "申请人为机关事业单位在编人员,不属于个人创业担保贷款扶持对象。",
            "《财政部 人力资源社会保障部 中国人民银行关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》(财金〔2020〕21号)"),)),
    Story("XK-030", person("罗志坚", "19640314", 151, "13907971877"), 3,
          (("refuse", NOT_ACCEPTED, RefusalCategory.OUT_OF_SCOPE,
            "拟成立的社会团体活动地域跨设区的市,应由省级人民政府民政部门登记管理,不属本中心受理范围。",
            "《社会团体登记管理条例》第七条", "江西省民政厅"),)),
    # Refused for a missing material without a 补正 notice; the appeal overturned it and the case was accepted.
    Story("XK-012", person("邱长根", "19700221", 197, "13970752204"), 10,
          (("check", {2: MISSING}),
           ("refuse", NOT_ACCEPTED, RefusalCategory.MISSING_MATERIALS, "缺少村民委员会意见。",
            "《中华人民共和国城乡规划法》第四十一条"),
           ("appeal", 6, "所缺材料可以补正,窗口未出具一次性补正告知书即作出不予受理,不符合一次性告知的规定。", True,
            "经核查,所缺材料可以补正,窗口应一次性告知补正而未告知即不予受理。撤销该否定,由窗口重新办理,计入窗口考核。"),
           ("accept", 0, "申诉撤销否定后重新办理,申请人已补交村民委员会意见"))),
    # ------------------------------------------------ 收件, not yet decided
    Story("XK-002", organisation("江西南安钨业新材料有限公司", "91", 1533, "0797-8769915"), 0,
          (("check", {1: RECEIVED, 2: RECEIVED}),)),
    Story("QR-008", organisation("大余县章江房地产开发有限公司", "91", 1475, "0797-8726618"), 1),
    # Untouched for more than five working days: the law counts it as accepted (视为受理).
    Story("JF-006", person("赖桂兰", "19550918", 162, "13657978834"), 8),
    # ------------------------------------------------ 补正
    Story("XK-026", organisation("大余县通达货运有限公司", "91", 1590, "0797-8741176"), 2,
          (("check", {4: MISSING, 5: (UNQUALIFIED, "缺少车辆维护和驾驶员管理制度,请补充完善后加盖公章。")}),
           ("correct", "当场出具一次性补正告知书"))),
    Story("QR-009", person("谢国华", "19520407", 138, "13907975562"), 1,
          (("check", {5: MISSING}), ("correct", "待税务窗口完税后补交完税凭证")),
          assisted_note="申请人年逾七旬,窗口工作人员协助填写不动产登记申请书,并逐项读给本人确认。"),
    # ------------------------------------------------ 受理
    Story("XK-020", organisation("大余县金鑫钨制品有限公司", "91", 1647, "0797-8733580"), 1, (("accept", 1, ""),)),
    Story("JF-004", person("朱德明", "19400602", 115, "13870797031"), 2, (("accept", 2, ""),),
          assisted_note="申请人年满85周岁、视力较差,由窗口工作人员代为填写申请表并读给本人确认后签字。"),
    Story("GG-010", person("刘海燕", "19920129", 284, "18070793356"), 0, (("accept", 0, ""),)),
    # Due on the next working day (limit 10, accepted 9 working days ago): the due-soon list on any day.
    Story("JF-004", person("曾令华", "19471103", 182, "13979770416"), 9, (("accept", 9, ""),)),
    # ------------------------------------------------ 办理中
    Story("XK-021", organisation("大余县康宁医院有限公司", "91", 1704, "0797-8727740"), 10,
          (("accept", 10, ""), ("start",), ("finish", 9), ("finish", 5))),
    # A major item: the refusal waits for the leader in charge; until then the case goes on.
    Story("XK-005", organisation("大余县百姓大药房有限公司", "91", 1761, "0797-8729063"), 9,
          (("accept", 9, ""), ("start",), ("finish", 8), ("finish", 4),
           ("refuse", DISAPPROVED, RefusalCategory.NOT_ALLOWED_BY_LAW,
            "现场检查发现质量负责人未取得执业药师资格,不符合药品零售企业开办条件。",
            "《中华人民共和国药品管理法》第五十二条;《药品经营和使用质量监督管理办法》"))),
    # Overdue: past the committed date (the 批前公示 stopped the clock for seven working days).
    Story("XK-011", CITY_BUILDER, 25,
          (("accept", 25, ""), ("start",), ("finish", 24), ("finish", 19), ("finish", 12))),
    Story("XK-025", organisation("大余县南安客运有限公司", "91", 1818, "0797-8745527"), 21,
          (("accept", 20, ""), ("start",), ("finish", 19), ("finish", 10))),
    # Extensions: one waiting for the leader, one approved.
    Story("XK-024", organisation("大余县丫山医院有限公司", "91", 1875, "0797-8768802"), 13,
          (("accept", 13, ""), ("start",), ("finish", 12), ("finish", 6),
           ("extend", 5, "现场评审专家组提出产房设施需整改后复核,需增加评审时间。", None, ""))),
    Story("JF-002", person("黄德胜", "19650810", 199, "13907978514"), 11,
          (("accept", 11, ""), ("start",), ("finish", 10), ("finish", 4),
           ("extend", 5, "视同缴费年限需调取原单位档案核实,原单位已改制,档案调取需时。", True, "同意延期5个工作日,请抓紧核实。"))),
    Story("XK-008", person("王思琪", "19981207", 246, "15279726617"), 1,
          (("accept", 1, "申请人赴境外紧急就医,特事特办"), ("start",), ("finish", 1)), priority=True),
    Story("GG-004", CITY_BUILDER, 4, (("accept", 4, ""), ("start",), ("finish", 3))),
    # In a step that does not count (公示, 上级审批): the clock stands still.
    Story("JF-003", person("蓝福生", "19580423", 173, "13979753309"), 12,
          (("accept", 12, ""), ("start",), ("finish", 11), ("finish", 4))),
    Story("XK-013", organisation("大余县土地储备中心", "12", 1932, "0797-8722861"), 12,
          (("accept", 12, ""), ("start",), ("finish", 11), ("finish", 4), ("finish", 3))),
]  # fmt: skip

# (window number of the clerk, outcome, item, asker, phone, question, transferred to, authority, note)
CONSULTATIONS = [
    ("01", ConsultationOutcome.ANSWERED, "XK-001", "周丽", "13979725518",
     "开办个体餐饮店需要准备哪些材料?能否网上办理?", None, "", "已告知可通过“赣服通”网上办理"),
    ("14", ConsultationOutcome.NOTICE_GIVEN, "QR-009", "吴国强", "13807973326",
     "二手房过户需要哪些材料、缴哪些税费?", None, "", ""),
    ("03", ConsultationOutcome.TRANSFERRED, "QR-008", "钟华", "15070723384",
     "新房办不动产权证在哪个窗口?", "14", "", "已引导至14号窗口"),
    ("06", ConsultationOutcome.OUT_OF_SCOPE, None, "杨帆", "13576619045",
     "机动车驾驶证到期换证在哪里办理?", None, "大余县公安局交通管理大队车辆管理所", ""),
    ("17", ConsultationOutcome.ANSWERED, "GG-011", "黄美华", "18379786652",
     "在深圳务工,如何办理跨省异地就医备案?", None, "", "已指导通过国家医保服务平台App办理"),
]  # fmt: skip

# The consultation that is turned into a case at once (a 居民身份证 换领).
CONSULTATION_CASE = (
    "03", "QR-002", person("钟雨萱", "20080916", 224, "13755781942"), "身份证快到期了,换领要带什么材料?",
)  # fmt: skip


# ---------------------------------------------------------------- playing the stories


class _Cast:
    """The acting users of the demo: window clerks, window heads, leaders in charge and the office."""

    def __init__(self):
        badges = [row[0] for row in staffing_demo.STAFF]
        staff = {s.badge_no: s for s in Staff.objects.filter(badge_no__in=badges).select_related("user", "department")}
        missing = sorted(set(badges) - set(staff))
        if missing:
            raise ValidationError(f"演示工作人员缺失(工号:{'、'.join(missing)}),请先加载演示机构数据。")
        self.clerks = {window: staff[badge_no].user for window, badge_no in window_clerks().items()}
        self.heads = {
            department: staff[badge_no].user
            for badge_no, _name, department, _window, position, *_rest in staffing_demo.STAFF
            if position == "窗口负责人"
        }
        office = next(badge for role, _username, badge in staffing_demo.DEMO_ACCOUNTS if role == roles.OFFICE_STAFF)
        self.office = staff[office].user
        self.windows = {w.number: w for w in Window.objects.filter(number__in=self.clerks)}

    def clerk(self, window_number: str):
        return self.clerks[window_number]

    def head(self, case):
        return self.heads.get(case.department.name) or self.clerk(case.window.number)

    @staticmethod
    def leader(case):
        leader = case.department.leader_in_charge
        if leader is None or leader.user_id is None:
            raise ValidationError(f"「{case.department}」没有分管领导,无法演示领导审批。")
        return leader.user


class _Clock(DemoClock):
    """The demo's clock (`staffing.demo_clock`), with receipt times that are never in the future."""

    def __init__(self):
        super().__init__()
        self.turns = {"today": 0, "earlier": 0}

    def receipt(self, days_ago: int) -> datetime.datetime:
        if days_ago == 0:  # a few minutes apart: up to now, or in the last working day's afternoon
            self.turns["today"] += 1
            if self.open_today:
                midnight = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
                return max(midnight, self.now - datetime.timedelta(minutes=6 * self.turns["today"]))
            afternoon = timezone.make_aware(datetime.datetime.combine(self.workday, datetime.time(15)))
            return afternoon + datetime.timedelta(minutes=6 * self.turns["today"])
        self.turns["earlier"] += 1
        hour, minute = map(int, RECEIPT_TIMES[self.turns["earlier"] % len(RECEIPT_TIMES)].split(":"))
        return timezone.make_aware(datetime.datetime.combine(self.day(days_ago), datetime.time(hour, minute)))


def _tick(case, user, states):
    for material in case.materials.order_by("order"):
        wanted = states.get(material.order)
        if wanted is None:
            continue
        state, problem = wanted if isinstance(wanted, tuple) else (wanted, "")
        services.case_check_material(material=material, user=user, state=state, problem=problem)


def _tick_rest(case, user, *, only_pending: bool):
    lines = case.materials.exclude(state=RECEIVED)
    if only_pending:
        lines = lines.filter(state=MaterialState.PENDING)
    for material in lines.order_by("order"):
        services.case_check_material(material=material, user=user, state=RECEIVED)


def _play(story: Story, cast: _Cast, clock: _Clock, items: dict) -> Case:
    item = items[item_code(story.item)]
    clerk = cast.clerk(item.window.number)
    case = services.case_receive(
        item=item,
        window=item.window,
        user=clerk,
        priority=story.priority,
        assisted=bool(story.assisted_note),
        assisted_note=story.assisted_note,
        received_at=clock.receipt(story.received),
        **story.applicant,
    )
    for action, *args in story.actions:
        case.refresh_from_db()
        if action == "check":
            _tick(case, clerk, args[0])
        elif action == "correct":
            _tick_rest(case, clerk, only_pending=True)
            services.case_request_correction(case=case, user=clerk, note=args[0])
        elif action == "accept":
            days, note = args
            _tick_rest(case, clerk, only_pending=False)
            services.case_accept(case=case, user=clerk, note=note, accepted_on=clock.day(days))
        elif action == "start":
            services.case_start(case=case, user=clerk)
        elif action == "finish":
            services.case_finish_step(case=case, user=clerk, day=clock.day(args[0]))
        elif action == "approve":
            services.case_approve(case=case, user=cast.head(case), note=args[0], completed_on=clock.workday)
        elif action == "deliver":
            services.case_deliver(case=case, user=clerk, delivered_on=clock.workday)
        elif action == "refuse":
            stage, category, reason, basis, *referred = args
            services.case_refuse(
                case=case, user=cast.head(case), stage=stage, category=category, reason=reason,
                legal_basis=basis, referred_authority=referred[0] if referred else "",
            )  # fmt: skip
        elif action == "leader_approves":
            refusal = case.refusals.get(status="pending")
            services.refusal_approve(refusal=refusal, user=cast.leader(case), note=args[0])
        elif action == "appeal":
            days, grounds, overturn, decision = args
            refusal = case.refusals.order_by("-pk").first()
            appeal = services.appeal_file(
                refusal=refusal, user=cast.office, appellant=case.applicant_name, grounds=grounds,
                filed_on=clock.day(days),
            )  # fmt: skip
            services.appeal_decide(appeal=appeal, user=cast.office, overturn=overturn, note=decision)
        elif action == "extend":
            days, reason, approve, note = args
            extension = services.case_request_extension(case=case, user=clerk, days=days, reason=reason)
            if approve is not None:
                services.extension_decide(extension=extension, user=cast.leader(case), approve=approve, note=note)
        else:
            raise ValueError(f"unknown demo action {action!r}")
    return case


def _log_consultations(cast: _Cast, clock: _Clock, items: dict) -> int:
    for window, outcome, item, asker, phone, question, transferred_to, authority, note in CONSULTATIONS:
        services.consultation_log(
            user=cast.clerk(window), outcome=outcome, item=items[item_code(item)] if item else None,
            asker_name=asker, asker_phone=phone, question=question,
            transferred_to=cast.windows[transferred_to] if transferred_to else None,
            referred_authority=authority, note=note, asked_at=clock.receipt(0),
        )  # fmt: skip
    window, item, applicant, question = CONSULTATION_CASE
    user = cast.clerk(window)
    asked_at = clock.receipt(0)
    consultation = services.consultation_log(
        user=user, outcome=ConsultationOutcome.ANSWERED, item=items[item_code(item)],
        asker_name=applicant["applicant_name"], asker_phone=applicant["phone"], question=question,
        note="申请人材料齐全,当场转为办件", asked_at=asked_at,
    )  # fmt: skip
    fields = {key: value for key, value in applicant.items() if key not in ("applicant_name", "phone")}
    services.consultation_open_case(consultation=consultation, user=user, received_at=asked_at, **fields)
    return len(CONSULTATIONS) + 1


def load_demo_cases(stdout=None) -> dict:
    """Play the demo stories; returns the counts. Does nothing when cases or consultations exist."""
    if Case.objects.exists() or Consultation.objects.exists():
        if stdout is not None:
            stdout.write("演示办件:系统中已有办件或首问登记,未加载演示办件。")
        return {"cases": 0, "consultations": 0, "skipped": True}
    codes = {item_code(story.item) for story in STORIES} | {item_code(CONSULTATION_CASE[1])}
    codes |= {item_code(row[2]) for row in CONSULTATIONS if row[2]}
    found = ServiceItem.objects.filter(code__in=codes).select_related("window", "department")
    items = {item.code: item for item in found}
    missing = sorted(codes - set(items))
    if missing:
        raise ValidationError(f"演示办件所需的事项不存在:{'、'.join(missing)}。请先加载演示事项目录。")
    cast, clock = _Cast(), _Clock()
    with transaction.atomic():
        # Oldest receipts first, so that the history reads in order.
        for story in sorted(STORIES, key=lambda story: -story.received):
            _play(story, cast, clock, items)
        consultations = _log_consultations(cast, clock, items)
    counts = {"cases": Case.objects.count(), "consultations": consultations, "skipped": False}
    if stdout is not None:
        per_status = dict(Case.objects.values_list("status").annotate(n=Count("id")))
        summary = ",".join(f"{label} {per_status[value]}" for value, label in CaseStatus.choices if value in per_status)
        stdout.write(
            f"演示办件:新增 {counts['cases']} 件({summary});首问登记 {consultations} 条;"
            f"否定报备 {Refusal.objects.count()} 条,延期申请 {CaseExtension.objects.count()} 条。"
        )
    return counts


def load_demo_bidding_complaint(stdout=None) -> int:
    """One 招投标投诉 (S1.1-g) about the demo's awarded bidding event, open, with its own 30-working-day limit."""
    from bidding.demo import HELD, OFFICE_BADGE
    from bidding.models import BiddingEvent
    from staffing.demo_clock import DemoClock
    from staffing.models import Staff

    from .models import Complaint, ComplaintKind
    from .services.oversight import complaint_register

    event = BiddingEvent.objects.filter(name=HELD).first()
    if event is None or Complaint.objects.filter(kind=ComplaintKind.BIDDING, bidding_event=event).exists():
        return 0
    office = Staff.objects.select_related("user").get(badge_no=OFFICE_BADGE).user
    complaint = complaint_register(
        user=office, kind=ComplaintKind.BIDDING, bidding_event=event, channel="in_person",
        complainant="江西瑞康医疗科技有限公司", phone="0797-8365120", received_on=DemoClock().day(4),
        content="对县人民医院医疗设备采购项目的评标结果有异议,认为中标人提交的类似项目业绩证明材料不实,请求复核。",
    )  # fmt: skip
    if stdout is not None:
        stdout.write(f"演示招投标投诉:1 件,办理期限 {complaint.due_date:%Y-%m-%d}。")
    return 1
