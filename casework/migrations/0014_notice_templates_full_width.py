"""The notices in full-width punctuation (GB/T 15834: 「陈建国：」「，经审查，」), the 复议机关 named in the
不予受理 and 不予批准 wording, and two new notices: 不予许可决定书 and 延期告知书.

A stored template is rewritten only while it still equals the wording it was installed with: an
administrator's own wording is left alone.
"""

import importlib
import re

from django.db import migrations

TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})
DATE = '|date:"Y年n月j日"'


def full_width(body: str) -> str:
    """Half-width punctuation outside the template's tags as full-width; the tags stay as they are."""
    return "".join(part if TAG.fullmatch(part) else part.translate(FULL_WIDTH) for part in TAG.split(body))


def installed_wording() -> dict:
    """kind → the body the installation wrote (0002, with 0003's one list of materials)."""
    first = importlib.import_module("casework.migrations.0002_notice_templates")
    one_list = importlib.import_module("casework.migrations.0003_correction_notice_one_list")
    bodies = {values["kind"]: values["body"] for values in first.TEMPLATES}
    bodies["correction"] = bodies["correction"].replace(one_list.OLD_LOOPS, one_list.NEW_LOOP)
    return bodies


AUTHORITY_OLD = "{{ reconsideration_days }}日内依法申请行政复议"
AUTHORITY_NEW = "{{ reconsideration_days }}日内依法向{{ reconsideration_authority }}申请行政复议"


def new_wording(body: str) -> str:
    return full_width(body.replace(AUTHORITY_OLD, AUTHORITY_NEW))


FOOTER = "\n{{ center_name }}\n{{ today" + DATE + " }}"
NEW_TEMPLATES = [
    {
        "kind": "disapproval",
        "title": "不予许可决定书",
        "number_prefix": "大行服不许字",
        "body": full_width(
            "{{ case.applicant_name }}:\n"
            "　　你(单位)于{{ case.received_on" + DATE + " }}提出的{{ item_name }}申请(办件编号:{{ case.number }}),"
            "本机关已依法受理。经审查,决定不予许可。\n"
            "　　理由:{{ refusal.reason }}\n"
            "{% if refusal.legal_basis %}　　依据:{{ refusal.legal_basis }}\n{% endif %}"
            "　　如对本决定不服,可以自收到本决定书之日起{{ reconsideration_days }}日内依法向"
            "{{ reconsideration_authority }}申请行政复议,或者{{ litigation_months }}个月内依法向人民法院提起行政诉讼。\n"
            "　　联系人:{{ contact }}　咨询电话:{{ contact_phone }}\n"
            "　　监督投诉电话:{{ complaint_phone }}　投诉箱:{{ complaint_box }}\n" + FOOTER
        ),
    },
    {
        "kind": "extension",
        "title": "延期告知书",
        "number_prefix": "大行服延字",
        "body": full_width(
            "{{ case.applicant_name }}:\n"
            "　　你(单位)于{{ case.received_on" + DATE + " }}提出的{{ item_name }}申请(办件编号:{{ case.number }}),"
            "因{{ extension.reason }},不能在承诺时限内办结。根据《中华人民共和国行政许可法》第四十二条的规定,"
            "经本中心负责人批准,办理时限延长{{ extension.days }}个工作日,"
            "将于{{ extension.new_due_date" + DATE + " }}前办结。\n"
            "　　联系人:{{ contact }}　咨询电话:{{ contact_phone }}\n"
            "　　监督投诉电话:{{ complaint_phone }}　投诉箱:{{ complaint_box }}\n" + FOOTER
        ),
    },
]


def forwards(apps, schema_editor):
    NoticeTemplate = apps.get_model("casework", "NoticeTemplate")
    for kind, body in installed_wording().items():
        for template in NoticeTemplate.objects.filter(kind=kind, body=body):
            template.body = new_wording(body)
            template.save(update_fields=["body"])
    for values in NEW_TEMPLATES:
        NoticeTemplate.objects.get_or_create(kind=values["kind"], defaults=values)


def backwards(apps, schema_editor):
    NoticeTemplate = apps.get_model("casework", "NoticeTemplate")
    for kind, body in installed_wording().items():
        NoticeTemplate.objects.filter(kind=kind, body=new_wording(body)).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("casework", "0013_notice_kinds_disapproval_extension")]

    operations = [migrations.RunPython(forwards, backwards)]
