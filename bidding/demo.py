"""Demo of 招投标监督 (S1.1-g), written through the services: one event opening in three working days
with no on-site supervisor yet (it shows on 开标日历 and in the office's 待我办理), and one held under
supervision, awarded, with an irregularity found at the opening and its follow-up.

Runs again without duplicating anything, on any day (staffing.demo_clock)."""

import datetime
from decimal import Decimal

from django.db import transaction

from staffing.demo_clock import DemoClock
from staffing.models import Staff

from . import services
from .models import BiddingEvent, BiddingMethod, EventStatus, ProjectType

UPCOMING = "县城区污水管网改造工程(二期)"
HELD = "县人民医院医疗设备采购项目"
OFFICE_BADGE = "DY006"  # 赖美玲, 办公室: registers the events
SUPERVISOR_BADGE = "DY009"  # 温海燕, 审批协调股: supervised the opening


def load_demo_bidding(stdout=None) -> dict:
    clock = DemoClock()
    office = Staff.objects.select_related("user").get(badge_no=OFFICE_BADGE).user
    supervisor = Staff.objects.get(badge_no=SUPERVISOR_BADGE)
    created = 0
    with transaction.atomic():
        if not BiddingEvent.objects.filter(name=UPCOMING).exists():
            services.event_register(
                user=office, name=UPCOMING, number="DYGC-2026-041", project_type=ProjectType.WORKS, method=BiddingMethod.OPEN,
                tenderer="大余县城市建设投资有限公司", agency="江西中昌工程咨询监理有限公司", budget=Decimal("1860.00"),
                announced_on=clock.day(15), opening_on=clock.day(-3), opening_time=datetime.time(9, 30),
                venue="县公共资源交易中心第一开标室",
            )  # fmt: skip
            created += 1
        if not BiddingEvent.objects.filter(name=HELD).exists():
            event = services.event_register(
                user=office, name=HELD, number="DYHW-2026-017", project_type=ProjectType.GOODS, method=BiddingMethod.OPEN,
                tenderer="大余县人民医院", agency="赣州华信招标代理有限公司", budget=Decimal("426.50"),
                announced_on=clock.day(28), opening_on=clock.day(8), opening_time=datetime.time(14, 30),
                venue="县公共资源交易中心第二开标室", supervisor=supervisor,
            )  # fmt: skip
            services.event_set_status(event=event, user=office, to=EventStatus.OPENED, on=clock.day(8))
            irregularity = services.irregularity_record(
                event=event, user=office, found_on=clock.day(8),
                description="开标现场一名投标人的授权委托书未加盖公章,代理机构未按招标文件规定当场拒收,经现场监督人员指出后纠正。",
            )  # fmt: skip
            services.event_set_status(event=event, user=office, to=EventStatus.EVALUATED, on=clock.day(7))
            services.irregularity_close(
                irregularity=irregularity, user=office, closed_on=clock.day(6),
                follow_up="已责令代理机构书面说明情况并约谈提醒开标工作人员;该投标文件按规定退回,未进入评标。",
            )  # fmt: skip
            services.event_set_status(
                event=event, user=office, to=EventStatus.AWARDED, on=clock.day(5), winner="江西康立医疗器械有限公司"
            )
            created += 1
    if stdout is not None:
        stdout.write(f"演示招投标项目:新增 {created} 个(共 {BiddingEvent.objects.count()} 个)。")
    return {"events": created}
