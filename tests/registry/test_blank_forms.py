"""The blank forms of the catalog's materials are public forms: they open through the admin for anyone
who may view the item, and the item page and the printable guide and notice link to that view."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import HandlingMode, ItemType, Material, ServiceItem
from staffing import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(settings, tmp_path, two_departments):
    settings.MEDIA_ROOT = tmp_path
    item = ServiceItem.objects.create(
        code="000001", name="食品经营许可", item_type=ItemType.LICENSING, department=two_departments[0],
        handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20, committed_limit_days=10,
    )
    return Material.objects.create(
        item=item, order=1, name="食品经营许可申请书", blank_form=SimpleUploadedFile("申请书样表.txt", "样表".encode())
    )


def file_url(material):
    return reverse("admin:registry_serviceitem_file", args=[material.item_id, "blank_form", material.pk])


def test_a_blank_form_opens_for_staff_of_any_department_and_not_without_the_catalog_permission(
    client, material, two_departments, make_staff
):
    client.force_login(make_staff(two_departments[1], role=roles.WINDOW_STAFF).user)  # another department
    response = client.get(file_url(material))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "样表".encode()
    assert "attachment" in response["Content-Disposition"] and "%E7%94%B3%E8%AF%B7" in response["Content-Disposition"]

    client.force_login(get_user_model().objects.create_user("outsider", password="x", is_staff=True))
    assert client.get(file_url(material)).status_code in (403, 404)


def test_the_item_page_and_the_printed_guide_and_notice_link_the_blank_form_to_the_view(
    client, material, two_departments, make_staff
):
    pages = ["admin:registry_serviceitem_change", "admin:registry_serviceitem_print_guide", "admin:registry_serviceitem_print_notice"]
    for role in (roles.CENTER_ADMIN, roles.WINDOW_STAFF):  # the upload widget, and the read-only row
        client.force_login(make_staff(two_departments[1], role=role).user)
        for name in pages:
            page = client.get(reverse(name, args=[material.item_id])).content.decode()
            assert f'href="{file_url(material)}"' in page and "/media/" not in page, (role, name)
