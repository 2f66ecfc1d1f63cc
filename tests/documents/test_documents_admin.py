"""The documents admin as the drafter, the office, the signer, the recipients and an inspector use it:
drafting, the lifecycle buttons, attachments and their versions, circulation with feedback and delay,
the overdue list, and secrecy on every page (list, page, history, print, export, recipients)."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Circulation, CirculationState, Document, DocumentAttachment, DocumentCategory, DocumentStatus
from staffing import roles
from tests.documents.conftest import with_body, registered

pytestmark = pytest.mark.django_db
D = datetime.date
SECRET_TITLE = "干部考察人选名单"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(client, staff):
    client.force_login(staff.user)
    return client


def text_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def change_url(document):
    return reverse("admin:documents_document_change", args=[document.pk])


def step_url(document, code):
    return reverse("admin:documents_document_step", args=[document.pk, code])


def buttons_of(response) -> list[str]:
    panel = response.context.get("document_panel") if response.context else None
    return [button["label"] for button in panel["buttons"]] if panel else []


def draft(people, title="关于做好年底窗口服务工作的通知", **kwargs):
    category = DocumentCategory.objects.get(name="中心文件")
    return services.document_draft(user=people["drafter"].user, category=category, title=title, **kwargs)


def secret_document(people):
    return draft(people, title=SECRET_TITLE, secrecy="secret", scope_staff=[people["director"]])


# --- Drafting ------------------------------------------------------------------------------------


def test_a_department_head_drafts_through_the_form_and_a_secret_draft_needs_a_scope(client, people):
    people["drafter"].user.groups.add(Group.objects.get(name=roles.SECTION_HEAD))
    login(client, people["drafter"])
    category = DocumentCategory.objects.get(name="中心文件")
    url = reverse("admin:documents_document_add")

    refused = client.post(url, {"category": category.pk, "title": "人事安排", "secrecy": "secret"})
    assert refused.status_code == 200
    assert "涉密文件须指定知悉范围(人员或部门)。" in text_of(refused)
    assert not Document.objects.exists()

    response = client.post(url, {"category": category.pk, "title": "人事安排", "secrecy": "secret", "scope_staff": [people["director"].pk]})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(document)
    assert (document.drafter, document.secrecy, list(document.scope_staff.all())) == (people["drafter"], "secret", [people["director"]])


def test_window_staff_may_read_documents_but_not_draft_them(client, people):
    login(client, people["police_clerk"])
    assert client.get(reverse("admin:documents_document_changelist")).status_code == 200
    assert client.get(reverse("admin:documents_document_add")).status_code == 403


# --- The lifecycle buttons ---------------------------------------------------------------------


def test_submitting_for_review_without_the_body_is_refused_with_a_message(client, people):
    document = draft(people)
    response = login(client, people["drafter"]).post(step_url(document, "submit"), follow=True)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT
    assert "尚未上传正文,不能提交核稿" in response.content.decode()


def test_the_lifecycle_runs_through_the_buttons_each_shown_only_to_the_right_person(client, people):
    document = with_body(draft(people))
    drafter, office, director, deputy = people["drafter"], people["office"], people["director"], people["deputy"]

    assert buttons_of(login(client, drafter).get(change_url(document))) == ["提交核稿"]
    assert buttons_of(login(client, office).get(change_url(document))) == []
    login(client, drafter).post(step_url(document, "submit"))
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVIEW

    assert buttons_of(login(client, drafter).get(change_url(document))) == []
    assert buttons_of(login(client, office).get(change_url(document))) == ["核稿通过", "退回修改"]
    refused = client.post(step_url(document, "review_return"), {"note": ""}, follow=True)
    assert "未能退回修改:退回修改须写明意见。" in messages_of(refused)
    passed = client.post(step_url(document, "review_pass"), {"note": "文字已规范"}, follow=True)
    assert "核稿通过,待刘建华签发。" in messages_of(passed)

    assert buttons_of(login(client, deputy).get(change_url(document))) == []
    assert buttons_of(login(client, director).get(change_url(document))) == ["签发"]
    client.post(step_url(document, "sign"))

    assert buttons_of(login(client, office).get(change_url(document))) == ["登记编号"]
    registered_page = client.post(step_url(document, "register"), follow=True)
    document.refresh_from_db()
    assert document.number == f"大余行服〔{timezone.localdate().year}〕1号"
    assert f"已登记编号:{document.number}。请拟稿人校对。" in messages_of(registered_page)
    assert document.number in registered_page.context["document_panel"]["document"].number

    assert buttons_of(login(client, drafter).get(change_url(document))) == ["校对"]
    client.post(step_url(document, "proofread"))
    login(client, office).post(step_url(document, "issue"))
    refused = client.post(step_url(document, "archive"), follow=True)
    assert "未能归档:归档前须上传签发原件。" in messages_of(refused)

    page = client.get(change_url(document))
    management = {
        "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "签发稿", "attachments-0-file": SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed"),
        "attachments-0-is_signed_original": "on",
        "circulations-TOTAL_FORMS": "0", "circulations-INITIAL_FORMS": "0",
    }
    assert page.status_code == 200
    saved = client.post(change_url(document), management)
    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved
    client.post(step_url(document, "archive"))
    document.refresh_from_db()
    assert document.status == DocumentStatus.ARCHIVED
    reasons = list(document.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[1:] == ["提交核稿", "核稿通过 文字已规范", "签发", f"登记编号 {document.number}", "校对", "印发", "归档"]


def test_a_step_the_user_may_not_take_is_refused_and_changes_nothing(client, people):
    document = draft(people)
    services.document_submit_for_review(document=with_body(document), user=people["drafter"].user)
    services.document_review(document=document, user=people["office"].user, approve=True)

    response = login(client, people["deputy"]).post(step_url(document, "sign"), follow=True)

    assert "文件当前为「核稿」,您不能签发。" in messages_of(response)
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVIEW
    assert login(client, people["director"]).get(step_url(document, "sign")).status_code == 405


def test_replacing_an_attachment_keeps_the_earlier_version_downloadable(client, people):
    document = registered(people)
    DocumentAttachment.objects.filter(document=document).delete()  # the body registered() attached
    login(client, people["office"])
    base = {"circulations-TOTAL_FORMS": "0", "circulations-INITIAL_FORMS": "0"}
    client.post(change_url(document), {
        **base, "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "正文", "attachments-0-file": SimpleUploadedFile("draft.txt", b"first version"),
    })
    attachment = DocumentAttachment.objects.get()
    client.post(change_url(document), {
        **base, "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "1",
        "attachments-0-id": attachment.pk, "attachments-0-document": document.pk, "attachments-0-title": "正文",
        "attachments-0-file": SimpleUploadedFile("final.txt", b"second version"),
    })

    attachment.refresh_from_db()
    assert attachment.file.read() == b"second version"
    versions = list(attachment.history.order_by("history_id"))
    assert len(versions) == 2 and versions[0].file != versions[1].file
    old = client.get(reverse("admin:documents_document_attachment_version", args=[document.pk, attachment.pk, versions[0].history_id]))
    assert b"".join(old.streaming_content) == b"first version"
    page = text_of(client.get(change_url(document)))
    assert "历史版本" in page and "draft" in page


# --- Secrecy (S3.6-b) ---------------------------------------------------------------------------


def test_a_secret_document_is_not_listed_and_every_page_of_it_is_not_found_for_an_inspector_out_of_scope(client, people):
    secret = secret_document(people)
    ordinary = draft(people, title="普通通知")
    attachment = DocumentAttachment.objects.create(
        document=secret, title="名单", file=SimpleUploadedFile("list.txt", b"names")
    )
    history_id = secret.history.first().history_id
    urls = [
        change_url(secret),
        reverse("admin:documents_document_history", args=[secret.pk]),
        reverse("admin:documents_document_simple_history", args=[secret.pk, history_id]),
        reverse("admin:documents_document_print", args=[secret.pk]),
        reverse("admin:documents_document_attachment", args=[secret.pk, attachment.pk]),
        reverse("admin:documents_document_circulate", args=[secret.pk]),
        reverse("admin:documents_document_delete", args=[secret.pk]),
    ]

    login(client, people["inspector"])
    listing = client.get(reverse("admin:documents_document_changelist"))
    assert SECRET_TITLE not in text_of(listing) and "普通通知" in text_of(listing)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(step_url(secret, "submit")).status_code == 404
    assert client.get(change_url(ordinary)).status_code == 200

    login(client, people["director"])  # in the scope
    assert SECRET_TITLE in text_of(client.get(reverse("admin:documents_document_changelist")))
    for url in urls[:4]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET_TITLE in text_of(response), url


def test_the_office_and_the_signer_act_on_a_secret_document_outside_their_scope_and_others_still_get_404(
    client, people, two_departments, make_staff
):
    market, police = two_departments
    category = DocumentCategory.objects.get(name="业务文件")  # signed by the drafting department's leader in charge
    secret = services.document_draft(
        user=people["drafter"].user, category=category, title=SECRET_TITLE, secrecy="secret", scope_departments=[police]
    )
    outsider = make_staff(market, role=roles.WINDOW_STAFF, name="何志强")
    login(client, outsider)
    assert client.get(change_url(secret)).status_code == 404
    login(client, people["office"])
    assert client.get(change_url(secret)).status_code == 404  # a draft waits for nobody in the office yet
    services.document_submit_for_review(document=with_body(secret), user=people["drafter"].user)

    login(client, people["office"])  # 核稿: the office's department (market) is not in the scope
    page = client.get(change_url(secret))
    assert page.status_code == 200 and SECRET_TITLE in text_of(page)
    passed = client.post(step_url(secret, "review_pass"), {"note": ""}, follow=True)
    assert "核稿通过,待钟晓明签发。" in messages_of(passed)
    login(client, people["deputy"])  # the signer that the category names, outside the scope too
    client.post(step_url(secret, "sign"))
    login(client, people["office"])
    client.post(step_url(secret, "register"))
    secret.refresh_from_db()
    assert (secret.status, secret.reviewed_by, secret.signed_by) == (DocumentStatus.REGISTERED, people["office"], people["deputy"])

    for person in (outsider, people["director"]):  # the main leader does not sign this category
        login(client, person)
        assert client.get(change_url(secret)).status_code == 404
        assert client.post(step_url(secret, "proofread")).status_code == 404
        assert SECRET_TITLE not in text_of(client.get(reverse("admin:documents_document_changelist")))


def test_the_export_holds_only_documents_the_user_may_see_whatever_ids_are_posted(client, people):
    secret, ordinary = secret_document(people), draft(people, title="普通通知")
    login(client, people["office"])  # the office, but not in this document's scope

    response = client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "export_xlsx", "_selected_action": [secret.pk, ordinary.pk], "index": 0},
    )

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["普通通知"]


def test_recipients_of_a_secret_document_are_not_found_outside_its_scope(client, people, two_departments):
    market, police = two_departments
    document = registered(people, secrecy="secret", scope_departments=[market])
    (circulation,) = services.document_circulate(document=document, user=people["office"].user, departments=[market])

    login(client, people["inspector"])  # center-wide, but in the police department
    assert document.title not in text_of(client.get(reverse("admin:documents_circulation_changelist")))
    assert client.get(reverse("admin:documents_circulation_change", args=[circulation.pk])).status_code == 404
    assert client.get(reverse("admin:documents_circulation_history", args=[circulation.pk])).status_code == 404

    login(client, people["drafter"])  # market: in scope, and the recipient
    assert client.get(reverse("admin:documents_circulation_change", args=[circulation.pk])).status_code == 200


# --- Circulation and the overdue list ----------------------------------------------------------


def test_only_the_office_circulates_and_both_departments_get_a_due_date(client, people, two_departments, official_calendar):
    market, police = two_departments
    document = registered(people)
    url = reverse("admin:documents_document_circulate", args=[document.pk])
    assert login(client, people["drafter"]).get(url).status_code == 403

    login(client, people["office"])
    assert client.get(change_url(document)).context["document_panel"]["circulate_url"] == url
    empty = client.post(url, {"received_on": "2026-09-29"})
    assert "请至少选择一个承办部门或承办人。" in text_of(empty)
    response = client.post(url, {"departments": [market.pk, police.pk], "received_on": "2026-09-29"}, follow=True)

    assert "办理期限2026年10月9日" in " ".join(messages_of(response))
    assert sorted(Circulation.objects.values_list("department__name", "due_date")) == [
        ("县公安局", D(2026, 10, 9)), ("县市场监督管理局", D(2026, 10, 9)),
    ]


def test_recipients_give_feedback_or_a_delay_reason_through_their_forms(client, people, two_departments):
    market, police = two_departments
    document = registered(people)
    mine, theirs = services.document_circulate(document=document, user=people["office"].user, departments=[market, police])

    login(client, people["drafter"])
    page = text_of(client.get(change_url(document)))
    assert reverse("admin:documents_circulation_feedback", args=[mine.pk]) in page
    assert reverse("admin:documents_circulation_feedback", args=[theirs.pk]) not in page
    assert client.get(reverse("admin:documents_circulation_feedback", args=[theirs.pk])).status_code == 404  # another department's
    done = client.post(reverse("admin:documents_circulation_feedback", args=[mine.pk]), {"feedback": "已组织学习并落实"}, follow=True)
    assert any(m.startswith("已反馈「关于做好年底窗口服务工作的通知」的办理结果,") for m in messages_of(done))
    mine.refresh_from_db()
    assert (mine.state, mine.feedback, mine.handled_by) == (CirculationState.DONE, "已组织学习并落实", people["drafter"])

    login(client, people["police_clerk"])
    delay_url = reverse("admin:documents_circulation_delay", args=[theirs.pk])
    past = client.post(delay_url, {"delay_reason": "需协调户籍系统升级", "expected_on": "2020-01-01"})
    assert "预计办结日期不能早于今天。" in text_of(past)
    expected = timezone.localdate() + datetime.timedelta(days=7)
    client.post(delay_url, {"delay_reason": "需协调户籍系统升级", "expected_on": expected.isoformat()})
    theirs.refresh_from_db()
    assert (theirs.state, theirs.delay_reason, theirs.expected_on) == (CirculationState.DELAYED, "需协调户籍系统升级", expected)


def test_the_overdue_list_shows_the_late_recipient_to_its_department_and_to_the_office(client, people, two_departments):
    market, police = two_departments
    document = registered(people)
    long_ago = timezone.localdate() - datetime.timedelta(days=30)
    answered, late = services.document_circulate(
        document=document, user=people["office"].user, departments=[market, police], received_on=long_ago
    )
    services.circulation_feedback(circulation=answered, user=people["drafter"].user, feedback="已落实")
    url = reverse("admin:documents_circulation_overdue")

    office_page = text_of(login(client, people["office"]).get(url))
    assert "县公安局" in office_page and "县市场监督管理局" not in office_page
    assert "共1件" in office_page
    assert "县公安局" in text_of(login(client, people["police_clerk"]).get(url))
    assert "共0件" in text_of(login(client, people["drafter"]).get(url))  # market answered; police is not theirs

    export = login(client, people["office"]).get(url + "?format=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["县公安局"]


# --- Lists stay cheap ---------------------------------------------------------------------------


def test_the_document_list_makes_no_per_row_queries(client, people, monkeypatch):
    from django.contrib import admin

    monkeypatch.setattr(admin.site._registry[Document], "list_per_page", 1000)
    login(client, people["office"])
    url = reverse("admin:documents_document_changelist")

    def add(count):
        for n in range(count):
            draft(people, title=f"通知{n}")
            draft(people, title=f"密件{n}", secrecy="secret", scope_staff=[people["office"]])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(5)
    queries()
    small = queries()
    add(15)
    assert queries() == small


# --- Office registers, categories and settings --------------------------------------------------


def test_the_office_registers_stamp_the_acting_person_and_keep_repairs_to_the_office(client, people, two_departments):
    from documents.models import CallLog, PrintLog, RepairRequest

    clerk = people["police_clerk"]
    login(client, clerk)
    client.post(reverse("admin:documents_calllog_add"), {
        "at_0": "2026-11-25", "at_1": "09:30", "caller": "王先生", "phone": "13900000000", "content": "咨询营业执照办理", "for_whom": "",
    })
    client.post(reverse("admin:documents_repairrequest_add"), {"equipment": "2号窗口打印机", "location": "一楼", "fault": "卡纸"})
    client.post(reverse("admin:documents_printlog_add"), {
        "at_0": "2026-11-25", "at_1": "10:00", "kind": "print", "what": "户籍证明", "pages": "0", "purpose": "窗口业务",
    })
    assert not PrintLog.objects.exists()  # 页数须大于0
    client.post(reverse("admin:documents_printlog_add"), {
        "at_0": "2026-11-25", "at_1": "10:00", "kind": "print", "what": "户籍证明", "pages": "3", "purpose": "窗口业务",
    })
    assert CallLog.objects.get().taken_by == clerk
    repair = RepairRequest.objects.get()
    assert (repair.reported_by, repair.department, repair.status) == (clerk, two_departments[1], "reported")
    assert PrintLog.objects.get().staff == clerk
    assert "status" not in client.get(reverse("admin:documents_repairrequest_change", args=[repair.pk])).context["adminform"].form.fields

    login(client, people["office"])
    page = client.get(reverse("admin:documents_repairrequest_change", args=[repair.pk]))
    assert "status" in page.context["adminform"].form.fields
    client.post(reverse("admin:documents_repairrequest_change", args=[repair.pk]), {"status": "fixed", "result": "已更换硒鼓"})
    repair.refresh_from_db()
    assert (repair.status, repair.result) == ("fixed", "已更换硒鼓")
    assert login(client, people["drafter"]).get(reverse("admin:documents_repairrequest_change", args=[repair.pk])).status_code == 302  # another department's


def test_a_print_log_entry_does_not_show_a_secret_documents_title_out_of_scope(client, people):
    from documents.models import PrintLog

    secret = secret_document(people)
    PrintLog.objects.create(staff=people["office"], what="文件印制", pages=5, document=secret, purpose="印发")

    listing = text_of(login(client, people["office"]).get(reverse("admin:documents_printlog_changelist")))
    assert "(涉密文件)" in listing and SECRET_TITLE not in listing
    entry = PrintLog.objects.get()
    assert SECRET_TITLE not in text_of(client.get(reverse("admin:documents_printlog_change", args=[entry.pk])))
    add_form = client.get(reverse("admin:documents_printlog_add")).context["adminform"].form
    assert secret not in add_form.fields["document"].queryset


def test_a_category_needs_seq_in_its_pattern_and_a_designated_signer_when_it_names_one(client, people):
    login(client, people["office"])
    board = DocumentCategory.objects.get(name="董事会文件")
    url = reverse("admin:documents_documentcategory_change", args=[board.pk])
    data = {"name": "董事会文件", "signer_role": "designated", "number_pattern": "大余行服董〔{年份}〕号", "is_active": "on"}

    page = text_of(client.post(url, data))

    assert "编号格式须包含 {序号}（本类别当年的序号）。" in page
    assert "签发人为「指定签发人」时须选择指定签发人。" in page
    settings_page = client.get(reverse("admin:documents_documentssettings_changelist"), follow=True)
    assert settings_page.status_code == 200 and "文件办理期限" in text_of(settings_page)


def test_the_drafter_uploads_the_text_of_their_own_draft_and_not_after_submitting_it(client, people):
    document = draft(people)
    login(client, people["drafter"])
    post = {
        "circulations-TOTAL_FORMS": "0", "circulations-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "正文", "attachments-0-file": SimpleUploadedFile("text.txt", b"draft text"),
    }
    assert client.post(change_url(document), post).status_code == 302
    assert (document.attachments.get().title, document.attachments.get().kind) == ("正文", "正文")

    services.document_submit_for_review(document=document, user=people["drafter"].user)
    post["attachments-0-file"] = SimpleUploadedFile("text2.txt", b"more")
    assert client.post(change_url(document), post).status_code == 403
    assert login(client, people["police_clerk"]).post(change_url(document), post).status_code == 403
    assert document.attachments.count() == 1


def test_a_category_pattern_takes_chinese_placeholders_and_refuses_unknown_ones(client, people):
    login(client, people["office"])
    board = DocumentCategory.objects.get(name="中心文件")
    assert board.number_pattern == "大余行服〔{年份}〕{序号}号"  # the stored default, migrated
    url = reverse("admin:documents_documentcategory_change", args=[board.pk])
    form_page = text_of(client.get(url))
    assert "可用的占位符：{年份} 为年份，如 2026；{序号} 为本类别当年的序号" in form_page
    data = {"name": "中心文件", "signer_role": "main_leader", "is_active": "on", "needs_handling": "on"}

    refused = text_of(client.post(url, {**data, "number_pattern": "大余行服〔{年}〕{序号}号"}))
    assert "编号格式「大余行服〔{年}〕{序号}号」只能使用 {年份}、{序号} 两个占位符。" in refused

    client.post(url, {**data, "number_pattern": "大余行服〔{year}〕{seq:03d}号"})  # the old names still read
    board.refresh_from_db()
    assert board.number_pattern == "大余行服〔{年份}〕{序号:03d}号"


def test_a_number_pattern_in_the_old_names_still_numbers_documents():
    from documents.models.documents import format_document_number

    assert format_document_number("大余行服〔{year}〕{seq}号", year=2026, sequence=7) == "大余行服〔2026〕7号"
    assert format_document_number("行服〔{年份}〕{序号:03d}号", year=2026, sequence=7) == "行服〔2026〕007号"
