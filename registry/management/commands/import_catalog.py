from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from registry.workbook import catalog_import


class Command(BaseCommand):
    help = (
        "从Excel工作簿导入事项目录(工作表「事项」「申请材料」「办理环节」),按事项编码新增或更新;"
        "任何一处有错则列出全部错误,不作任何修改。"
    )

    def add_arguments(self, parser):
        parser.add_argument("workbook", help="xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告,不写入")
        parser.add_argument("--create-departments", action="store_true", help="创建工作簿中出现但系统中不存在的部门")
        parser.add_argument("--user", help="记入修改历史的操作人(用户名)")

    def handle(self, *args, workbook, dry_run=False, create_departments=False, user=None, verbosity=1, **options):
        acting_user = self.acting_user(user)
        path = Path(workbook)
        if not path.is_file():
            raise CommandError(f"找不到文件「{workbook}」。")
        plan = catalog_import(
            path,
            user=acting_user,
            create_departments=create_departments,
            dry_run=dry_run,
            progress=self.report if verbosity else None,
        )
        if not plan.ok:
            lines = plan.unknown_columns + [f"导入失败,{plan.summary},未作任何修改:"]
            raise CommandError("\n".join(lines + [str(error) for error in plan.errors] + plan.warnings))
        for warning in plan.unknown_columns + plan.warnings:
            self.stdout.write(f"注意:{warning}")
        if plan.new_departments:
            names = "、".join(department.name for department in plan.new_departments)
            self.stdout.write(f"新建部门 {len(plan.new_departments)} 个:{names}")
        if verbosity > 1:
            for entry in plan.changed_items:
                changes = ";".join(f"{column}:{old} → {new}" for column, old, new in entry.changes)
                self.stdout.write(f"更新 {entry.item.code}:{changes}")
        self.stdout.write(("试运行,未写入:" if dry_run else "导入完成:") + plan.summary + "。")

    def report(self, message, **counts):
        self.stderr.write(message)

    def acting_user(self, username):
        if not username:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"找不到用户名为「{username}」的用户。") from None
