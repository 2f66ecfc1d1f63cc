from django.core.management.base import BaseCommand

from staffing import services


class Command(BaseCommand):
    help = "从 chinese-calendar 导入其所覆盖年份的法定节假日与调休上班日(已有的日期不覆盖)。"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="只导入这些年份;不填则导入全部覆盖年份。")

    def handle(self, *args, years, **options):
        added = services.calendar_seed_from_package(years=years or None)
        covered = services.package_calendar_years()
        self.stdout.write(f"工作日历:新增 {added} 天(chinese-calendar 覆盖 {covered.start}–{covered.stop - 1} 年)。")
