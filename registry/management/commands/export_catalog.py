from django.core.management.base import BaseCommand

from registry.models import ServiceItem
from registry.workbook import write_catalog_workbook


class Command(BaseCommand):
    help = "把事项目录导出为Excel工作簿(与导入相同的三个工作表);导入该文件不会改变任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("workbook", help="要写出的 xlsx 文件路径")

    def handle(self, *args, workbook, verbosity=1, **options):
        count = write_catalog_workbook(ServiceItem.objects.all(), workbook, progress=self.report if verbosity else None)
        self.stdout.write(f"已导出 {count} 个事项到「{workbook}」。")

    def report(self, message, **counts):
        self.stderr.write(message)
