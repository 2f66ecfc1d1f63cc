"""The item rules of S1.2-b, S5.2 and S1.7: limits, handling modes, steps, disclosure."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry import services
from registry.models import HandlingMode, ItemStatus, ItemType, Material, ProcedureStep, ServiceItem
from staffing import roles
from staffing.models import CenterSettings

pytestmark = pytest.mark.django_db


def make_item(department, **fields):
    values = {
        "code": "11360723MB0000001",
        "name": "食品经营许可",
        "item_type": ItemType.LICENSING,
        "department": department,
        "handling_mode": HandlingMode.COMMITTED,
        "statutory_limit_days": 20,
        "committed_limit_days": 10,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "procedure": "受理→审查→决定→送达",
        "contact": "李春梅",
        "phone": "0797-8721111",
    }
    values.update(fields)
    return ServiceItem(**values)


def test_the_committed_limit_cannot_exceed_the_statutory_limit(two_departments):
    item = make_item(two_departments[0], statutory_limit_days=20, committed_limit_days=25)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["committed_limit_days"] == [
        "承诺办结时限(25个工作日)不能超过法定办结时限(20个工作日)。"
    ]


def test_an_immediate_item_has_a_committed_limit_of_zero(two_departments):
    item = make_item(two_departments[0], handling_mode=HandlingMode.IMMEDIATE, committed_limit_days=3)
    with pytest.raises(ValidationError, match="即办件当场办结,承诺办结时限应为0,不能是3"):
        item.full_clean()
    make_item(two_departments[0], handling_mode=HandlingMode.IMMEDIATE, committed_limit_days=0).full_clean()


def test_a_report_up_item_names_its_authority(two_departments):
    item = make_item(two_departments[0], handling_mode=HandlingMode.REPORT_UP)
    with pytest.raises(ValidationError, match="上报件须填写上报机关"):
        item.full_clean()
    item.report_authority = "赣州市市场监督管理局"
    item.full_clean()


def test_an_immediate_item_has_no_step_that_takes_days(two_departments):
    item = make_item(two_departments[0], handling_mode=HandlingMode.IMMEDIATE, committed_limit_days=0)
    steps = [ProcedureStep(name="受理", limit_days=0), ProcedureStep(name="审核", limit_days=2)]
    assert services.item_steps_errors(item, steps) == ["即办件当场办结,不能有需要工作日的环节:审核。"]


def test_counted_steps_fit_within_the_committed_limit(two_departments):
    item = make_item(two_departments[0], committed_limit_days=10)
    steps = [
        ProcedureStep(name="受理", limit_days=1),
        ProcedureStep(name="审查", limit_days=8),
        ProcedureStep(name="现场核查", limit_days=5, counts_towards_limit=True),
        ProcedureStep(name="专家论证", limit_days=30, counts_towards_limit=False),
    ]
    assert services.item_steps_errors(item, steps) == ["计入时限的各环节合计14个工作日,超过承诺办结时限10个工作日。"]
    assert services.item_steps_errors(item, steps[:2] + steps[3:]) == []


def test_a_joint_item_names_at_least_one_other_co_department(two_departments):
    market, police = two_departments
    item = make_item(market, handling_mode=HandlingMode.JOINT)
    assert services.item_co_department_errors(item, []) == ["联办件须至少指定一个联办部门。"]
    assert services.item_co_department_errors(item, [market]) == ["「县市场监督管理局」是实施主体,不能同时作为联办部门。"]
    assert services.item_co_department_errors(item, [police]) == []


def test_disclosure_lists_every_missing_element_by_name(two_departments):
    item = make_item(
        two_departments[0], legal_basis="", procedure="", contact="", charges_fee=True, committed_limit_days=None
    )
    missing = services.item_disclosure_missing(item, material_count=0)
    assert missing == ["设定依据", "办理流程", "申请材料", "承诺办结时限", "收费标准", "收费依据", "联系人"]


def test_the_site_complaint_phone_serves_items_without_their_own(two_departments):
    item = make_item(two_departments[0])
    assert services.item_disclosure_missing(item, material_count=1) == []
    settings = CenterSettings.load()
    settings.complaint_phone = ""
    settings.save()
    assert services.item_disclosure_missing(item, material_count=1) == ["监督投诉电话"]


def test_an_item_with_missing_elements_cannot_be_published(two_departments):
    item = make_item(two_departments[0])
    item.save()
    with pytest.raises(ValidationError, match="公开要素不全,不能设为在用。缺少:申请材料。"):
        services.item_set_status(item=item, status=ItemStatus.ACTIVE)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_a_complete_item_is_published_with_history(two_departments):
    item = make_item(two_departments[0])
    item.save()
    Material.objects.create(item=item, order=1, name="食品经营许可申请书")
    services.item_set_status(item=item, status=ItemStatus.ACTIVE)
    item.refresh_from_db()
    assert (item.status, item.disclosure_complete, item.disclosure_missing) == (ItemStatus.ACTIVE, True, "")
    assert item.history.latest().status == ItemStatus.ACTIVE


@pytest.fixture
def admin_client_(client, two_departments, make_staff):
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    return client


def item_form(department, **overrides):
    data = {
        "code": "11360723MB0000002",
        "name": "公共场所卫生许可",
        "sub_name": "",
        "item_type": ItemType.LICENSING,
        "department": department.pk,
        "window": "",
        "handling_mode": HandlingMode.COMMITTED,
        "statutory_limit_days": "20",
        "committed_limit_days": "5",
        "visits": "1",
        "report_authority": "",
        "legal_basis": "《公共场所卫生管理条例》",
        "conditions": "",
        "procedure": "受理→审查→发证",
        "result_name": "卫生许可证",
        "fee_standard": "",
        "fee_basis": "",
        "location": "",
        "office_hours": "",
        "contact": "赖小红",
        "phone": "0797-8722222",
        "complaint_phone": "",
    }
    for prefix in ("co_department_links", "hall_links", "materials", "steps"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(overrides)
    return data


def test_the_admin_form_refuses_steps_over_the_committed_limit(admin_client_, two_departments):
    data = item_form(
        two_departments[0],
        **{"steps-TOTAL_FORMS": "1", "steps-0-order": "1", "steps-0-name": "审查", "steps-0-limit_days": "9",
           "steps-0-counts_towards_limit": "on"},
    )
    response = admin_client_.post(reverse("admin:registry_serviceitem_add"), data)
    assert response.status_code == 200
    assert "计入时限的各环节合计9个工作日,超过承诺办结时限5个工作日。" in response.content.decode()
    assert not ServiceItem.objects.exists()


def test_the_admin_saves_a_draft_and_flags_what_disclosure_lacks(admin_client_, two_departments):
    response = admin_client_.post(reverse("admin:registry_serviceitem_add"), item_form(two_departments[0]))
    assert response.status_code == 302
    item = ServiceItem.objects.get()
    assert (item.status, item.disclosure_complete, item.disclosure_missing) == (ItemStatus.DRAFT, False, "申请材料")

    listing = admin_client_.get(reverse("admin:registry_serviceitem_changelist"), {"disclosure_complete__exact": "0"})
    assert "要素不全:缺申请材料" in listing.content.decode()


def test_the_publish_action_refuses_an_incomplete_item_and_says_why(admin_client_, two_departments):
    item = make_item(two_departments[0])
    item.save()
    response = admin_client_.post(
        reverse("admin:registry_serviceitem_changelist"),
        {"action": "publish_items", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "公开要素不全,不能设为在用。缺少:申请材料。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_an_active_items_form_cannot_drop_its_last_material(admin_client_, two_departments):
    item = make_item(two_departments[0])
    item.save()
    material = Material.objects.create(item=item, order=1, name="申请书")
    services.item_set_status(item=item, status=ItemStatus.ACTIVE)
    data = item_form(
        two_departments[0],
        code=item.code,
        **{
            "materials-TOTAL_FORMS": "1",
            "materials-INITIAL_FORMS": "1",
            "materials-0-id": material.pk,
            "materials-0-item": item.pk,
            "materials-0-order": "1",
            "materials-0-name": "申请书",
            "materials-0-form": "original",
            "materials-0-copies": "1",
            "materials-0-DELETE": "on",
        },
    )
    response = admin_client_.post(reverse("admin:registry_serviceitem_change", args=[item.pk]), data)
    assert response.status_code == 200
    assert "在用事项的公开要素不能缺少:申请材料。" in response.content.decode()
    assert item.materials.count() == 1
