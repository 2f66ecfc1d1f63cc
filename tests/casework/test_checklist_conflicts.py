"""Two clerks on one case page: the checklist is saved only if nobody changed the case or its rows
since the page was opened (optimistic locking); otherwise the page comes back with the clerk's input,
a message naming what changed, from what to what and by whom, and nothing saved."""

import datetime

import pytest
from django.urls import reverse

from casework import services
from casework.models import CaseStatus
from staffing import roles
from tests.admin_forms import page_data
from tests.casework.conftest import PERSON, at

pytestmark = pytest.mark.django_db
FORM = "食品经营许可申请书"


def change_url(case):
    return reverse("admin:casework_case_change", args=[case.pk])


def with_state(page, data, material_name, state) -> dict:
    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.model.__name__ == "CaseMaterial")
    form = next(f for f in formset.forms if f.instance.name == material_name)
    return {**data, form.add_prefix("state"): state}


@pytest.fixture
def case(committed_item, market_window, clerk):
    return services.case_receive(
        item=committed_item, window=market_window, user=clerk.user, received_at=at(datetime.date(2026, 9, 29)), **PERSON
    )


@pytest.fixture
def second_clerk(two_departments, make_staff, market_window):
    return make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="王丽华", window=market_window)


def test_a_stale_checklist_is_refused_with_what_the_other_clerk_changed_and_keeps_their_received(
    client, case, clerk, second_clerk
):
    client.force_login(clerk.user)  # clerk A opens the page
    page_a = client.get(change_url(case))
    stale = with_state(page_a, page_data(page_a), FORM, "missing")

    client.force_login(second_clerk.user)  # clerk B saves 已收取
    page_b = client.get(change_url(case))
    saved = client.post(change_url(case), with_state(page_b, page_data(page_b), FORM, "received"))
    assert saved.status_code == 302
    assert "已保存1项材料的核验结果。" in [str(m) for m in client.get(saved["Location"]).context["messages"]]
    assert case.materials.get(name=FORM).state == "received"

    client.force_login(clerk.user)  # clerk A posts the page opened before
    refused = client.post(change_url(case), stale)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert (
        f"材料清单「{FORM}」在您打开本页后已被他人修改,您的修改没有保存。其间的修改:核验结果:待核验 → 已收取(王丽华修改)。"
        in text
    )
    assert "已保存" not in " ".join(str(m) for m in refused.context["messages"])
    assert case.materials.get(name=FORM).state == "received"
    # The clerk's input is kept on the page: 缺少 is still chosen on that row.
    formset = next(i.formset for i in refused.context["inline_admin_formsets"] if i.formset.model.__name__ == "CaseMaterial")
    assert next(f for f in formset.forms if f.instance.name == FORM)["state"].value() == "missing"

    # Saving the page shown again is a deliberate choice: it overwrites.
    again = client.post(change_url(case), page_data(refused))
    assert again.status_code == 302
    assert case.materials.get(name=FORM).state == "missing"


def test_a_case_page_opened_before_a_transition_is_refused_naming_the_new_status(client, case, clerk, second_clerk):
    client.force_login(clerk.user)
    page = client.get(change_url(case))
    stale = with_state(page, page_data(page), "其他说明材料", "received")

    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=second_clerk.user, state="received")
    services.case_accept(case=case, user=second_clerk.user)

    refused = client.post(change_url(case), stale)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert f"办件「{case}」在您打开本页后已被他人修改,您的修改没有保存。" in text
    assert "状态:收件 → 受理(王丽华修改)" in text
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.materials.get(name="其他说明材料").state == "pending"
