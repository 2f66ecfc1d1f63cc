"""Demo office work of 大余县行政服务中心: documents, circulation, supplies and supervision.

Eight documents stand at every step of their lifecycle (拟稿 → 核稿 → 签发 → 登记编号 → 校对 → 印发 →
归档), one of them 秘密 with a scope of departments; two issued ones went round the departments: one
department gave feedback, two have let the three working days pass, and the main leader has one to
read (阅知: circulations have no read-only kind, so it is sent to him by name). Office supplies have
opening stock and a purchase stocked in against an approved 资金使用审批表; a window drew supplies; a
second 资金使用审批表 waits for the main leader. Three 督办 items (a leader's instruction past its
deadline, a 办公会 decision when the meeting demo is loaded, an archived key task) and the report of
a 办公会 handed in.

Everything goes through `documents.services` (and `staffing.services.approvals` for the approval of a
fund request) by the demo logins of `staffing.demo`: section head and inspector draft, the office
reviews, registers, issues, archives, circulates and stocks; the leaders sign and approve. Supplies
and document attachments have no service (the admin saves them as plain rows): they are saved with
full_clean and their history.

Dates: circulations are received and reminders made on working days before the demo's working day
(`staffing.demo_clock`: today, or on a weekend or holiday the last working day before it); the
services date everything else now.

Loading is idempotent in the simplest way: when any document, circulation, supply, fund request or
supervision item exists, nothing is loaded. Load the meeting demo first to get the 督办 of its decision.
"""

import dataclasses
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count

from meetings.models import Decision, Meeting, MeetingStatus
from staffing.demo import Cast, create_by
from staffing.demo_clock import DemoClock
from staffing.models import ApprovalDecision, Department
from staffing.services import approvals

from . import selectors, services
from .services import documents as document_services
from .models import (
    Circulation,
    Document,
    DocumentAttachment,
    DocumentCategory,
    DocumentStatus,
    FundRequest,
    IncomingDocument,
    ReminderMethod,
    ReportObligation,
    Requisition,
    Secrecy,
    SupervisionItem,
    SupervisionSource,
    Supply,
)

S = DocumentStatus
# The user of these demo logins acts (see staffing.demo.DEMO_ACCOUNTS).
OFFICE, ADMIN, LEADER = "office", "admin", "leader"
SECTION_HEAD, INSPECTOR, WINDOW_HEAD, WINDOW = "sectionhead", "inspector", "windowhead", "window"


# ---------------------------------------------------------------- documents


@dataclasses.dataclass(frozen=True)
class DocumentStory:
    """One demo document, played up to `until` (a status).

    circulations: (received working days before the working day, departments, badge numbers of the
    persons, (login, feedback) or None).
    """

    category: str
    title: str
    summary: str
    drafter: str
    until: str
    scope: tuple = ()
    circulations: tuple = ()


DOCUMENTS = [
    DocumentStory("业务文件", "关于进一步规范窗口工作人员文明用语和着装的通知(征求意见稿)",
                  "明确窗口工作人员服务用语、禁语和统一着装要求,征求各进驻部门意见。", SECTION_HEAD, S.DRAFT),
    DocumentStory("业务文件", "关于调整市场监管窗口午间弹性服务时间的请示",
                  "拟在工作日12:00–14:00安排一名工作人员值守市场主体登记窗口。", WINDOW_HEAD, S.REVIEW),
    DocumentStory("中心文件", "关于印发《大余县行政服务中心窗口服务“好差评”管理办法》的通知",
                  "规范“好差评”评价、回访、整改和结果运用。核稿已通过,待主任签发。", SECTION_HEAD, "reviewed"),
    DocumentStory("中心文件", "关于表彰“红旗窗口”和“服务标兵”的决定",
                  "经中心党委会研究,表彰县不动产登记中心窗口等先进集体和个人。", OFFICE, S.SIGNED),
    DocumentStory("中心文件", "关于开展窗口服务作风明察暗访的工作方案",
                  "暗访时间、路线和人员安排,仅限督查股和办公室知悉。", INSPECTOR, S.REGISTERED,
                  scope=("督查股", "办公室")),
    DocumentStory("中心文件", "关于加强大厅安全生产和消防管理的通知",
                  "落实大厅消防通道、用电和应急疏散管理责任。", OFFICE, S.PROOFREAD),
    DocumentStory("业务文件", "关于进一步落实一次性告知制度的通知",
                  "窗口受理时须一次性告知全部补正材料,杜绝“来回跑”。", SECTION_HEAD, S.ISSUED,
                  circulations=(
                      (5, ("县市场监督管理局",), (),
                       (WINDOW, "已组织窗口全体人员学习,一次性告知书模板已更新并在窗口使用。")),
                      (6, ("县公安局(户政)", "县不动产登记中心"), (), None),
                  )),
    DocumentStory("中心文件", "关于窗口服务质量季度通报的通知",
                  "通报本季度各窗口办件量、群众评价和投诉处理情况。", INSPECTOR, S.ISSUED,
                  circulations=((0, (), ("DY001",), None),)),
    DocumentStory("中心文件", "关于印发《大余县行政服务中心首问负责制实施办法》的通知",
                  "首问责任人的告知、引导和跟踪义务。", SECTION_HEAD, S.ARCHIVED),
]  # fmt: skip

ORDER = [S.DRAFT, S.REVIEW, "reviewed", S.SIGNED, S.REGISTERED, S.PROOFREAD, S.ISSUED, S.ARCHIVED]


# ---------------------------------------------------------------- supplies

# (name, specification, unit, reorder level, opening quantity, opening unit price or None: no opening stock)
SUPPLIES = [
    ("A4复印纸", "70g 500张/包", "包", 20, 60, "22.50"),
    ("中性笔", "0.5mm 黑色", "支", 50, 240, "1.50"),
    ("档案盒", "A4 5.5cm", "个", 30, 120, "4.80"),
    ("订书钉", "24/6", "盒", 10, 40, "2.00"),
    ("硒鼓", "惠普 CF388A", "个", 2, 1, "320.00"),
    ("热敏打印纸", "80mm×60mm", "卷", 20, 0, None),
]

# (login, purpose, lines: (supply name, quantity, unit price), approved by the main leader, purchase)
FUND_REQUESTS = [
    (OFFICE, "补充办公室打印耗材", (("硒鼓", 4, "320.00"), ("A4复印纸", 40, "22.50")), True,
     ("04417823", "2150.00")),
    (SECTION_HEAD, "采购窗口排队叫号机热敏打印纸", (("热敏打印纸", 100, "6.50"),), False, None),
]  # fmt: skip

# (login, lines: (supply name, quantity), issued by the office)
REQUISITIONS = [
    (WINDOW, (("A4复印纸", 5), ("中性笔", 20), ("档案盒", 10)), True),
    (SECTION_HEAD, (("订书钉", 2), ("中性笔", 10)), False),
]


# ---------------------------------------------------------------- supervision

# (title, source, content, instruction, department, responsible badge, deadline in working days after the
#  working day (negative: before it, so past), (reminder method, working days ago, answer) or None,
#  (login, feedback) or None: fed back, reviewed by the main leader and archived)
SUPERVISION = [
    ("群众反映不动产登记窗口排队时间过长", SupervisionSource.INSTRUCTION,
     "针对群众反映的不动产登记窗口排队时间过长问题,督促优化取号分流和预约办理。",
     "请办公室牵头督办,一周内拿出分流方案。——刘建华", "综合股", "DY013", -2,
     (ReminderMethod.PHONE, 1, "综合股答复:分流方案已起草,待与不动产登记中心会商后报送。"), None),
    ("推进“一件事一次办”集成服务改革", SupervisionSource.KEY_TASK,
     "梳理企业开办、不动产交易登记等高频“一件事”,实现一窗受理、一次办结。",
     "", "审批协调股", "DY008", 15, None,
     (SECTION_HEAD, "已梳理“一件事”清单12项,企业开办、二手房交易登记已实现一窗受理、一次办结。")),
]  # fmt: skip


# ---------------------------------------------------------------- incoming documents (收文, S3.6-g)

# (sender, sender's number, title, urgency, action, received working days ago, until: registered /
#  proposed / circulating / done / archived, handle departments, read departments,
#  answered: logins whose department has answered)
INCOMING = [
    ("大余县人民政府办公室", "余府办字〔2026〕96号", "关于做好2027年元旦春节期间值班值守工作的通知", "urgent", "handle",
     0, "registered", (), (), ()),
    ("赣州市行政审批局", "赣市审批字〔2026〕41号", "关于开展政务服务“好差评”数据质量核查的通知", "normal", "handle",
     1, "proposed", (), (), ()),
    ("大余县发展和改革委员会", "余发改字〔2026〕112号", "关于报送2026年优化营商环境工作总结的通知", "normal", "handle",
     4, "circulating", ("审批协调股", "县市场监督管理局"), ("督查股",), ("sectionhead",)),
    ("大余县应急管理局", "余应急字〔2026〕58号", "关于加强冬季消防安全工作的紧急通知", "flash", "read",
     2, "circulating", (), ("县市场监督管理局", "综合股"), ()),
    ("大余县人民政府办公室", "余府办发〔2026〕33号", "关于印发《大余县政务服务事项清单动态管理办法》的通知", "normal", "handle",
     9, "archived", ("审批协调股",), ("县市场监督管理局",), ("sectionhead", "window")),
]  # fmt: skip


def _play_incoming(cast: Cast, clock: DemoClock, departments) -> None:
    from .services import incoming as incoming_services
    from .models import Circulation, CirculationMode

    office, leader = cast.user(OFFICE), cast.user(LEADER)
    for sender, number, title, urgency, action, days_ago, until, handle, read, answered in INCOMING:
        incoming = incoming_services.incoming_register(
            user=office, sender=sender, sender_number=number, title=title, urgency=urgency, action=action,
            received_on=clock.day(days_ago), copies=1, pages=3,
            scans=[ContentFile(f"{number} {title}(扫描件)".encode(), name=f"扫描件-{title[:12]}.pdf")],
        )  # fmt: skip
        if until == "registered":
            continue
        incoming_services.incoming_propose(
            incoming=incoming, user=office, leader=cast.staff["DY001"],
            proposal=f"拟请{'、'.join(handle) or '相关股室'}办理{',' + '、'.join(read) + '阅知' if read else ''}。",
        )
        if until == "proposed":
            continue
        incoming_services.incoming_decide(
            incoming=incoming, user=leader, decision="同意拟办意见,请按期落实并反馈。",
            handle_departments=[departments[name] for name in handle], read_departments=[departments[name] for name in read],
        )  # fmt: skip
        circulations = Circulation.objects.filter(incoming=incoming).select_related("department")
        if until == "circulating" and circulations.filter(department__name="县市场监督管理局").exists():
            pending = circulations.get(department__name="县市场监督管理局")
            incoming_services.circulation_remind(circulation=pending, user=office, note="已电话提醒窗口负责人,答复当日阅办。")
        for login in answered:
            user = cast.user(login)
            for circulation in circulations.filter(department=user.staff.department):
                if circulation.mode == CirculationMode.READ:
                    incoming_services.circulation_confirm_read(circulation=circulation, user=user)
                else:
                    services.circulation_feedback(circulation=circulation, user=user, feedback="已按要求办理,材料已报送。")
        if until == "archived":
            incoming.refresh_from_db()
            incoming_services.incoming_archive(incoming=incoming, user=office, archive_number=f"文书·{incoming.year}-永久-{incoming.sequence:03d}")


# ---------------------------------------------------------------- playing


def _play_document(story: DocumentStory, cast: Cast, clock: DemoClock, categories, departments) -> Document:
    drafter, office = cast.user(story.drafter), cast.user(OFFICE)
    document = services.document_draft(
        user=drafter, category=categories[story.category], title=story.title, summary=story.summary,
        secrecy=Secrecy.SECRET if story.scope else Secrecy.NORMAL,
        scope_departments=[departments[name] for name in story.scope],
    )  # fmt: skip
    # The category names who reviews (核稿); nobody reviews their own draft; the administrator stands in.
    reviewer = next(
        user for user in (office, cast.user("deputy"), cast.user(ADMIN))
        if document_services.may_review(document, user)
    )
    steps = [
        lambda: services.document_submit_for_review(document=_with_body(document, drafter), user=drafter),
        lambda: services.document_review(document=document, user=reviewer, approve=True, note="文字规范,同意报签。"),
        lambda: services.document_sign(document=document, user=services.expected_signer(document).user),
        lambda: services.document_register(document=document, user=office),
        lambda: services.document_proofread(document=document, user=drafter),
        lambda: services.document_issue(document=document, user=office),
        lambda: services.document_archive(document=_with_signed_original(document, office), user=office),
    ]
    for step in steps[: ORDER.index(story.until)]:
        document = step() or document
    for days_ago, department_names, badges, feedback in story.circulations:
        circulations = services.document_circulate(
            document=document, user=office, departments=[departments[name] for name in department_names],
            staff=[cast.staff[badge] for badge in badges], received_on=clock.day(days_ago),
        )  # fmt: skip
        if feedback is not None:
            login, text = feedback
            for circulation in circulations:
                services.circulation_feedback(circulation=circulation, user=cast.user(login), feedback=text)
    return document


# Who may 核稿 each category (issue 18): the office the center's documents; business documents, as the
# regulation says (业务文件由有关部门拟稿,分管副总经理审核、签发), the leader in charge — so the demo
# logins office and deputy each have a draft to review.
REVIEWERS = {"中心文件": "办公室人员", "业务文件": "分管领导"}


def _set_reviewers(cast: Cast, categories) -> None:
    for name, role in REVIEWERS.items():
        category = categories[name]
        category.reviewer_role = role
        category.full_clean()
        category._history_user, category._change_reason = cast.user(ADMIN), "演示:设置核稿人"
        category.save()


def _with_body(document: Document, user) -> Document:
    content = ContentFile(f"{document.title}(正文)".encode(), name=f"正文-{document.title[:20]}.pdf")
    create_by(user, DocumentAttachment, document=document, title=f"{document.title}(正文)", kind="正文", file=content)
    return document


def _with_signed_original(document: Document, user) -> Document:
    content = ContentFile(f"{document.number} {document.title}(签发原件扫描件)".encode(), name=f"签发原件-{document.title[:16]}.pdf")
    create_by(
        user, DocumentAttachment, document=document, title="签发原件", kind="签发原件", file=content, is_signed_original=True
    )
    return document


def _load_supplies(cast: Cast) -> dict[str, Supply]:
    office = cast.user(OFFICE)
    supplies = {}
    for name, specification, unit, reorder, quantity, price in SUPPLIES:
        supply = create_by(
            office, Supply, name=name, specification=specification, unit=unit, reorder_level=Decimal(reorder)
        )
        if price is not None:
            services.supply_opening_stock(
                supply=supply, quantity=Decimal(quantity), amount=Decimal(quantity) * Decimal(price), user=office
            )
        supplies[name] = supply
    return supplies


def _fund_and_stock(cast: Cast, clock: DemoClock, supplies: dict) -> None:
    office, leader = cast.user(OFFICE), cast.user(LEADER)
    for login, purpose, lines, approved, purchase in FUND_REQUESTS:
        request = services.fund_request_submit(
            user=cast.user(login), purpose=purpose,
            lines=[
                {"supply": supplies[name], "description": str(supplies[name]), "quantity": Decimal(quantity),
                 "unit_price": Decimal(price)}
                for name, quantity, price in lines
            ],
        )  # fmt: skip
        if not approved:
            continue
        for step in approvals.chain_of(request).filter(decision=ApprovalDecision.PENDING):
            approvals.approval_decide(approval=step, user=leader, approve=True, comment="同意,按规定程序采购。")
        request.refresh_from_db()
        if purchase is not None:
            invoice_number, invoice_amount = purchase
            bought = services.purchase_record(
                fund_request=request, user=office, invoice_number=invoice_number,
                invoice_amount=Decimal(invoice_amount), purchased_on=clock.day(2),
                lines=[
                    {"supply": supplies[name], "quantity": Decimal(quantity),
                     "amount": Decimal(quantity) * Decimal(price)}
                    for name, quantity, price in lines
                ],
            )  # fmt: skip
            services.purchase_stock_in(purchase=bought, user=office)
    for login, lines, issued in REQUISITIONS:
        requisition = services.requisition_submit(
            user=cast.user(login),
            lines=[{"supply": supplies[name], "quantity": Decimal(quantity)} for name, quantity in lines],
        )
        if issued:
            services.requisition_issue(requisition=requisition, user=office)


def _supervise(cast: Cast, clock: DemoClock, departments) -> None:
    office, leader = cast.user(OFFICE), cast.user(LEADER)
    for title, source, content, instruction, department, responsible, deadline, reminder, feedback in SUPERVISION:
        item = services.supervision_register(
            user=office, title=title, source=source, content=content, department=departments[department],
            deadline=clock.day(-deadline), responsible=cast.staff[responsible], instruction=instruction,
            instructing_leader=cast.staff["DY001"] if instruction else None,
        )  # fmt: skip
        services.supervision_assign(item=item, user=office)
        services.supervision_start(item=item, user=office)
        if reminder is not None:
            method, days_ago, answer = reminder
            services.reminder_log(item=item, user=office, method=method, answer=answer, on=clock.day(days_ago))
        if feedback is not None:
            login, text = feedback
            services.supervision_feedback(item=item, user=cast.user(login), feedback=text)
            services.supervision_submit_to_leader(item=item, user=office)
            services.supervision_leader_review(item=item, user=leader, comment="成效明显,请总结经验,扩大“一件事”覆盖面。")
            services.supervision_archive(item=item, user=office)
    # A decision of the meeting demo with a responsible department and a deadline is supervised too.
    decision = Decision.objects.filter(adopted=True, responsible_department__isnull=False).order_by("pk").first()
    if decision is not None:
        item = services.supervision_from_decision(decision=decision, user=office)
        services.supervision_assign(item=item, user=office, responsible=cast.staff["DY008"])
        services.supervision_start(item=item, user=office)
        services.reminder_log(
            item=item, user=office, method=ReminderMethod.TRACKING, on=clock.day(0),
            answer="排班表已拟定,延时服务公告待主任审定后发布。",
        )  # fmt: skip
    # The 审批协调股 hands in its report after the first meeting of the meeting demo that asks for one.
    meeting = Meeting.objects.filter(meeting_type__needs_report=True, status=MeetingStatus.HELD).order_by("starts_at").first()
    if meeting is not None:
        obligation = ReportObligation.objects.filter(
            source_id=meeting.pk, source_type__model="meeting", department__name="审批协调股", submitted_on__isnull=True
        ).first()
        if obligation is not None:
            services.report_obligation_submit(
                obligation=obligation, submitted_on=min(obligation.due_date, clock.workday),
                user=cast.user(SECTION_HEAD), note="已按会议要求报送书面报告及下一步工作打算。",
            )  # fmt: skip


def load_demo_office(stdout=None) -> dict:
    """Load the demo documents, circulations, supplies and supervision; returns the counts. Does nothing
    when any of them exists."""
    models = (Document, Circulation, Supply, FundRequest, SupervisionItem)
    if any(model.objects.exists() for model in models):
        if stdout is not None:
            stdout.write("演示公文与办公用品:系统中已有文件、传阅、办公用品、资金使用审批表或督办事项,未加载演示数据。")
        return {"documents": 0, "skipped": True}
    cast, clock = Cast(), DemoClock()
    categories = {category.name: category for category in DocumentCategory.objects.all()}
    missing = sorted({story.category for story in DOCUMENTS} - set(categories))
    if missing:
        raise ValidationError(f"演示文件所需的文件类别不存在:{'、'.join(missing)}。请先运行 python manage.py migrate。")
    departments = {department.name: department for department in Department.objects.all()}
    with transaction.atomic():
        _set_reviewers(cast, categories)
        for story in DOCUMENTS:
            _play_document(story, cast, clock, categories, departments)
        _play_incoming(cast, clock, departments)
        supplies = _load_supplies(cast)
        _fund_and_stock(cast, clock, supplies)
        _supervise(cast, clock, departments)
    counts = {
        "documents": Document.objects.count(),
        "circulations": Circulation.objects.count(),
        "overdue": selectors.overdue_circulations(clock.today).count(),
        "supplies": Supply.objects.count(),
        "fund_requests": FundRequest.objects.count(),
        "requisitions": Requisition.objects.count(),
        "supervision": SupervisionItem.objects.count(),
        "incoming": IncomingDocument.objects.count(),
        "skipped": False,
    }
    if stdout is not None:
        per_status = dict(Document.objects.values_list("status").annotate(n=Count("id")))
        summary = ",".join(f"{label} {per_status[value]}" for value, label in S.choices if value in per_status)
        stdout.write(
            f"演示公文与办公用品:新增文件 {counts['documents']} 件({summary});传阅办理 {counts['circulations']} 条"
            f"(逾期 {counts['overdue']} 条);办公用品 {counts['supplies']} 种,资金使用审批表 {counts['fund_requests']} 份,"
            f"领用单 {counts['requisitions']} 张;督办事项 {counts['supervision']} 项;收文 {counts['incoming']} 件。"
        )
    return counts
