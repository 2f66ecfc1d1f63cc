"""The attachment of a joint opinion opens through the admin, for the lead department, the
co-department and the center-wide roles, and is "not found" for any other department; the pages
link to that view, never to /media/ (which is not served)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework import services
from casework.models import JointOpinion, OpinionStatus
from registry.models import HandlingMode, ItemCoDepartment
from staffing import roles
from staffing.models import Department, DepartmentKind, Window
from tests.casework.conftest import PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinion(settings, tmp_path, official_calendar, committed_item, market_window, clerk, two_departments, make_staff):
    settings.MEDIA_ROOT = tmp_path
    police = two_departments[1]
    committed_item.handling_mode = HandlingMode.JOINT
    committed_item.save()
    ItemCoDepartment.objects.create(item=committed_item, department=police)
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=clerk.user, state="received")
    services.case_accept(case=case, user=clerk.user)
    officer = make_staff(police, role=roles.WINDOW_STAFF, name="刘建国", window=Window.objects.get(number="02"))
    opinion = JointOpinion.objects.get(case=case)
    attachment = SimpleUploadedFile("户籍核查意见.txt", "同意办理".encode(), content_type="text/plain")
    services.opinion_give(opinion=opinion, user=officer.user, status=OpinionStatus.AGREE, attachment=attachment)
    opinion.officer = officer
    return opinion


def file_url(opinion):
    return reverse("admin:casework_jointopinion_file", args=[opinion.pk, "attachment"])


def assert_download(response, content: bytes, name: str):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert "attachment" in response["Content-Disposition"] and name in response["Content-Disposition"]


def test_the_opinion_attachment_opens_for_the_lead_and_the_co_department_and_not_for_another_department(
    client, opinion, clerk, make_staff
):
    client.force_login(clerk.user)  # the lead department
    assert_download(client.get(file_url(opinion)), "同意办理".encode(), "%E6%88%B7%E7%B1%8D")
    client.force_login(opinion.officer.user)  # the co-department
    assert_download(client.get(file_url(opinion)), "同意办理".encode(), "%E6%88%B7%E7%B1%8D")

    tax = Department.objects.create(name="县税务局", kind=DepartmentKind.STATIONED)
    client.force_login(make_staff(tax, role=roles.WINDOW_STAFF, name="陈税").user)
    assert client.get(file_url(opinion)).status_code == 404

    client.force_login(make_staff(tax, role=roles.INSPECTOR, name="蓝晓燕").user)  # center-wide
    assert client.get(file_url(opinion)).status_code == 200


def test_the_case_page_and_the_opinion_page_link_the_attachment_to_the_view(client, opinion, clerk):
    client.force_login(clerk.user)
    page = client.get(reverse("admin:casework_case_change", args=[opinion.case_id])).content.decode()
    assert f'href="{file_url(opinion)}"' in page and "/media/" not in page

    client.force_login(opinion.officer.user)
    page = client.get(reverse("admin:casework_jointopinion_change", args=[opinion.pk])).content.decode()
    assert f'href="{file_url(opinion)}"' in page and "/media/" not in page
