"""The printed guides and the one-time notification checklist (S1.6, S1.7, S5.3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import (
    HandlingMode,
    ItemCoDepartment,
    ItemStatus,
    ItemType,
    Material,
    MaterialForm,
    ProcedureStep,
    ServiceItem,
)
from staffing import roles
from staffing.models import CenterSettings, Department, Window

pytestmark = pytest.mark.django_db

SITE_COMPLAINT_PHONE = "0797-8722345"
SITE_COMPLAINT_BOX = "中心大厅入口处"


@pytest.fixture
def center(db):
    settings = CenterSettings.load()
    settings.name = "大余县行政服务中心"
    settings.complaint_phone = SITE_COMPLAINT_PHONE
    settings.complaint_box = SITE_COMPLAINT_BOX
    settings.save()
    return settings


@pytest.fixture
def market_window(two_departments):
    window = Window.objects.get(number="01")
    window.location = "一楼大厅东侧"
    window.save()
    return window


@pytest.fixture
def clerk(client, two_departments, make_staff):
    staff = make_staff(two_departments[0], role=roles.WINDOW_STAFF)
    client.force_login(staff.user)
    return staff


def make_item(department, *, window=None, code="11360723MB0000001", materials=2, steps=True, **fields):
    values = {
        "code": code,
        "name": "食品经营许可",
        "sub_name": "新办",
        "item_type": ItemType.LICENSING,
        "department": department,
        "window": window,
        "handling_mode": HandlingMode.COMMITTED,
        "statutory_limit_days": 20,
        "committed_limit_days": 10,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "conditions": "具有与经营的食品品种、数量相适应的经营场所",
        "procedure": "受理→审查→决定→送达",
        "result_name": "食品经营许可证",
        "contact": "李春梅",
        "phone": "0797-8721111",
        "status": ItemStatus.ACTIVE,
    }
    values.update(fields)
    item = ServiceItem.objects.create(**values)
    names = ["食品经营许可申请书", "营业执照复印件", "法定代表人身份证明"]
    forms = [MaterialForm.ORIGINAL, MaterialForm.COPY, MaterialForm.BOTH]
    for order in range(1, materials + 1):
        Material.objects.create(
            item=item, order=order, name=names[order - 1], form=forms[order - 1], copies=order, source="申请人自备"
        )
    if steps:
        ProcedureStep.objects.create(item=item, order=1, name="受理", limit_days=1)
        ProcedureStep.objects.create(item=item, order=2, name="审查决定", limit_days=8)
        ProcedureStep.objects.create(item=item, order=3, name="现场核查", limit_days=0, counts_towards_limit=False)
    return item


def url(name, *args):
    return reverse(f"admin:registry_serviceitem_print_{name}", args=args)


def text(response):
    return response.content.decode()


# The service guide of one item


def test_the_guide_opens_for_window_staff_with_the_materials_the_limits_and_the_contact(
    client, clerk, center, market_window
):
    item = make_item(market_window.department, window=market_window)

    response = client.get(url("guide", item.pk))

    assert response.status_code == 200
    page = text(response)
    for expected in [
        "食品经营许可-新办",
        "办事指南",
        "11360723MB0000001",
        "行政许可",
        "县市场监督管理局",
        "01号窗口(市场主体登记),一楼大厅东侧",
        "承诺件",
        "《中华人民共和国食品安全法》第三十五条",
        "具有与经营的食品品种、数量相适应的经营场所",
        "食品经营许可申请书",
        "营业执照复印件",
        "复印件",
        "申请人自备",
        "受理→审查→决定→送达",
        "审查决定",
        "8个工作日",
        "不计入",
        "20个工作日",
        "10个工作日",
        "不收费",
        "食品经营许可证",
        "李春梅",
        "0797-8721111",
        "大余县行政服务中心",
    ]:
        assert expected in page, expected


def test_the_guide_prints_the_site_wide_complaint_phone_and_box_when_the_item_has_none(client, clerk, center, two_departments):
    item = make_item(two_departments[0], complaint_phone="")

    page = text(client.get(url("guide", item.pk)))

    assert SITE_COMPLAINT_PHONE in page
    assert SITE_COMPLAINT_BOX in page


def test_the_guide_prints_the_items_own_complaint_phone_when_it_has_one(client, clerk, center, two_departments):
    item = make_item(two_departments[0], complaint_phone="0797-8729999")

    page = text(client.get(url("guide", item.pk)))

    assert "0797-8729999" in page
    assert SITE_COMPLAINT_PHONE not in page
    assert SITE_COMPLAINT_BOX in page


def test_an_immediate_item_is_done_on_the_spot(client, clerk, center, two_departments):
    item = make_item(
        two_departments[0],
        handling_mode=HandlingMode.IMMEDIATE,
        statutory_limit_days=None,
        committed_limit_days=0,
        steps=False,
    )

    page = text(client.get(url("guide", item.pk)))

    assert page.count("当场办结") == 2


def test_a_charged_item_prints_its_fee_standard_and_basis(client, clerk, center, two_departments):
    item = make_item(
        two_departments[0], charges_fee=True, fee_standard="每证10元", fee_basis="赣发改收费〔2020〕1号"
    )

    page = text(client.get(url("guide", item.pk)))

    assert "每证10元" in page and "赣发改收费〔2020〕1号" in page
    assert "不收费" not in page


def test_a_joint_item_names_its_co_departments(client, clerk, center, two_departments):
    market, police = two_departments
    item = make_item(market, handling_mode=HandlingMode.JOINT)
    ItemCoDepartment.objects.create(item=item, department=police)

    page = text(client.get(url("guide", item.pk)))

    assert "联办件(联办部门:县公安局)" in page


def test_a_material_with_a_blank_form_links_to_it(client, clerk, center, two_departments, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_item(two_departments[0])
    material = item.materials.get(order=1)
    material.blank_form = SimpleUploadedFile("申请书样表.docx", b"sample")
    material.save()

    page = text(client.get(url("guide", item.pk)))

    assert f'href="{reverse("admin:registry_serviceitem_file", args=[item.pk, "blank_form", material.pk])}"' in page
    assert "空白表格/样表" in page


def test_the_guide_is_an_a4_page_without_admin_chrome_and_a_print_button_hidden_in_print(
    client, clerk, center, two_departments
):
    item = make_item(two_departments[0])

    response = client.get(url("guide", item.pk))

    page = text(response)
    assert "size: A4" in page
    assert 'onclick="window.print()">打印</button>' in page
    assert '<div class="toolbar no-print">' in page
    assert "@media print" in page and ".no-print { display: none !important; }" in page
    assert 'id="header"' not in page and "breadcrumbs" not in page
    assert [t.name for t in response.templates][0] == "registry/print/guide.html"
    assert "admin/base_site.html" not in [t.name for t in response.templates]


def test_a_draft_item_prints_with_a_not_published_banner(client, clerk, center, two_departments):
    item = make_item(two_departments[0], status=ItemStatus.DRAFT)

    page = text(client.get(url("guide", item.pk)))

    assert "本事项状态为「草稿」,未发布" in page


def test_an_unknown_item_is_not_found(client, clerk, center):
    assert client.get(url("guide", 999_999)).status_code == 404


# The one-time notification checklist


def test_the_notice_lists_every_material_with_form_copies_and_checkboxes(client, clerk, center, market_window):
    item = make_item(market_window.department, window=market_window, materials=3)

    response = client.get(url("notice", item.pk))

    assert response.status_code == 200
    page = text(response)
    for expected in [
        "一次性告知单",
        "大余县行政服务中心",
        "申请人(单位)",
        "联系电话",
        "食品经营许可-新办",
        "具有与经营的食品品种、数量相适应的经营场所",
        "食品经营许可申请书",
        "营业执照复印件",
        "法定代表人身份证明",
        "原件和复印件",
        "已提交",
        "需补正",
        "2.审查决定(8个工作日)",
        "3.现场核查(当场,不计入法定时限)",
        "法定办结时限:20个工作日;",
        "承诺办结时限:10个工作日",
        "李春梅",
        "0797-8721111",
        SITE_COMPLAINT_PHONE,
        SITE_COMPLAINT_BOX,
        "经办人",
        "日期",
        "已一次性告知申请人",
    ]:
        assert expected in page, expected
    # Two checkboxes (已提交, 需补正) per material.
    assert page.count("☐") == 2 * 3
    copies = [f'<td class="num">{n}</td>' for n in (1, 2, 3)]
    assert all(cell in page for cell in copies)


# All guides of a window


def test_the_window_guides_have_a_cover_and_only_active_items(client, clerk, center, market_window):
    department = market_window.department
    make_item(department, window=market_window, code="A001", name="在用事项甲")
    make_item(department, window=market_window, code="A002", name="在用事项乙")
    make_item(department, window=market_window, code="D001", name="尚未发布的事项", status=ItemStatus.DRAFT)
    make_item(department, window=market_window, code="S001", name="已经停办的事项", status=ItemStatus.SUSPENDED)
    make_item(department, code="X001", name="别的窗口的事项")

    response = client.get(url("window", market_window.pk))

    assert response.status_code == 200
    page = text(response)
    assert "01号窗口" in page and "市场主体登记" in page and "县市场监督管理局" in page and "一楼大厅东侧" in page
    assert "在用事项甲" in page and "在用事项乙" in page
    assert "尚未发布的事项" not in page and "已经停办的事项" not in page and "别的窗口的事项" not in page
    assert page.count('class="sheet guide page-break"') == 2
    assert ".page-break { page-break-before: always;" in page


def test_the_window_guides_include_drafts_when_all_is_asked(client, clerk, center, market_window):
    department = market_window.department
    make_item(department, window=market_window, code="A001", name="在用事项甲")
    make_item(department, window=market_window, code="D001", name="尚未发布的事项", status=ItemStatus.DRAFT)

    page = text(client.get(url("window", market_window.pk), {"all": "1"}))

    assert "在用事项甲" in page and "尚未发布的事项" in page
    assert page.count('class="sheet guide page-break"') == 2
    assert "本事项状态为「草稿」,未发布" in page


def test_a_window_without_active_items_says_so(client, clerk, center, market_window):
    make_item(market_window.department, window=market_window, status=ItemStatus.DRAFT)

    response = client.get(url("window", market_window.pk))

    assert response.status_code == 200
    assert "该窗口暂无在用的政务服务事项,没有可打印的办事指南。" in text(response)
    assert 'class="sheet guide' not in text(response)


def test_the_window_guides_make_no_per_item_queries(
    client, clerk, center, market_window, django_assert_max_num_queries
):
    police = Department.objects.get(name="县公安局")

    def add_items(start, count):
        for number in range(start, start + count):
            item = make_item(
                market_window.department,
                window=market_window,
                code=f"Q{number:03d}",
                handling_mode=HandlingMode.JOINT,
                materials=3,
            )
            ItemCoDepartment.objects.create(item=item, department=police)

    def get():
        response = client.get(url("window", market_window.pk))
        assert response.status_code == 200
        return response

    add_items(0, 5)
    get()  # warm the caches (content types, theme) that a first request fills
    with CaptureQueriesContext(connection) as five:
        assert text(get()).count('class="sheet guide page-break"') == 5
    add_items(5, 5)

    with django_assert_max_num_queries(len(five)) as ten:
        assert text(get()).count('class="sheet guide page-break"') == 10
    assert len(ten) == len(five)


def test_the_windows_page_links_each_windows_guides(client, clerk, center, market_window):
    make_item(market_window.department, window=market_window, code="A001")
    make_item(market_window.department, window=market_window, code="D001", status=ItemStatus.DRAFT)

    response = client.get(url("windows"))

    assert response.status_code == 200
    page = text(response)
    assert "市场主体登记" in page and "户籍办理" in page
    assert f'href="{url("window", market_window.pk)}"' in page
    assert f'href="{url("window", market_window.pk)}?all=1"' in page


# Who may print


def test_the_item_change_form_links_to_its_print_pages(client, clerk, center, market_window):
    item = make_item(market_window.department, window=market_window)

    page = text(client.get(reverse("admin:registry_serviceitem_change", args=[item.pk])))

    assert url("guide", item.pk) in page
    assert url("notice", item.pk) in page
    assert url("window", market_window.pk) in page
    assert url("windows") in page


def test_an_anonymous_user_is_sent_to_the_login_page(client, center, market_window):
    item = make_item(market_window.department, window=market_window)

    for address in [url("guide", item.pk), url("notice", item.pk), url("window", market_window.pk), url("windows")]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("admin:login")), address


def test_a_user_without_view_permission_on_items_is_refused(client, center, two_departments, make_staff):
    item = make_item(two_departments[0])
    client.force_login(make_staff(two_departments[0]).user)  # staff account without any role

    assert client.get(url("guide", item.pk)).status_code == 403
    assert client.get(url("notice", item.pk)).status_code == 403
    assert client.get(url("windows")).status_code == 403
