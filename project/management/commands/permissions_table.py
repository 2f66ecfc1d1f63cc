from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from project import permissions_table

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "输出角色 × 模型的权限表(查/增/改/删),由角色的权限和各管理页面的权限规则生成;--write 写入 docs/permissions.md。"

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="替换 docs/permissions.md 中的权限表。")

    def handle(self, *args, write=False, **options):
        table = permissions_table.render()
        if not write:
            self.stdout.write(table)
            return
        DOC.write_text(permissions_table.replace_table(DOC.read_text(encoding="utf-8"), table), encoding="utf-8")
        self.stdout.write(f"已更新 {DOC}。")
