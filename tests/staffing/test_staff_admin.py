import pytest
from django.urls import reverse

from staffing import roles
from staffing.models import Department, Staff

pytestmark = pytest.mark.django_db


def staff_form(department, badge_no="DY100"):
    return {
        "name": "钟小兰",
        "badge_no": badge_no,
        "department": department.pk,
        "window": "",
        "position": "科员",
        "phone": "13907970000",
        "leader_role": "",
        "is_active": "on",
    }


def test_adding_staff_in_the_admin_creates_their_login(client, two_departments, make_staff, django_user_model):
    market, _ = two_departments
    center_admin = make_staff(market, role=roles.CENTER_ADMIN)
    client.force_login(center_admin.user)
    response = client.post(reverse("admin:staffing_staff_add"), staff_form(market))
    assert response.status_code == 302
    staff = Staff.objects.get(badge_no="DY100")
    assert staff.user.username == "dy100"
    assert staff.user.is_staff
    assert staff.history.latest().history_user == center_admin.user


def test_a_badge_number_whose_login_exists_is_refused_in_chinese(client, two_departments, make_staff, django_user_model):
    market, _ = two_departments
    client.force_login(make_staff(market, role=roles.CENTER_ADMIN).user)
    django_user_model.objects.create_user("dy100")
    response = client.post(reverse("admin:staffing_staff_add"), staff_form(market))
    assert response.status_code == 200
    assert "工号「DY100」已有登录账号,不能重复创建。" in response.content.decode()
    assert not Staff.objects.filter(badge_no="DY100").exists()


def test_a_leaders_page_lists_the_departments_in_their_charge(client, two_departments, make_staff):
    market, police = two_departments
    client.force_login(make_staff(market, role=roles.CENTER_ADMIN).user)
    deputy = make_staff(market, leader_role="in_charge", name="钟晓明")
    Department.objects.filter(pk__in=[market.pk, police.pk]).update(leader_in_charge=deputy)
    page = client.get(reverse("admin:staffing_staff_change", args=[deputy.pk])).content.decode()
    assert "县市场监督管理局、县公安局" in page or "县公安局、县市场监督管理局" in page


def test_departments_are_retired_not_deleted(client, two_departments, make_staff):
    market, _ = two_departments
    client.force_login(make_staff(market, role=roles.CENTER_ADMIN).user)
    assert client.get(reverse("admin:staffing_department_delete", args=[market.pk])).status_code == 403
    assert Department.objects.filter(pk=market.pk).exists()
