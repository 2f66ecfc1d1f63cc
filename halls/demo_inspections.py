"""Demo of S1.1-f inspections and township centers: one issued inspection of the tax bureau's 分中心 with a
closed and an open finding, a guidance visit to 池江镇便民服务中心 and its figures for last month.

The halls themselves come from `halls.demo` (run before this); they are found, or created, by name, so either
order works. Safe to run again."""

import datetime

from django.db import transaction
from django.utils import timezone
from staffing.models import Department, Staff

from .models import (
    FindingStatus,
    GuidanceVisit,
    Hall,
    HallInspection,
    HallKind,
    HallMonthFigures,
    InspectionChecklist,
    InspectionFinding,
)
from .services.inspections import finding_rectify, finding_verify, inspection_issue

BRANCH = "国家税务总局大余县税务局办税服务分中心"
TAX_BUREAU = "国家税务总局大余县税务局"
TOWNSHIP = "池江镇便民服务中心"
FINDINGS = [
    ("挂牌上岗", "F02窗口工作人员未佩戴工作牌上岗。", "已为该窗口工作人员补发工作牌,分中心每日班前检查挂牌情况。"),
    ("办事指南", "F01窗口未摆放办事指南,群众需现场询问所需材料。", ""),
]


def _branch() -> Hall:
    hall, _ = Hall.objects.get_or_create(
        name=BRANCH,
        defaults={
            "kind": HallKind.BRANCH,
            "department": Department.objects.filter(name=TAX_BUREAU).first(),
            "address": "大余县南安镇新华路18号",
            "phone": "0797-8721188",
            "working_hours": "周一至周五 上午8:00—12:00 下午14:30—17:30",
        },
    )
    return hall


def _head(hall: Hall) -> Staff | None:
    """The hall's head (刘志强, from halls.demo); without it, the tax bureau's window head."""
    return hall.head or Staff.objects.filter(department=hall.department, user__groups__name="窗口负责人").order_by("pk").first()


def _inspection(hall: Hall, inspector: Staff, today: datetime.date):
    if hall.inspections.exists():
        return
    checklist = InspectionChecklist.objects.filter(is_active=True).first()
    inspection = HallInspection.objects.create(
        hall=hall, date=today - datetime.timedelta(days=2), checklist=checklist,
        summary="检查了窗口纪律、挂牌上岗、一次性告知、办事指南和投诉渠道,总体情况良好。",
    )
    inspection.inspectors.add(inspector)
    for category, description, _ in FINDINGS:
        item = checklist.items.filter(category=category).first() if checklist else None
        InspectionFinding.objects.create(inspection=inspection, item=item, description=description)
    inspection_issue(inspection=inspection, user=inspector.user)
    head = _head(hall)
    for finding, (_, _, rectification) in zip(inspection.findings.order_by("pk"), FINDINGS):
        if rectification and head is not None:
            finding_rectify(finding=finding, user=head.user, rectification=rectification)
            finding_verify(finding=finding, user=inspector.user, passed=True, note="现场复查,工作人员均已挂牌上岗。")


def _township(inspector: Staff, today: datetime.date):
    hall, _ = Hall.objects.get_or_create(name=TOWNSHIP, defaults={"kind": HallKind.TOWNSHIP, "uses_system": False, "sort_order": 90})
    if not hall.guidance_visits.exists():
        visit = GuidanceVisit.objects.create(
            hall=hall, date=today - datetime.timedelta(days=9),
            topics="便民服务事项清单公示;代办员台账;与中心的网上申报衔接。",
            problems="事项清单未更新到最新版本;代办台账缺少办结日期。",
            follow_up="镇中心一周内更新公示清单;中心督查股下月回访检查台账。",
        )
        visit.visitors.add(inspector)
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    HallMonthFigures.objects.get_or_create(
        hall=hall, month=last_month, defaults={"received": 86, "completed": 81, "completed_on_time": 79, "overdue": 2}
    )


def load(stdout=None) -> None:
    inspector = Staff.objects.filter(user__username="inspector").first()
    if inspector is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        _inspection(_branch(), inspector, today)
        _township(inspector, today)
    if stdout is not None:
        open_count = InspectionFinding.objects.exclude(status=FindingStatus.CLOSED).count()
        stdout.write(f"监督检查:{HallInspection.objects.count()} 次,未整改完毕的问题 {open_count} 个;乡镇指导记录 {GuidanceVisit.objects.count()} 条。")
