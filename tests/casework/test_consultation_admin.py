"""首问登记 in the admin (S1.3): the quick form for window staff, the list, and 「转为办件」."""

import pytest
from django.urls import reverse

from casework import services
from casework.models import Case, Consultation, ConsultationOutcome
from staffing import roles
from staffing.models import Window
from tests.casework.conftest import PERSON

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/casework/consultation/add/"
LIST_URL = "/admin/casework/consultation/"


def consultation_data(**overrides):
    data = {
        "asker_name": "王五",
        "asker_phone": "13907970002",
        "item": "",
        "question": "开小吃店要办什么证?",
        "outcome": ConsultationOutcome.ANSWERED,
        "transferred_to": "",
        "referred_authority": "",
        "note": "",
    }
    return {**data, **overrides}


@pytest.fixture
def police_clerk(two_departments, make_staff):
    police = two_departments[1]
    return make_staff(police, role=roles.WINDOW_STAFF, name="黄建国", window=Window.objects.get(number="02"))


def log(clerk, item, **overrides):
    values = {"asker_name": "王五", "asker_phone": "13907970002", "outcome": ConsultationOutcome.NOTICE_GIVEN}
    return services.consultation_log(user=clerk.user, item=item, **{**values, **overrides})


def test_the_quick_form_names_the_logged_in_staff_member_as_first_inquiry_staff(client, clerk):
    client.force_login(clerk.user)
    html = client.get(ADD_URL).content.decode()
    assert "首问责任人:李春梅" in html
    assert "发放一次性告知单" in html and "移交其他窗口" in html
    assert 'name="first_inquiry_staff"' not in html


def test_logging_a_consultation_as_window_staff_records_the_first_inquiry_staff_and_department(
    client, clerk, committed_item, market_window, two_departments
):
    client.force_login(clerk.user)
    response = client.post(
        ADD_URL, consultation_data(item=committed_item.pk, outcome=ConsultationOutcome.NOTICE_GIVEN)
    )
    assert response.status_code == 302

    consultation = Consultation.objects.get()
    assert consultation.first_inquiry_staff == clerk
    assert (consultation.department, consultation.window) == (two_departments[0], market_window)
    assert consultation.history.get().history_user == clerk.user

    html = client.get(LIST_URL).content.decode()
    assert reverse("admin:registry_serviceitem_print_notice", args=[committed_item.pk]) in html
    assert "打印一次性告知单" in html
    assert reverse("admin:casework_consultation_open_case", args=[consultation.pk]) in html


def test_transferred_without_a_window_is_refused_on_the_field_and_nothing_is_saved(client, clerk):
    client.force_login(clerk.user)
    response = client.post(ADD_URL, consultation_data(outcome=ConsultationOutcome.TRANSFERRED))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["transferred_to"] == ["移交其他窗口时须选择移交的窗口。"]
    assert not Consultation.objects.exists()


def test_out_of_scope_must_name_the_authority(client, clerk):
    client.force_login(clerk.user)
    response = client.post(ADD_URL, consultation_data(outcome=ConsultationOutcome.OUT_OF_SCOPE))
    assert response.context["adminform"].form.errors["referred_authority"] == [
        "不属中心受理范围的,须一次性告知应到哪个机关办理。"
    ]
    response = client.post(
        ADD_URL, consultation_data(outcome=ConsultationOutcome.OUT_OF_SCOPE, referred_authority="县自然资源局")
    )
    assert response.status_code == 302
    assert Consultation.objects.get().referred_authority == "县自然资源局"


def test_a_transfer_to_another_departments_window_is_recorded(client, clerk):
    client.force_login(clerk.user)
    police_window = Window.objects.get(number="02")
    response = client.post(
        ADD_URL, consultation_data(outcome=ConsultationOutcome.TRANSFERRED, transferred_to=police_window.pk)
    )
    assert response.status_code == 302
    assert Consultation.objects.get().transferred_to == police_window


def test_converting_a_consultation_to_a_case_lands_on_the_case_page_with_the_consultations_staff(
    client, clerk, committed_item, make_staff, two_departments, market_window
):
    consultation = log(clerk, committed_item)
    colleague = make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="刘丽", window=market_window)
    client.force_login(colleague.user)
    url = reverse("admin:casework_consultation_open_case", args=[consultation.pk])

    form = client.get(url).context["form"]
    assert (form["applicant_name"].value(), form["phone"].value(), form["window"].value()) == (
        "王五", "13907970002", market_window.pk,
    )

    response = client.post(url, {**PERSON, "applicant_kind": "person", "credit_code": "", "window": market_window.pk})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:casework_case_change", args=[case.pk])
    assert (case.first_inquiry_staff, case.handler, case.consultation) == (clerk, colleague, consultation)
    assert (case.item, case.applicant_name) == (committed_item, "张三")

    # A second attempt goes to the case instead of opening another one.
    again = client.post(url, {**PERSON, "applicant_kind": "person", "window": market_window.pk})
    assert again["Location"] == reverse("admin:casework_case_change", args=[case.pk])
    assert Case.objects.count() == 1


def test_a_wrong_id_number_is_shown_on_the_conversion_form(client, clerk, committed_item, market_window):
    consultation = log(clerk, committed_item)
    client.force_login(clerk.user)
    url = reverse("admin:casework_consultation_open_case", args=[consultation.pk])
    response = client.post(
        url, {**PERSON, "id_number": "110105194912310021", "applicant_kind": "person", "window": market_window.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Case.objects.exists()


def test_staff_of_another_department_neither_list_nor_open_nor_convert_a_consultation(
    client, clerk, police_clerk, committed_item
):
    consultation = log(clerk, committed_item)
    log(police_clerk, None, outcome=ConsultationOutcome.ANSWERED, asker_name="赵六")

    client.force_login(police_clerk.user)
    listed = client.get(LIST_URL).context["cl"].result_list
    assert [c.asker_name for c in listed] == ["赵六"]
    assert client.get(reverse("admin:casework_consultation_change", args=[consultation.pk])).status_code == 302
    url = reverse("admin:casework_consultation_open_case", args=[consultation.pk])
    assert client.post(url, {**PERSON, "applicant_kind": "person"}).status_code == 302
    assert not Case.objects.exists()

    client.force_login(clerk.user)
    assert [c.asker_name for c in client.get(LIST_URL).context["cl"].result_list] == ["王五"]


def test_a_logged_consultation_is_read_only(client, clerk, committed_item):
    consultation = log(clerk, committed_item)
    client.force_login(clerk.user)
    url = reverse("admin:casework_consultation_change", args=[consultation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "转为办件" in page.content.decode()
    assert client.post(url, {"asker_name": "改名"}).status_code == 403


def test_a_control_character_in_the_question_is_refused_on_the_field_and_nothing_is_saved(client, clerk):
    client.force_login(clerk.user)
    response = client.post(ADD_URL, consultation_data(question="开小吃店\x07要办什么证?"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["question"] == [
        "「咨询内容」含有不可见的控制字符(U+0007,第5个字符),可能是从其他软件复制时带入的,请删除后重新填写。"
    ]
    assert not Consultation.objects.exists()
    assert client.post(ADD_URL, consultation_data(question="开小吃店\t要办什么证?\r\n")).status_code == 302
