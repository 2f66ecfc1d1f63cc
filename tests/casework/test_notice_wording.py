"""Issue 17, notices: full-width punctuation (GB/T 15834), the 复议机关, the 不予许可决定书 and 延期告知书,
and a template editor that previews a sample case and explains mistakes in Chinese before saving."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from casework import services
from casework.models import NoticeKind, NoticeTemplate
from casework.services.notice_templates import notice_template_errors
from staffing import roles
from tests.casework.conftest import PERSON, at

pytestmark = pytest.mark.django_db

D = datetime.date
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
HALF_WIDTH = re.compile(r"[,:;?!()]")
MIGRATION = importlib.import_module("casework.migrations.0014_notice_templates_full_width")


def wording(body: str) -> str:
    """The template's own text, its tags left out."""
    return TAG.sub("", body)


def accepted_case(committed_item, market_window, clerk, day=D(2026, 11, 2)):
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=at(day), **PERSON)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user)
    case.refresh_from_db()
    return case


def test_every_shipped_notice_writes_chinese_punctuation_full_width():
    templates = {template.kind: template for template in NoticeTemplate.objects.all()}
    assert set(templates) == set(NoticeKind.values)  # 不予许可决定书 and 延期告知书 come with the installation
    for template in templates.values():
        assert not HALF_WIDTH.findall(wording(template.body)), template.kind
        assert template.body.startswith("{{ case.applicant_name }}：\n　　你（单位）于")


def test_the_migration_rewrites_a_stored_default_and_leaves_an_administrators_wording_alone():
    installed = MIGRATION.installed_wording()
    NoticeTemplate.objects.filter(kind="acceptance").update(body=installed["acceptance"])
    NoticeTemplate.objects.filter(kind="completion").update(body="{{ case.applicant_name }}:本中心自己的写法。")

    MIGRATION.forwards(apps, None)

    acceptance = NoticeTemplate.objects.get(kind="acceptance").body
    assert "你（单位）于" in acceptance and "(单位)" not in acceptance
    assert NoticeTemplate.objects.get(kind="completion").body == "{{ case.applicant_name }}:本中心自己的写法。"


def test_generated_text_in_a_notice_is_full_width_too(committed_item, market_window, clerk):
    case = accepted_case(committed_item, market_window, clerk)
    body = case.notices.get(kind=NoticeKind.ACCEPTANCE).body

    assert "张三：\n" in body and "01号窗口（市场主体登记）" in body
    assert not HALF_WIDTH.findall(body.replace("0797-", "")), body


def test_the_non_acceptance_notice_names_the_departments_reconsideration_authority(committed_item, market_window, clerk):
    department = market_window.department
    department.reconsideration_authority = "大余县市场监督管理局的本级人民政府"
    department.save()
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=at(D(2026, 11, 2)), **PERSON)

    services.case_refuse(case=case, user=clerk.user, stage="not_accepted", category="not_allowed", reason="不属于本机关职权范围")

    body = case.notices.get(kind=NoticeKind.NON_ACCEPTANCE).body
    assert "日内依法向大余县市场监督管理局的本级人民政府申请行政复议" in body


def test_without_a_setting_the_notice_names_the_county_government(committed_item, market_window, clerk):
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=at(D(2026, 11, 2)), **PERSON)
    services.case_refuse(case=case, user=clerk.user, stage="not_accepted", category="not_allowed", reason="不属于本机关职权范围")
    assert "依法向大余县人民政府申请行政复议" in case.notices.get(kind=NoticeKind.NON_ACCEPTANCE).body


def test_a_refused_approval_issues_a_decision_not_to_license_with_the_applicants_rights(
    client, committed_item, market_window, clerk
):
    case = accepted_case(committed_item, market_window, clerk)
    services.case_start(case=case, user=clerk.user)
    services.case_refuse(case=case, user=clerk.user, stage="disapproved", category="not_allowed", reason="现场核查不符合要求")

    notice = case.notices.get(kind=NoticeKind.DISAPPROVAL)
    assert (notice.title, notice.number.startswith("大行服不许字〔")) == ("不予许可决定书", True)
    assert "经审查，决定不予许可。\n　　理由：现场核查不符合要求" in notice.body
    assert "依法向大余县人民政府申请行政复议，或者6个月内依法向人民法院提起行政诉讼" in notice.body
    client.force_login(clerk.user)
    page = client.get(reverse("admin:casework_case_change", args=[case.pk])).content.decode()
    print_url = reverse("admin:casework_case_notice_print", args=[case.pk, notice.pk])
    assert print_url in page  # reachable from the case page, where the refusal was made
    printed = client.get(print_url).content.decode()
    assert "不予许可决定书" in printed and "现场核查不符合要求" in printed


def test_an_approved_extension_issues_an_extension_notice_linked_from_the_leaders_message(
    client, official_calendar, committed_item, market_window, clerk, deputy
):
    case = accepted_case(committed_item, market_window, clerk)
    extension = services.case_request_extension(case=case, user=clerk.user, days=5, reason="需补充现场核查")

    client.force_login(deputy.user)
    response = client.post(
        reverse("admin:casework_caseextension_decide", args=[extension.pk]), {"approve": "批准延期", "note": "同意"}, follow=True
    )

    case.refresh_from_db()
    notice = case.notices.get(kind=NoticeKind.EXTENSION)
    due = case.committed_due_date
    assert f"因需补充现场核查，不能在承诺时限内办结" in notice.body
    assert f"办理时限延长5个工作日，将于{due.year}年{due.month}月{due.day}日前办结" in notice.body
    message = [str(m) for m in response.context["messages"]][0]
    assert f"已出具延期告知书（{notice.number}）" in message and "打印</a>后送达申请人" in message
    client.force_login(clerk.user)
    page = client.get(reverse("admin:casework_case_change", args=[case.pk])).content.decode()
    assert reverse("admin:casework_case_notice_print", args=[case.pk, notice.pk]) in page


@pytest.mark.parametrize(
    "body, message",
    [
        ("{% if case.number %}办件", "第1行的「{% if %}」没有结束，请在该结束的位置写上「{% endif %}」。"),
        ("{% for m in problem_materials %}{{ m.name }}{% endif %}", "第1行的「{% endif %}」放错了位置，此处应为「{% empty %}」 或 「{% endfor %}」。"),
        ("{{ case.number|nosuch }}", "过滤器「nosuch」不存在。"),
        ("{{ }}", "第1行有空的「{{ }}」，请在其中写上占位符。"),
        ("{{ case.number ! }}", "写法有误"),
    ],
)
def test_a_syntax_error_is_explained_in_chinese(body, message):
    errors = notice_template_errors(body)
    assert len(errors) == 1 and message in errors[0], errors
    # Apart from what the administrator wrote (quoted in 「」) and the names to type, nothing is English.
    prose = re.sub(r"「[^」]*」|可用的过滤器：.*", "", TAG.sub("", errors[0]))
    assert not re.findall(r"[A-Za-z]{2,}", prose), errors[0]


@pytest.fixture
def administrator(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    return client


def test_the_editor_refuses_an_unknown_variable_before_saving(administrator):
    template = NoticeTemplate.objects.get(kind=NoticeKind.ACCEPTANCE)
    url = reverse("admin:casework_noticetemplate_change", args=[template.pk])
    data = {"title": template.title, "number_prefix": template.number_prefix, "body": template.body + "{{ case.numbr }}"}

    page = administrator.post(url, data).content.decode()

    assert "文书模板不能使用变量「case.numbr」：只能使用正文模板下方列出的占位符" in page
    assert NoticeTemplate.objects.get(pk=template.pk).body == template.body


def test_the_editor_previews_the_edited_text_for_a_sample_case_without_saving(administrator):
    template = NoticeTemplate.objects.get(kind=NoticeKind.NON_ACCEPTANCE)
    change = reverse("admin:casework_noticetemplate_change", args=[template.pk])
    preview = reverse("admin:casework_noticetemplate_preview", args=[template.pk])
    assert f'formaction="{preview}"' in administrator.get(change).content.decode()
    edited = template.body.replace("经审查，决定不予受理。", "经认真审查，决定不予受理。")

    page = administrator.post(preview, {"title": "不予受理通知书", "number_prefix": "大行服不受字", "body": edited}).content.decode()

    assert "以下是按示例办件（申请人「张三（示例）」）生成的不予受理通知书，尚未保存。" in page
    assert "张三（示例）：\n　　你（单位）于" in page and "经认真审查，决定不予受理。" in page
    assert "理由：申请事项不属于本机关职权范围（示例）" in page
    assert "{{" not in page.split('id="notice-preview"')[1].split("</div>")[0]
    assert NoticeTemplate.objects.get(pk=template.pk).body == template.body  # nothing saved
    assert f'action="{change}"' in page and "经认真审查" in page.split("<textarea")[1]  # the edit kept, to save

    refused = administrator.post(preview, {"title": "不予受理通知书", "number_prefix": "大行服不受字", "body": "{{ case.numbr }}"})
    assert "模板有误，无法预览，也不能保存：" in refused.content.decode()
    assert "变量「case.numbr」" in refused.content.decode()


def test_the_editor_lists_the_variables_with_chinese_names(administrator):
    template = NoticeTemplate.objects.get(kind=NoticeKind.EXTENSION)
    page = administrator.get(reverse("admin:casework_noticetemplate_change", args=[template.pk])).content.decode()
    for placeholder, label in [
        ("{{ case.number }}", "办件编号"),
        ("{{ reconsideration_authority }}", "行政复议机关（部门设置）"),
        ("{{ extension.days }}", "延长的工作日数（延期告知书）"),
    ]:
        assert f"<tr><td><code>{placeholder}</code></td><td>{label}" in page.replace("&quot;", '"')


def test_window_staff_cannot_open_the_preview(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.WINDOW_STAFF).user)
    template = NoticeTemplate.objects.get(kind=NoticeKind.ACCEPTANCE)
    response = client.post(reverse("admin:casework_noticetemplate_preview", args=[template.pk]), {"body": "x"})
    assert response.status_code in (302, 403)
