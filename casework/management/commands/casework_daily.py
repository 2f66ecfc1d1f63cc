"""The daily casework run, for a timer (systemd/cron) shortly after midnight.

行政许可法 art. 32: a receipt neither accepted nor given a 补正 notice within the deadline counts as
accepted on the day of receipt. Lists already show the deadline from stored dates; this makes it so.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework import services


class Command(BaseCommand):
    help = "每日运行:逾期未作出受理决定、也未出具补正告知书的收件,依法视为受理。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期运行(YYYY-MM-DD),默认今天。")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"日期「{date}」格式不对,应为 YYYY-MM-DD,如 2026-11-02。") from error
        count = services.deem_overdue_receipts(today)
        if count:
            self.stdout.write(f"{today:%Y-%m-%d}:{count}件收件逾期未作出受理决定,已依法视为受理。")
        else:
            self.stdout.write(f"{today:%Y-%m-%d}:没有逾期未受理的收件。")
