"""Daily use of the case page and the 收件 form (issue 17): a step button acts on the checklist as the
page shows it; the 收件 window follows the item; the case shows the item version it was received under."""

import datetime

import pytest
from django.urls import reverse

from casework import services
from casework.models import Case, CaseStatus
from registry.models import ServiceItem
from staffing.models import Window
from tests.casework.conftest import PERSON, at
from tests.casework.test_case_admin import (  # noqa: F401  (fixtures)
    GOOD_ID,
    as_clerk,
    case,
    change_url,
    follow,
    messages_of,
    officer,
    police_item,
    police_window,
    receive_form,
    step_url,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def page_post(client, case, states: dict[str, tuple[str, str]], **extra):
    """The change form's fields as the browser sends them with a step button of the panel."""
    response = client.get(change_url(case))
    data = {"_case_page": "1", "note": "", **extra}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        if formset.model.__name__ != "CaseMaterial":
            continue
        for form in formset.forms:
            state, problem = states.get(form.instance.name, (form.instance.state, form.instance.problem))
            data.update({
                f"{form.prefix}-id": form.instance.pk, f"{form.prefix}-case": case.pk,
                f"{form.prefix}-state": state, f"{form.prefix}-problem": problem,
            })
    return data


def test_ticking_every_material_and_pressing_accept_saves_the_ticks_then_accepts(as_clerk, case):
    data = page_post(as_clerk, case, {"食品经营许可申请书": ("received", ""), "营业执照复印件": ("received", "")})
    response = as_clerk.post(step_url(case, "accept"), data)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert set(case.materials.filter(required=True).values_list("state", flat=True)) == {"received"}
    message = messages_of(follow(as_clerk, response))[0]
    assert message.startswith("已保存2项材料的核验结果。已受理,承诺办结日")
    assert '<a href="' in message and "&lt;a" not in message  # the notice's print link stays a link


def test_the_ticks_are_kept_when_acceptance_is_refused(as_clerk, case):
    data = page_post(as_clerk, case, {"食品经营许可申请书": ("received", "")})
    response = as_clerk.post(step_url(case, "accept"), data)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert case.materials.get(name="食品经营许可申请书").state == "received"
    assert messages_of(follow(as_clerk, response)) == [
        "已保存1项材料的核验结果。未能受理:以下必需材料尚未收齐,不能受理:营业执照复印件。请出具一次性补正告知书。"
    ]


def test_a_checklist_row_in_error_saves_nothing_and_names_the_row(as_clerk, case):
    data = page_post(as_clerk, case, {"食品经营许可申请书": ("received", ""), "营业执照复印件": ("unqualified", "")})
    response = as_clerk.post(step_url(case, "accept"), data)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert not case.materials.exclude(state="pending").exists()
    assert messages_of(follow(as_clerk, response)) == [
        "未能受理:材料「营业执照复印件」不合格时须写明需要如何修改。材料核验结果未保存,请改正后再试。"
    ]


def test_a_form_step_from_the_case_page_saves_the_ticks_and_opens_its_form(as_clerk, case):
    data = page_post(as_clerk, case, {"营业执照复印件": ("missing", "")})
    response = as_clerk.post(step_url(case, "refuse"), data)
    assert response.status_code == 200 and not response.context["form"].is_bound
    assert case.materials.get(name="营业执照复印件").state == "missing"
    assert [str(m) for m in response.context["messages"]] == ["已保存1项材料的核验结果。"]


def test_the_case_page_buttons_belong_to_the_change_form(as_clerk, case):
    html = as_clerk.get(change_url(case)).content.decode()
    assert 'form="case_form" formaction="%s"' % step_url(case, "accept") in html
    assert 'id="case_form"' in html


# 收件: the window that handles the item


def test_the_intake_form_defaults_to_the_items_window_and_the_search_says_which(
    client, police_item, police_window, officer, two_departments, make_staff
):
    second = Window.objects.create(number="03", name="户籍二", department=two_departments[1])
    colleague = make_staff(two_departments[1], role="窗口工作人员", window=second)
    client.force_login(colleague.user)
    found = client.get(reverse("admin:casework_case_item_autocomplete"), {"term": "户口"}).json()
    assert found["results"] == [{"id": str(police_item.pk), "text": str(police_item), "window": police_window.pk}]
    form_page = client.get(reverse("admin:casework_case_add") + f"?item={police_item.pk}")
    assert form_page.context["adminform"].form.initial["window"] == police_window.pk


def test_the_clerks_own_window_is_proposed_when_it_handles_the_item(client, police_item, police_window, officer):
    police_item.window = None
    police_item.save()
    client.force_login(officer.user)
    found = client.get(reverse("admin:casework_case_item_autocomplete"), {"term": "户口"}).json()
    assert found["results"][0]["window"] == police_window.pk


def test_a_window_that_does_not_handle_the_item_is_refused_in_chinese(client, police_item, two_departments, make_staff):
    second = Window.objects.create(number="03", name="户籍二", department=two_departments[1])
    colleague = make_staff(two_departments[1], role="窗口工作人员", window=second)
    client.force_login(colleague.user)
    response = client.post(reverse("admin:casework_case_add"), receive_form(police_item, second))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["window"] == [
        "「03号窗口 户籍二」不办理事项「户口迁移」:该事项在「02号窗口 户籍办理」办理。"
    ]
    assert not Case.objects.exists()


def test_an_empty_window_receives_at_the_items_window(client, police_item, police_window, two_departments, make_staff):
    second = Window.objects.create(number="03", name="户籍二", department=two_departments[1])
    colleague = make_staff(two_departments[1], role="窗口工作人员", window=second)
    client.force_login(colleague.user)
    response = client.post(reverse("admin:casework_case_add"), {**receive_form(police_item, second), "window": ""})
    assert response.status_code == 302
    assert Case.objects.get().window == police_window


def test_the_service_refuses_a_window_other_than_the_items(police_item, two_departments, officer):
    from django.core.exceptions import ValidationError

    second = Window.objects.create(number="03", name="户籍二", department=two_departments[1])
    with pytest.raises(ValidationError) as error:
        services.case_receive(item=police_item, window=second, user=officer.user, **PERSON)
    assert "在「02号窗口 户籍办理」办理" in error.value.messages[0]


# The item version


def test_the_case_shows_the_item_version_it_was_received_under(as_clerk, case, committed_item):
    committed_item.committed_limit_days = 8
    committed_item.save()  # a later version
    html = as_clerk.get(change_url(case)).content.decode()
    version = ServiceItem.history.get(history_id=case.item_version)
    url = reverse("admin:registry_serviceitem_simple_history", args=[committed_item.pk, case.item_version])
    assert f'<a href="{url}">食品经营许可</a>(承诺时限10个工作日、法定时限20个工作日;' in html
    assert "收件时事项历史记录的编号" not in html
    assert version.committed_limit_days == 10
