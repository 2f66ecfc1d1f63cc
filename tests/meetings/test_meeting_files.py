"""The attachments of a meeting open through the admin, for those who may see the meeting (everyone
reads meetings: S3.4), and the meeting page links to that view, never to /media/."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import MeetingAttachment
from staffing import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(settings, tmp_path, party_committee_meeting):
    settings.MEDIA_ROOT = tmp_path
    return MeetingAttachment.objects.create(
        meeting=party_committee_meeting, title="会议材料", file=SimpleUploadedFile("会议材料.txt", "议程".encode())
    )


def file_url(attachment):
    return reverse("admin:meetings_meeting_file", args=[attachment.meeting_id, "attachment", attachment.pk])


def test_a_meeting_attachment_opens_for_staff_who_see_the_meeting_and_not_for_an_account_without_a_role(
    client, attachment, committee, two_departments, make_staff
):
    client.force_login(make_staff(two_departments[1], role=roles.WINDOW_STAFF).user)
    response = client.get(file_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "议程".encode()
    assert "attachment" in response["Content-Disposition"] and "%E4%BC%9A%E8%AE%AE" in response["Content-Disposition"]

    outsider = get_user_model().objects.create_user("outsider", password="x", is_staff=True)
    client.force_login(outsider)
    assert client.get(file_url(attachment)).status_code in (403, 404)
    other = reverse("admin:meetings_meeting_file", args=[attachment.meeting_id + 1, "attachment", attachment.pk])
    client.force_login(committee[0].user)
    assert client.get(other).status_code == 404


def test_the_meeting_page_links_its_attachments_to_the_view(client, attachment, committee, two_departments, make_staff):
    for user in (committee[0].user, make_staff(two_departments[1], role=roles.WINDOW_STAFF).user):  # office, reader
        client.force_login(user)
        page = client.get(reverse("admin:meetings_meeting_change", args=[attachment.meeting_id])).content.decode()
        assert f'href="{file_url(attachment)}"' in page and "/media/" not in page
