"""`python manage.py load_demo`: the whole demo of 大余县行政服务中心, in the order the apps build on each other.

1. the organisation and one login per role (`staffing.demo`),
2. the item catalog, imported as a workbook through the catalog import and published (`registry.demo`),
3. consultations and cases in every status, played through the casework services (`casework.demo`),
   and the halls: the tax bureau's 分中心 with its cases, a township center (`halls.demo`),
4. member bodies, rooms, bookings and meetings (`meetings.demo`),
5. documents in every step, circulation, supplies and supervision (`documents.demo`),
6. ratings (`ratings.demo`), bidding events under supervision and a bidding complaint (`bidding.demo`),
7. an inspection of the 分中心, a guidance visit and township figures (`halls.demo_inspections`).

Every part can run again: nothing is duplicated, and the catalog import reports its items unchanged.
"""

import time
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bidding.demo import load_demo_bidding
from casework.demo import load_demo_bidding_complaint, load_demo_cases
from documents.demo import load_demo_office
from halls import demo as halls_demo
from halls.demo_inspections import load as load_demo_inspections
from meetings.demo import load_demo_meetings
from ratings.demo import load_demo_ratings
from registry.demo import load_demo_background_import, load_demo_catalog
from staffing.demo import load_demo
from staffing.models import CalendarDay

ADMIN_URL = "http://127.0.0.1:8000/admin/"


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(logins) -> str:
    rows = [("角色", "用户名", "密码"), *logins]
    widths = [max(_width(row[column]) for row in rows) for column in range(3)]
    lines = ["  ".join(_pad(cell, width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "加载大余县行政服务中心的演示数据:进驻部门、股室、窗口、工作人员、AB岗和每个角色一个演示账号;"
        "演示事项目录(经Excel导入并发布);各种状态的演示办件和首问登记;会议、会议室预约、公文、传阅、"
        "办公用品和督办事项。可重复运行,不会重复创建。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="DEBUG 关闭时也加载(演示账号的密码是公开的,正式环境不要使用)。",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 已关闭:演示账号的密码是公开的,正式环境不要加载演示数据。确需加载请加 --force。"
            )
        if not CalendarDay.objects.exists():
            self.stdout.write("提示:工作日历尚未导入,办件期限暂按周一至周五计算。请先运行 python manage.py calendar_seed。")
        started = time.monotonic()
        try:
            logins = load_demo(stdout=self.stdout)
            load_demo_catalog(stdout=self.stdout)
            load_demo_background_import(stdout=self.stdout)
            load_demo_cases(stdout=self.stdout)
            halls_demo.load(stdout=self.stdout)
            load_demo_meetings(stdout=self.stdout)
            load_demo_office(stdout=self.stdout)
            load_demo_ratings(stdout=self.stdout)
            load_demo_bidding(stdout=self.stdout)
            load_demo_bidding_complaint(stdout=self.stdout)
            load_demo_inspections(stdout=self.stdout)
            from project.baseline import record_baseline
            from project.demo import load_demo_history

            load_demo_history(stdout=self.stdout)

            baseline = record_baseline()
            if baseline:
                self.stdout.write(f"初始数据:为 {baseline} 条没有变更记录的记录补记了初始版本。")
        except ValidationError as error:
            raise CommandError(";".join(error.messages)) from error
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒。")
        self.stdout.write("")
        self.stdout.write("演示账号(仅供演示,请勿用于正式环境):")
        self.stdout.write(format_logins(logins))
        self.stdout.write("")
        self.stdout.write(f"登录地址:{ADMIN_URL}")
