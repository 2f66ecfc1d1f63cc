"""The default inspection checklist (检查表), written from the center's 管理制度 in the seed; administrators edit it."""

from django.db import migrations

NAME = "窗口服务规范检查表"
ITEMS = [
    ("窗口纪律", "工作人员按时到岗,无迟到、早退、无故离岗;工作期间无打扑克、玩电脑等娱乐活动(责任追究制度)。"),
    ("仪容仪表", "着装端庄、整洁,不穿奇装异服;讲普通话,无喧哗、说笑、打闹(办公礼仪规范)。"),
    ("挂牌上岗", "窗口工作人员挂牌上岗,工号牌与本人一致(政务公开公示制度)。"),
    ("首问责任", "首问责任人热情接待、耐心解答;不属本岗位的事项履行告知义务或引领至承办窗口(首问责任制度)。"),
    ("一次性告知", "一次性告知办理事项所需材料、要求和流程,并发放有关表格和示范文本(一次性告知制度)。"),
    ("办事指南", "窗口备有本窗口行政服务指南,置于窗口供群众随时查阅(一次性告知制度)。"),
    ("政务公开", "办理事项公开法律依据、收费标准和依据、办理程序、所需资料、办理时限及办理结果(政务公开公示制度)。"),
    ("投诉渠道", "公开投诉电话,设立投诉箱(政务公开公示制度)。"),
    ("离岗告示", "工作人员暂时离岗时在窗口放置告示牌,写明离岗原因、去向和联系方式(离岗告示制度)。"),
    ("AB岗", "各岗位确定A、B岗,A岗不在岗时B岗顶岗,无空岗(AB岗工作制度)。"),
    ("限时办结", "在承诺时限内办结或答复;只需形式审查的事项即来即办即结(限时办结制度)。"),
    ("明确答复", "不予受理、不予批准的事项书面告知理由,出具不予受理通知书(明确答复制)。"),
    ("服务态度", "文明用语、热情接待;无谩骂群众、蛮横粗暴,不与群众发生冲突(首问责任制度、责任追究制度)。"),
]


def create(apps, schema_editor):
    Checklist = apps.get_model("halls", "InspectionChecklist")
    Item = apps.get_model("halls", "ChecklistItem")
    checklist, created = Checklist.objects.get_or_create(name=NAME, defaults={"is_active": True})
    if created:
        Item.objects.bulk_create(
            Item(checklist=checklist, order=order, category=category, text=text)
            for order, (category, text) in enumerate(ITEMS, start=1)
        )


def remove(apps, schema_editor):
    apps.get_model("halls", "InspectionChecklist").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("halls", "0003_inspections_assessment_township")]
    operations = [migrations.RunPython(create, remove)]
