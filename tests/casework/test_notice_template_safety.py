"""Notice templates see only the values the editor offers (issue 21, point 2).

An administrator's template must not read a password hash, another applicant's ID number, or loop
without end; the four shipped notices keep rendering every field they had.
"""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context
from django.urls import reverse

from casework import services
from casework.models import CaseworkSettings, Notice, NoticeKind, NoticeTemplate
from casework.services.notice_templates import ENGINE, notice_context, notice_template_errors, render_notice_body
from staffing import roles
from tests.casework.conftest import PERSON

pytestmark = pytest.mark.django_db

PASSWORD = "PW[{{ case.handler.user.password }}]"
WINDOW_STAFF_PASSWORDS = "{% for s in case.window.staff.all %}{{ s.user.password }}{% endfor %}"
OTHER_CASES = "{% for c in case.department.cases.all %}{{ c.applicant_name }} {{ c.id_number }};{% endfor %}"
ENDLESS = (
    "{% for a in problem_materials %}{% for b in problem_materials %}{% for c in problem_materials %}"
    "{% for d in problem_materials %}很长的一段文字{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
)
ATTACKS = [
    (PASSWORD, "文书模板不能使用变量「case.handler.user.password」"),
    (WINDOW_STAFF_PASSWORDS, "「{% for … in case.window.staff.all %}」:循环只能遍历材料清单"),
    (OTHER_CASES, "「{% for … in case.department.cases.all %}」:循环只能遍历材料清单"),
    (ENDLESS, "「{% for … in problem_materials %}」:循环最多嵌套2层"),
]


def received_case(item, window, clerk, *, applicant="张三", id_number=PERSON["id_number"]):
    person = {**PERSON, "applicant_name": applicant, "id_number": id_number}
    return services.case_receive(item=item, window=window, user=clerk.user, **person)


def post_template(client, body):
    template = NoticeTemplate.objects.get(kind=NoticeKind.ACCEPTANCE)
    url = reverse("admin:casework_noticetemplate_change", args=[template.pk])
    return client.post(url, {"title": "受理通知书", "number_prefix": "大行服受字", "body": body})


@pytest.mark.parametrize("body, message", ATTACKS, ids=["password", "window_passwords", "other_cases", "nested_loops"])
def test_the_template_editor_refuses_a_template_that_reaches_beyond_the_offered_values(
    client, two_departments, make_staff, body, message
):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    before = NoticeTemplate.objects.get(kind=NoticeKind.ACCEPTANCE).body
    response = post_template(client, "{{ case.applicant_name }}:" + body)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert any(error.startswith(message) for error in errors), errors
    assert NoticeTemplate.objects.get(kind=NoticeKind.ACCEPTANCE).body == before


@pytest.mark.parametrize(
    "tag",
    [
        "{% load static %}",
        "{% include 'admin/base.html' %}",
        "{% extends 'admin/base.html' %}",
        "{% debug %}",
        "{% ssi '/etc/passwd' %}",
        "{% url 'admin:index' %}",
        "{% csrf_token %}",
        "{% lorem 99999 w %}",
    ],
)
def test_tags_outside_the_wording_are_refused_by_name(tag):
    name = tag.split()[1]
    errors = notice_template_errors("{{ case.number }}" + tag)
    assert errors == [f"文书模板不能使用这些标签:{name}。可用的标签:if、for、with、firstof、now、cycle。"]


def test_filters_that_blow_up_the_text_and_variables_hidden_behind_aliases_are_refused():
    assert notice_template_errors('{{ case.number|center:"999999999" }}')[0].startswith("文书模板不能使用过滤器「center」")
    assert notice_template_errors("{% with h=case.handler %}{{ h.user.password }}{% endwith %}")[0].startswith(
        "文书模板不能使用变量「case.handler」"
    )
    assert notice_template_errors("{% for c in case.number %}{% endfor %}")[0].startswith(
        "「{% for … in case.number %}」:循环只能遍历材料清单"
    )


@pytest.mark.parametrize("body", [PASSWORD, WINDOW_STAFF_PASSWORDS, OTHER_CASES])
def test_a_template_saved_around_the_editor_cannot_print_hashes_or_other_applicants(
    committed_item, market_window, clerk, body
):
    other = received_case(committed_item, market_window, clerk, applicant="李四", id_number="360723198512129870")
    NoticeTemplate.objects.filter(kind=NoticeKind.ACCEPTANCE).update(body="{{ case.applicant_name }}:" + body)
    case = received_case(committed_item, market_window, clerk)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    with pytest.raises(ValidationError, match="文书模板「受理通知书」有误,请管理员修改:"):
        services.case_accept(case=case, user=clerk.user)
    assert not Notice.objects.exists()

    # Even rendered without the check, the values handed to a template hold no record to walk from.
    text = ENGINE.from_string(body).render(Context(notice_context(case)))
    assert clerk.user.password not in text and "$" not in text
    assert other.id_number not in text and "李四" not in text


def test_loops_stop_at_the_notice_length_set_in_the_casework_settings(committed_item, market_window, clerk):
    settings = CaseworkSettings.load()
    settings.notice_max_length = 1000
    settings.save()
    body = "{% for a in problem_materials %}{% for b in problem_materials %}" + "补" * 300 + "{% endfor %}{% endfor %}"
    assert notice_template_errors(body) == []
    NoticeTemplate.objects.filter(kind=NoticeKind.CORRECTION).update(body=body)
    case = received_case(committed_item, market_window, clerk)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="missing")
    with pytest.raises(ValidationError, match="生成的正文超过了“办件设置”中的通知书最大字数\\(1000字\\)"):
        services.case_request_correction(case=case, user=clerk.user)
    assert not Notice.objects.exists()
    assert notice_template_errors("字" * 1001) == ["正文模板有1001字,超过了“办件设置”中的通知书最大字数(1000字)。"]


def test_the_shipped_correction_notice_still_lists_every_material_with_its_form_copies_and_problem(
    committed_item, market_window, clerk
):
    for template in NoticeTemplate.objects.all():
        assert notice_template_errors(template.body) == [], template.kind
    case = received_case(committed_item, market_window, clerk)
    first, second = case.materials.filter(required=True).order_by("order")
    services.case_check_material(material=first, user=clerk.user, state="missing")
    services.case_check_material(material=second, user=clerk.user, state="unqualified", problem="复印件须加盖公章")
    services.case_request_correction(case=case, user=clerk.user)
    body = case.notices.get(kind=NoticeKind.CORRECTION).body
    assert body.startswith("张三：\n　　你（单位）于")
    assert f"（办件编号：{case.number}）" in body
    assert "　　1. 缺少：食品经营许可申请书（原件，1份）\n　　2. 需修改：营业执照复印件——复印件须加盖公章\n" in body
    assert "到01号窗口（市场主体登记）提交" in body and "联系人：李春梅　咨询电话：0797-8721111" in body


def test_the_wording_of_the_first_installation_with_two_material_loops_still_renders(committed_item, market_window, clerk):
    """Administrators may still have the two-loop wording of migration 0002 (m.get_form_display, m.copies)."""
    body = (
        "{% for m in missing_materials %}{{ forloop.counter }}. 缺少:{{ m.name }}({{ m.get_form_display }},"
        "{{ m.copies }}份){% endfor %}"
        "{% for m in unqualified_materials %}{{ forloop.counter }}. 需修改:{{ m.name }}——{{ m.problem }}{% endfor %}"
    )
    case = received_case(committed_item, market_window, clerk)
    first, second = case.materials.filter(required=True).order_by("order")
    services.case_check_material(material=first, user=clerk.user, state="missing")
    services.case_check_material(material=second, user=clerk.user, state="unqualified", problem="须加盖公章")
    template = NoticeTemplate(kind=NoticeKind.CORRECTION, title="一次性补正告知书", body=body)
    assert render_notice_body(template, notice_context(case)) == (
        "1. 缺少:食品经营许可申请书(原件,1份)1. 需修改:营业执照复印件——须加盖公章"
    )


def test_the_editor_lists_every_value_a_template_may_use(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    template = NoticeTemplate.objects.get(kind=NoticeKind.COMPLETION)
    page = client.get(reverse("admin:casework_noticetemplate_change", args=[template.pk])).content.decode()
    for placeholder, label in [
        ("{{ item.result_name }}", "办理结果（证照）名称"),
        ("{{ case.status }}", "办件状态"),
        ("{% for m in problem_materials %}", "需补正的全部材料"),
        ("{{ refusal.reason }}", "否定理由"),
    ]:
        assert placeholder in page.replace("&quot;", '"') and label in page
