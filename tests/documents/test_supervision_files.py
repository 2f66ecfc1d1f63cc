"""The materials of a supervision item open through the admin, scoped like the item's page: its own
section and the center-wide roles, "not found" for another section. The page links to that view."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import SupervisionAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(settings, tmp_path, people, two_departments):
    settings.MEDIA_ROOT = tmp_path
    item = services.supervision_register(
        user=people["office"].user, title="年底前完成企业开办一窗通办", source="key_task", content="压缩企业开办时间",
        department=two_departments[0], deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    return SupervisionAttachment.objects.create(
        item=item, kind="feedback", file=SimpleUploadedFile("反馈材料.txt", "已办结".encode())
    )


def file_url(material):
    return reverse("admin:documents_supervisionitem_file", args=[material.item_id, "material", material.pk])


def test_a_supervision_material_opens_for_its_section_and_not_for_another(client, people, material):
    for who in ("drafter", "office"):
        client.force_login(people[who].user)
        response = client.get(file_url(material))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == "已办结".encode()
        assert "attachment" in response["Content-Disposition"] and "%E5%8F%8D%E9%A6%88" in response["Content-Disposition"]

    client.force_login(people["police_clerk"].user)
    assert client.get(file_url(material)).status_code == 404


def test_the_item_page_links_its_materials_to_the_view(client, people, material):
    for who in ("drafter", "office"):  # read-only row, and the upload widget
        client.force_login(people[who].user)
        page = client.get(reverse("admin:documents_supervisionitem_change", args=[material.item_id])).content.decode()
        assert f'href="{file_url(material)}"' in page and "/media/" not in page
