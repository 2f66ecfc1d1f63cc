"""Rebuild the daily statistics rollups (casework.rollup) from the cases, or check them against the cases."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from casework import rollup
from casework.models.statistics import COUNTED, CaseDayStatistics
from halls.models import Hall
from registry.models import HandlingMode, ServiceItem
from staffing.models import Department, Window

LABELS = {name: CaseDayStatistics._meta.get_field(name).verbose_name for name in COUNTED}


class Command(BaseCommand):
    help = "按办件重新计算办件日统计(可重复运行);--check 只核对、不写入。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="since", help="只处理该日期(YYYY-MM-DD)及以后收件的统计,默认全部。")
        parser.add_argument("--check", action="store_true", help="只核对统计与办件重新计数是否一致,不一致时以非零状态退出。")

    def handle(self, *args, since=None, check=False, **options):
        try:
            day = datetime.date.fromisoformat(since) if since else None
        except ValueError as error:
            raise CommandError(f"日期「{since}」格式不对,应为 YYYY-MM-DD,如 2026-01-01。") from error
        scope = f"{day:%Y年%-m月%-d日}起" if day else "全部"
        if not check:
            rows = rollup.rebuild(day)
            self.stdout.write(f"办件日统计已重新计算({scope}):{rows}行。")
            return
        differences = rollup.differences(day)
        if not differences:
            self.stdout.write(f"办件日统计与办件一致({scope})。")
            return
        for rollup_name, key, have, want in differences[:20]:
            self.stdout.write(f"{rollup_name} {key[0]:%Y-%m-%d} {describe_key(key)}:{describe(have)},应为{describe(want)}")
        raise CommandError(f"办件日统计有{len(differences)}行与办件不一致,请运行 manage.py rebuild_statistics 重新计算。")


def describe_key(key) -> str:
    """(day, department, hall, window, mode[, item]) in words."""
    department, hall, window = (
        Department.objects.filter(pk=key[1]).first(), Hall.objects.filter(pk=key[2]).first(), Window.objects.filter(pk=key[3]).first()
    )
    mode = HandlingMode(key[4]).label if key[4] in HandlingMode.values else key[4]
    text = f"{department or key[1]} {hall or key[2]} {window or key[3]} {mode}"
    if len(key) > 5:
        text += f" {ServiceItem.objects.filter(pk=key[5]).first() or key[5]}"
    return text


def describe(counts) -> str:
    counts = counts or (0,) * len(COUNTED)
    return "、".join(f"{LABELS[name]}{n}" for name, n in zip(COUNTED, counts))
