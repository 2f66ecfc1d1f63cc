"""S3.6: sign-off by the category's role, gap-free numbering, secrecy scope, archive with the original."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from documents import selectors, services
from documents.models import Document, DocumentAttachment, DocumentCategory, DocumentStatus
from tests.documents.conftest import with_body, registered

pytestmark = pytest.mark.django_db


def reviewed(people, category_name="中心文件", **draft):
    category = DocumentCategory.objects.get(name=category_name)
    document = services.document_draft(user=people["drafter"].user, category=category, title="通知", **draft)
    services.document_submit_for_review(document=with_body(document), user=people["drafter"].user)
    return services.document_review(document=document, user=people["office"].user, approve=True)


def test_a_center_document_is_signed_by_the_main_leader_only(people):
    document = reviewed(people)
    with pytest.raises(PermissionDenied, match="「中心文件」应由主要领导\\(主任/总经理\\)签发\\(刘建华\\),您不能签发"):
        services.document_sign(document=document, user=people["deputy"].user)
    services.document_sign(document=document, user=people["director"].user)
    assert (document.status, document.signed_by) == (DocumentStatus.SIGNED, people["director"])


def test_a_business_document_is_signed_by_the_drafting_departments_leader_in_charge(people):
    document = reviewed(people, "业务文件")
    with pytest.raises(PermissionDenied, match="应由拟稿部门的分管领导签发\\(钟晓明\\)"):
        services.document_sign(document=document, user=people["director"].user)
    services.document_sign(document=document, user=people["deputy"].user)


def test_a_board_document_needs_a_designated_signer_configured(people):
    document = reviewed(people, "董事会文件")
    with pytest.raises(ValidationError, match="「董事会文件」尚未设置签发人"):
        services.document_sign(document=document, user=people["director"].user)
    DocumentCategory.objects.filter(name="董事会文件").update(designated_signer=people["deputy"])
    document.refresh_from_db()
    services.document_sign(document=document, user=people["deputy"].user)


def test_the_drafter_cannot_review_their_own_draft_and_a_return_needs_a_note(people, make_staff, two_departments):
    category = DocumentCategory.objects.get(name="中心文件")
    document = services.document_draft(user=people["office"].user, category=category, title="通知")
    services.document_submit_for_review(document=with_body(document), user=people["office"].user)
    with pytest.raises(PermissionDenied, match="拟稿人不能核自己的稿"):
        services.document_review(document=document, user=people["office"].user, approve=True)
    other_office = make_staff(two_departments[0], role="办公室人员")
    with pytest.raises(ValidationError, match="退回修改须写明意见"):
        services.document_review(document=document, user=other_office.user, approve=False)
    services.document_review(document=document, user=other_office.user, approve=False, note="标题不规范")
    assert document.status == DocumentStatus.DRAFT


def test_numbers_follow_the_category_pattern_in_sequence(people):
    first, second = registered(people), registered(people)
    year = datetime.date.today().year
    assert (first.number, second.number) == (f"大余行服〔{year}〕1号", f"大余行服〔{year}〕2号")
    business = registered(people, "业务文件")
    assert business.number == f"大余行服业〔{year}〕1号"


def test_numbering_restarts_each_year(people, monkeypatch):
    from django.utils import timezone

    registered(people)
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2099, 1, 2))
    assert registered(people).number == "大余行服〔2099〕1号"


def test_the_whole_lifecycle_ends_archived_with_the_signed_original(people):
    document = registered(people)
    services.document_proofread(document=document, user=people["drafter"].user)
    services.document_issue(document=document, user=people["office"].user)
    with pytest.raises(ValidationError, match="归档前须上传签发原件"):
        services.document_archive(document=document, user=people["office"].user)
    DocumentAttachment.objects.create(
        document=document, title="签发稿", file=ContentFile(b"%PDF-1.4", name="signed.pdf"), is_signed_original=True
    )
    services.document_archive(document=document, user=people["office"].user)
    assert document.status == DocumentStatus.ARCHIVED
    reasons = list(document.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[1:] == ["提交核稿", "核稿通过", "签发", f"登记编号 {document.number}", "校对", "印发", "归档"]


def test_a_secret_document_needs_a_scope(people):
    category = DocumentCategory.objects.get(name="中心文件")
    with pytest.raises(ValidationError, match="涉密文件须指定知悉范围"):
        services.document_draft(user=people["drafter"].user, category=category, title="人事安排", secrecy="secret")


def test_a_secret_document_is_invisible_outside_its_scope_even_to_inspectors(people, two_departments):
    category = DocumentCategory.objects.get(name="中心文件")
    secret = services.document_draft(
        user=people["drafter"].user, category=category, title="干部考察人选", secrecy="secret", scope_staff=[people["director"]]
    )
    ordinary = services.document_draft(user=people["drafter"].user, category=category, title="普通通知")
    assert set(selectors.documents_visible_to(people["inspector"].user)) == {ordinary}
    assert set(selectors.documents_visible_to(people["police_clerk"].user)) == {ordinary}
    assert set(selectors.documents_visible_to(people["director"].user)) == {ordinary, secret}
    assert set(selectors.documents_visible_to(people["drafter"].user)) == {ordinary, secret}


def test_a_secret_document_is_visible_to_its_scope_departments(people, two_departments):
    category = DocumentCategory.objects.get(name="中心文件")
    secret = services.document_draft(
        user=people["drafter"].user, category=category, title="机密", secrecy="confidential", scope_departments=[two_departments[1]]
    )
    assert secret in selectors.documents_visible_to(people["police_clerk"].user)
    assert secret in selectors.documents_visible_to(people["inspector"].user)  # the inspector's department is in scope


@pytest.mark.parametrize("category_name", ["中心文件", "业务文件", "董事会文件"])
def test_the_signer_that_the_category_names_sees_a_secret_document_waiting_for_signature(
    people, two_departments, make_staff, category_name
):
    market, police = two_departments
    chairman = make_staff(police, name="董事长", leader_role="main")
    DocumentCategory.objects.filter(name="董事会文件").update(designated_signer=chairman)
    category = DocumentCategory.objects.get(name=category_name)
    secret = services.document_draft(
        user=people["drafter"].user, category=category, title="人事安排", secrecy="secret", scope_staff=[people["police_clerk"]]
    )
    services.document_submit_for_review(document=with_body(secret), user=people["drafter"].user)
    signer = services.expected_signer(secret)
    leaders = {people["director"], people["deputy"], chairman}
    assert signer in leaders

    assert {leader for leader in leaders if secret in selectors.documents_visible_to(leader.user)} == {signer}
    assert secret in selectors.documents_visible_to(people["office"].user)  # 核稿
    assert secret not in selectors.documents_visible_to(people["inspector"].user)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_registrations_get_different_consecutive_numbers(two_departments, make_staff):
    from staffing import roles

    market, _ = two_departments
    office = make_staff(market, role=roles.OFFICE_STAFF)
    make_staff(market, role=roles.MAIN_LEADER, leader_role="main")
    drafter = make_staff(market, role=roles.WINDOW_STAFF)
    category = DocumentCategory.objects.get(name="中心文件")
    documents = []
    for n in range(4):
        document = Document.objects.create(
            category=category, title=f"文件{n}", drafter=drafter, drafting_department=market, status=DocumentStatus.SIGNED
        )
        documents.append(document)
    barrier, errors = threading.Barrier(len(documents)), []

    def register(document):
        try:
            barrier.wait()
            services.document_register(document=document, user=office.user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Document.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]
