import datetime

from django.core.management.base import BaseCommand, CommandError

from casework import services as casework_services
from documents import services as documents_services
from halls.services.inspections import sweep_inspections
from ratings.services.tickets import sweep_ratings


class Command(BaseCommand):
    help = (
        "每日定时运行:逾期未受理的办件视为受理;为超期办件、属实投诉、被撤销的否定、重复补正、"
        "逾期联办意见、逾期未办理的文件、逾期的差评工单和逾期未整改的监督检查问题开立责任追究记录。可重复运行,不会重复开立。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期计算(YYYY-MM-DD),默认今天。")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"日期「{date}」无效,请写成 YYYY-MM-DD。") from error
        deemed = casework_services.deem_overdue_receipts(today=today)
        opened = casework_services.sweep_casework(today=today)
        documents = documents_services.sweep_circulation(today=today)
        ratings = sweep_ratings(today=today)
        halls = sweep_inspections(today=today)
        self.stdout.write(
            f"视为受理 {deemed} 件;新开责任追究:超期办件 {opened['cases']},属实投诉 {opened['complaints']},"
            f"否定被撤销 {opened['refusals']},重复补正 {opened['notices']},逾期联办意见 {opened['opinions']},"
            f"逾期文件 {documents},差评回访逾期 {ratings['visits']},差评整改逾期 {ratings['rectifications']},"
            f"监督检查整改逾期 {halls}。"
        )
