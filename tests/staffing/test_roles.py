"""The eight roles; S2.5: inspectors read everything and change nothing."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from staffing import roles

pytestmark = pytest.mark.django_db


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_the_migration_creates_the_eight_roles_of_the_design():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    assert len(roles.ALL_ROLES) == 8


def test_inspectors_hold_every_view_permission_and_only_their_own_inspection_work_besides():
    inspector = Group.objects.get(name=roles.INSPECTOR)
    held = set(inspector.permissions.values_list("codename", flat=True))
    every_view = set(Permission.objects.filter(codename__startswith="view_").values_list("codename", flat=True))
    # S2.5's one exception (S1.1-f): inspecting halls is the inspectors' own work; rectifying is not.
    own_work = {pattern.split(".")[1] for pattern in roles.INSPECTOR_OWN_WORK}
    assert own_work == {
        "add_hallinspection", "change_hallinspection", "add_inspectionfinding", "change_inspectionfinding",
        "verify_inspectionfinding",
    }
    assert held == every_view | own_work
    assert "rectify_inspectionfinding" not in held


def test_an_inspector_can_open_every_changelist(client, two_departments, make_staff):
    inspector = make_staff(two_departments[0], role=roles.INSPECTOR)
    client.force_login(inspector.user)
    for model in registered_models():
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), follow=True)
        # The theme editor (django-admin-interface's, in English) is for superusers only (issue 17).
        assert response.status_code == (403 if opts.label == "admin_interface.Theme" else 200), opts.label


def test_an_inspector_cannot_add_change_or_delete_anything(client, two_departments, make_staff):
    inspector = make_staff(two_departments[0], role=roles.INSPECTOR)
    client.force_login(inspector.user)
    request = client.get("/admin/").wsgi_request
    own_work = {"halls.HallInspection"}  # recorded by inspectors (roles.INSPECTOR_OWN_WORK)
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in own_work:
            assert model_admin.has_add_permission(request) and model_admin.has_change_permission(request)
            assert not model_admin.has_delete_permission(request), model._meta.label
            continue
        assert not model_admin.has_add_permission(request), model._meta.label
        assert not model_admin.has_change_permission(request), model._meta.label
        assert not model_admin.has_delete_permission(request), model._meta.label


def test_an_inspector_posting_a_change_is_refused_and_nothing_changes(client, two_departments, make_staff):
    market, _ = two_departments
    inspector = make_staff(market, role=roles.INSPECTOR)
    client.force_login(inspector.user)

    add = client.post(reverse("admin:staffing_department_add"), {"name": "新部门", "kind": "stationed"})
    change = client.post(
        reverse("admin:staffing_department_change", args=[market.pk]), {"name": "改名", "kind": "stationed"}
    )
    delete = client.post(reverse("admin:staffing_department_delete", args=[market.pk]), {"post": "yes"})

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    market.refresh_from_db()
    assert market.name == "县市场监督管理局"


def test_an_inspector_opens_each_record_read_only_with_its_history(client, two_departments, make_staff):
    market, _ = two_departments
    inspector = make_staff(market, role=roles.INSPECTOR)
    client.force_login(inspector.user)
    change_page = client.get(reverse("admin:staffing_department_change", args=[market.pk]))
    history_page = client.get(reverse("admin:staffing_department_history", args=[market.pk]))
    assert change_page.status_code == 200
    assert "保存" not in change_page.content.decode().split('<div class="submit-row">')[-1][:200]
    assert history_page.status_code == 200


def test_roles_stay_in_step_when_permissions_are_added_later():
    """A permission created after the migration (a later issue's model) reaches the inspector on sync."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Group)
    Permission.objects.create(codename="view_future_thing", name="Can view future thing", content_type=content_type)
    roles.sync_roles(Group, Permission)
    assert Group.objects.get(name=roles.INSPECTOR).permissions.filter(codename="view_future_thing").exists()
    assert not Group.objects.get(name=roles.WINDOW_STAFF).permissions.filter(codename="view_future_thing").exists()
