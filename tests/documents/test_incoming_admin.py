"""收文 in the admin: registration with scans, each step on its own page, the recipients' buttons, the
register printed and exported, secrecy on every URL, and a list of fixed query count."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from documents.models import CirculationMode, IncomingDocument, IncomingStatus
from documents.services import incoming as services

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def register_through_the_admin(client, people, **overrides):
    client.force_login(people["office"].user)
    data = {
        "sender": "大余县人民政府办公室", "sender_number": "余府办字〔2026〕88号", "title": "关于做好值班工作的通知",
        "received_on": "", "urgency": "urgent", "action": "handle", "copies": "2", "pages": "4", "secrecy": "normal",
        "scans": [SimpleUploadedFile("p1.pdf", b"%PDF page 1"), SimpleUploadedFile("p2.pdf", b"%PDF page 2")],
    }
    from django.utils import timezone

    data["received_on"] = timezone.localdate().isoformat()
    data.update(overrides)
    return client.post(reverse("admin:documents_incomingdocument_add"), data, follow=True)


def step_url(incoming, code):
    return reverse("admin:documents_incomingdocument_step", args=[incoming.pk, code])


def test_the_office_registers_an_urgent_document_with_two_scans(client, people):
    response = register_through_the_admin(client, people)
    incoming = IncomingDocument.objects.get()
    assert (incoming.number, incoming.urgency, incoming.copies, incoming.attachments.count()) == ("收〔%d〕1号" % incoming.year, "urgent", 2, 2)
    assert messages_of(response) == [f"已登记收文{incoming.number}「关于做好值班工作的通知」,扫描件2份。请拟办。"]


def test_bad_input_names_the_field_and_registers_nothing(client, people):
    response = register_through_the_admin(client, people, sender="", received_on="2999-01-01")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "sender" in errors and errors["received_on"] == ["收文日期不能晚于今天。"]
    assert not IncomingDocument.objects.exists()


def test_window_staff_cannot_register(client, people):
    client.force_login(people["drafter"].user)
    assert client.get(reverse("admin:documents_incomingdocument_add")).status_code == 403


def test_the_steps_run_on_their_pages_each_for_the_right_person(client, people, two_departments):
    market, police = two_departments
    register_through_the_admin(client, people)
    incoming = IncomingDocument.objects.get()
    # 拟办 by the office
    response = client.post(step_url(incoming, "propose"), {"proposal": "拟请市场监管局办理,公安局阅知。", "leader": people["director"].pk}, follow=True)
    assert messages_of(response) == ["已拟办,呈刘建华批办。"]
    # Nobody else may 批办
    client.force_login(people["deputy"].user)
    response = client.post(step_url(incoming, "decide"), {"decision": "同意"}, follow=True)
    assert messages_of(response) == ["收文当前为「待批办」,您不能批办。"]
    # 批办 by the named leader
    client.force_login(people["director"].user)
    response = client.post(step_url(incoming, "decide"), {
        "decision": "请市场监管局办理,公安局阅知。", "handle_departments": [market.pk], "read_departments": [police.pk],
    }, follow=True)
    assert messages_of(response)[0].startswith("已批办:县市场监督管理局(办理)、县公安局(阅知)。办理期限")
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.CIRCULATING
    reader = incoming.circulations.get(mode=CirculationMode.READ)
    handler = incoming.circulations.get(mode=CirculationMode.HANDLE)
    # the office logs a reminder
    client.force_login(people["office"].user)
    response = client.post(reverse("admin:documents_circulation_remind", args=[handler.pk]), {"method": "电话催办", "note": "答复明日反馈"}, follow=True)
    assert messages_of(response) == ["已记录对县市场监督管理局的催办(电话催办)。"]
    # the reader confirms, the handler feeds back; the police clerk cannot answer for the market
    client.force_login(people["police_clerk"].user)
    assert client.post(reverse("admin:documents_circulation_feedback", args=[handler.pk]), {"feedback": "x"}).status_code == 404
    response = client.post(reverse("admin:documents_circulation_confirm_read", args=[reader.pk]), {}, follow=True)
    assert messages_of(response) == ["已确认阅知「关于做好值班工作的通知」。"]
    client.force_login(people["drafter"].user)
    response = client.post(reverse("admin:documents_circulation_feedback", args=[handler.pk]), {"feedback": "已安排值班。"}, follow=True)
    assert messages_of(response) == ["已反馈「关于做好值班工作的通知」的办理结果,本部门的传阅办理已完成。各承办部门均已答复,该收文已办结。"]
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.DONE
    # 归档 by the office
    client.force_login(people["office"].user)
    response = client.post(step_url(incoming, "archive"), {"archive_number": "WS·2026-Y-001"}, follow=True)
    assert messages_of(response) == ["已归档,归档号WS·2026-Y-001。"]


def test_the_register_prints_and_exports_the_year(client, people):
    register_through_the_admin(client, people)
    incoming = IncomingDocument.objects.get()
    page = client.get(reverse("admin:documents_incomingdocument_register"))
    text = page.content.decode()
    assert f"{incoming.year}年收文登记簿" in text and incoming.number in text and "大余县人民政府办公室 余府办字〔2026〕88号" in text
    export = client.get(reverse("admin:documents_incomingdocument_register") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("收文编号", "收文日期", "来文单位", "来文字号", "标题")
    assert rows[1][0] == incoming.number and rows[1][6] == "加急"
    assert client.get(reverse("admin:documents_incomingdocument_register") + "?year=junk").status_code == 200


def test_a_secret_incoming_document_is_not_found_outside_its_scope(client, people, two_departments):
    market, _ = two_departments
    incoming = services.incoming_register(
        user=people["office"].user, sender="县委办", title="涉密来文", secrecy="secret", scope_departments=[market]
    )
    client.force_login(people["police_clerk"].user)
    assert client.get(reverse("admin:documents_incomingdocument_change", args=[incoming.pk])).status_code == 404
    assert "涉密来文" not in client.get(reverse("admin:documents_incomingdocument_changelist")).content.decode()
    assert "涉密来文" not in client.get(reverse("admin:documents_incomingdocument_register")).content.decode()
    client.force_login(people["drafter"].user)
    assert client.get(reverse("admin:documents_incomingdocument_change", args=[incoming.pk])).status_code == 200


def test_the_register_list_takes_a_fixed_number_of_queries(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["office"].user)
    client.get(reverse("admin:documents_incomingdocument_changelist"))  # settings rows created on first use
    counts = []
    for rows in (2, 12):
        while IncomingDocument.objects.count() < rows:
            services.incoming_register(user=people["office"].user, sender="县政府办", title="来文")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:documents_incomingdocument_changelist")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 16
