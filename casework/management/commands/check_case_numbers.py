"""`python manage.py check_case_numbers [--since YYYY-MM-DD]`: are the case numbers gap-free per window and day?"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from casework.numbering import number_gaps


class Command(BaseCommand):
    help = "核对办件编号:每个窗口每天的编号应为 1 到 N 连续不缺、不重,且与编号计数器一致。有问题时逐条列出并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--since", help="只核对这一天(YYYY-MM-DD)及以后收件的办件")

    def handle(self, *args, since=None, **options):
        day = None
        if since:
            try:
                day = datetime.date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since 的值「{since}」不是日期,应为 YYYY-MM-DD。") from None
        gaps = number_gaps(day)
        for gap in gaps:
            self.stderr.write(gap.message())
        if gaps:
            raise CommandError(f"办件编号有 {len(gaps)} 处不连续(见上)。")
        where = f"{day:%Y-%m-%d} 以来" if day else "全部"
        self.stdout.write(f"办件编号核对完毕:{where}各窗口每天的编号连续,与计数器一致。")
