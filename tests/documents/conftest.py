import pytest
from django.core.files.base import ContentFile

from documents import services
from documents.models import DocumentAttachment, DocumentCategory
from staffing import roles


@pytest.fixture
def people(two_departments, make_staff):
    market, police = two_departments
    director = make_staff(market, role=roles.MAIN_LEADER, name="刘建华", leader_role="main")
    deputy = make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    market.leader_in_charge = deputy
    market.save()
    return {
        "director": director,
        "deputy": deputy,
        "office": make_staff(market, role=roles.OFFICE_STAFF, name="赖美玲"),
        "drafter": make_staff(market, role=roles.WINDOW_STAFF, name="李春梅"),
        "police_clerk": make_staff(police, role=roles.WINDOW_STAFF, name="张磊"),
        "inspector": make_staff(police, role=roles.INSPECTOR, name="蓝晓燕"),
    }


def registered(people, category_name="中心文件", **draft):
    category = DocumentCategory.objects.get(name=category_name)
    document = services.document_draft(user=people["drafter"].user, category=category, title="关于做好年底窗口服务工作的通知", **draft)
    services.document_submit_for_review(document=with_body(document), user=people["drafter"].user)
    services.document_review(document=document, user=people["office"].user, approve=True)
    signer = services.expected_signer(document)
    services.document_sign(document=document, user=signer.user)
    return services.document_register(document=document, user=people["office"].user)


def with_body(document, kind="正文"):
    """The body (正文) that 提交核稿 and 签发 require, attached to `document`."""
    DocumentAttachment.objects.create(
        document=document, title=f"{document.title}({kind})", kind=kind, file=ContentFile(b"%PDF-1.4 body", name="body.pdf")
    )
    return document
