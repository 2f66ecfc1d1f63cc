from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from import_export.results import RowResult

from staffing import spreadsheet
from staffing.organisation_import import import_errors
from staffing.resources import DepartmentResource, StaffResource, WindowResource

# In this order: windows name their department, staff name both.
SHEETS = [("部门", DepartmentResource), ("窗口", WindowResource), ("工作人员", StaffResource)]


class Command(BaseCommand):
    help = (
        "从Excel工作簿导入组织架构:工作表「部门」「窗口」「工作人员」(可缺),按此顺序在一个事务中导入;"
        "任何一行有错则列出全部错误,不作任何修改。"
    )

    def add_arguments(self, parser):
        parser.add_argument("workbook", help="xlsx 文件路径")
        parser.add_argument("--user", help="记入修改历史的操作人(用户名)")

    def handle(self, *args, workbook, user=None, **options):
        acting_user = self.acting_user(user)
        try:
            book = spreadsheet.open_workbook(workbook, Path(workbook).name)
        except spreadsheet.WorkbookError as error:
            raise CommandError(f"无法读取工作簿:{error}") from error

        sheets = [(name, resource_class) for name, resource_class in SHEETS if name in book.sheetnames]
        if not sheets:
            names = "、".join(f"「{name}」" for name, _ in SHEETS)
            raise CommandError(f"工作簿「{workbook}」中没有名为{names}的工作表。")

        try:  # every sheet is read, within its row limit, before anything is written
            datasets = {
                name: spreadsheet.sheet_dataset(spreadsheet.read_sheet(book, name, limit=spreadsheet.row_limit("organisation")))
                for name, _ in sheets
            }
        except spreadsheet.WorkbookError as error:
            raise CommandError(f"导入失败,未作任何修改:{error}") from error
        finally:
            book.close()

        errors, summary = [], []
        with transaction.atomic():
            for name, resource_class in sheets:
                dataset = datasets[name]
                # A fresh resource per sheet: its name look-ups must see the rows of the earlier sheets.
                result = resource_class().import_data(dataset, dry_run=False, use_transactions=True, user=acting_user)
                errors += import_errors(name, dataset, result)
                totals = result.totals
                summary.append(
                    f"工作表「{name}」:新增 {totals[RowResult.IMPORT_TYPE_NEW]} 行,"
                    f"更新 {totals[RowResult.IMPORT_TYPE_UPDATE]} 行,跳过 {totals[RowResult.IMPORT_TYPE_SKIP]} 行。"
                )
            if errors:
                transaction.set_rollback(True)

        if errors:
            raise CommandError(f"导入失败,共 {len(errors)} 处错误,未作任何修改:\n" + "\n".join(errors))
        for line in summary:
            self.stdout.write(line)
        for name, _ in SHEETS:
            if name not in book.sheetnames:
                self.stdout.write(f"工作表「{name}」不存在,未导入。")

    def acting_user(self, username):
        if not username:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"找不到用户名为「{username}」的用户。") from None
