"""Default wording of the four notices; administrators edit them in the admin (文书模板)."""

from django.db import migrations

DATE = '|date:"Y年n月j日"'

TEMPLATES = [
    {
        "kind": "acceptance",
        "title": "受理通知书",
        "number_prefix": "大行服受字",
        "body": (
            "{{ case.applicant_name }}:\n"
            "　　你(单位)于{{ case.received_on" + DATE + " }}提出的{{ item_name }}申请(办件编号:{{ case.number }}),"
            "经审查,申请材料齐全、符合法定形式,根据《中华人民共和国行政许可法》第三十二条的规定,决定予以受理。\n"
            "{% if case.committed_due_date %}"
            "　　本事项承诺办结时限为{{ case.committed_limit_days }}个工作日,我们将于{{ case.committed_due_date" + DATE + " }}前办结。"
            "请于{{ collection_date" + DATE + " }}起凭本通知书到{{ window_label }}领取办理结果。\n"
            "{% else %}　　本事项为即办件,当场办结。\n{% endif %}"
            "　　收费:{{ case.fee_terms }}\n"
            "　　联系人:{{ contact }}　咨询电话:{{ contact_phone }}\n"
            "　　监督投诉电话:{{ complaint_phone }}　投诉箱:{{ complaint_box }}\n"
            "\n{{ center_name }}\n{{ today" + DATE + " }}"
        ),
    },
    {
        "kind": "correction",
        "title": "一次性补正告知书",
        "number_prefix": "大行服补字",
        "body": (
            "{{ case.applicant_name }}:\n"
            "　　你(单位)于{{ case.received_on" + DATE + " }}提出的{{ item_name }}申请(办件编号:{{ case.number }}),"
            "经审查,申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定,"
            "现一次性告知你(单位)需要补正的全部内容如下:\n"
            "{% for m in missing_materials %}　　{{ forloop.counter }}. 缺少:{{ m.name }}({{ m.get_form_display }},{{ m.copies }}份)\n{% endfor %}"
            "{% for m in unqualified_materials %}　　{{ forloop.counter }}. 需修改:{{ m.name }}——{{ m.problem }}\n{% endfor %}"
            "　　请按上述要求补正后,到{{ window_label }}提交。补齐全部材料后即予受理,窗口不再要求提交本告知书以外的材料。\n"
            "　　联系人:{{ contact }}　咨询电话:{{ contact_phone }}\n"
            "　　监督投诉电话:{{ complaint_phone }}　投诉箱:{{ complaint_box }}\n"
            "\n{{ center_name }}\n{{ today" + DATE + " }}"
        ),
    },
    {
        "kind": "non_acceptance",
        "title": "不予受理通知书",
        "number_prefix": "大行服不受字",
        "body": (
            "{{ case.applicant_name }}:\n"
            "　　你(单位)于{{ case.received_on" + DATE + " }}提出的{{ item_name }}申请(办件编号:{{ case.number }}),"
            "经审查,决定不予受理。\n"
            "　　理由:{{ refusal.reason }}\n"
            "{% if refusal.legal_basis %}　　依据:{{ refusal.legal_basis }}\n{% endif %}"
            "{% if refusal.referred_authority %}　　该申请事项请向{{ refusal.referred_authority }}提出。\n{% endif %}"
            "　　如对本决定有异议,可以向{{ center_name }}管理办公室提出申诉;也可以自收到本通知书之日起"
            "{{ reconsideration_days }}日内依法申请行政复议,或者{{ litigation_months }}个月内依法向人民法院提起行政诉讼。\n"
            "　　监督投诉电话:{{ complaint_phone }}　投诉箱:{{ complaint_box }}\n"
            "\n{{ center_name }}\n{{ today" + DATE + " }}"
        ),
    },
    {
        "kind": "completion",
        "title": "办结通知书",
        "number_prefix": "大行服结字",
        "body": (
            "{{ case.applicant_name }}:\n"
            "　　你(单位)于{{ case.received_on" + DATE + " }}提出的{{ item_name }}申请(办件编号:{{ case.number }}),"
            "已于{{ case.completed_on" + DATE + " }}办结。"
            "{% if case.status == 'approved' %}办理结果:准予办理{% if item.result_name %},请凭本通知书到{{ window_label }}领取{{ item.result_name }}{% endif %}。"
            "{% else %}办理结果:不予批准。理由:{{ refusal.reason }}。"
            "如对本决定不服,可以自收到本通知书之日起{{ reconsideration_days }}日内依法申请行政复议,"
            "或者{{ litigation_months }}个月内依法向人民法院提起行政诉讼。{% endif %}\n"
            "　　联系人:{{ contact }}　咨询电话:{{ contact_phone }}\n"
            "　　监督投诉电话:{{ complaint_phone }}\n"
            "\n{{ center_name }}\n{{ today" + DATE + " }}"
        ),
    },
]


def load_templates(apps, schema_editor):
    NoticeTemplate = apps.get_model("casework", "NoticeTemplate")
    for values in TEMPLATES:
        NoticeTemplate.objects.get_or_create(kind=values["kind"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(load_templates, migrations.RunPython.noop)]
