"""The 一次性补正告知书 numbers missing and unqualified materials as one list."""

from django.db import migrations

OLD_LOOPS = (
    "{% for m in missing_materials %}　　{{ forloop.counter }}. 缺少:{{ m.name }}({{ m.get_form_display }},{{ m.copies }}份)\n{% endfor %}"
    "{% for m in unqualified_materials %}　　{{ forloop.counter }}. 需修改:{{ m.name }}——{{ m.problem }}\n{% endfor %}"
)
NEW_LOOP = (
    "{% for m in problem_materials %}　　{{ forloop.counter }}. "
    "{% if m.state == 'missing' %}缺少:{{ m.name }}({{ m.get_form_display }},{{ m.copies }}份)"
    "{% else %}需修改:{{ m.name }}——{{ m.problem }}{% endif %}\n{% endfor %}"
)


def one_list(apps, schema_editor):
    NoticeTemplate = apps.get_model("casework", "NoticeTemplate")
    for template in NoticeTemplate.objects.filter(kind="correction"):
        if OLD_LOOPS in template.body:  # leave an administrator's own wording alone
            template.body = template.body.replace(OLD_LOOPS, NEW_LOOP)
            template.save()


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_notice_templates")]

    operations = [migrations.RunPython(one_list, migrations.RunPython.noop)]
