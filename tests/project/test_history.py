"""Every model carries django-simple-history, and the acting user is recorded."""

import pytest
from django.apps import apps
from django.urls import reverse
from simple_history.models import registered_models

from staffing import roles
from staffing.models import Department

PROJECT_APPS = ("project", "staffing", "registry", "casework", "meetings", "documents")


def project_models():
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def test_every_project_model_has_history():
    historied = {model._meta.label for model in registered_models.values()}
    missing = [model._meta.label for model in project_models() if model._meta.label not in historied]
    assert missing == [], f"没有 HistoricalRecords 的模型: {missing}"


def test_the_history_check_sees_the_organisation_models():
    labels = {model._meta.label for model in project_models()}
    assert {"staffing.Department", "staffing.Staff", "staffing.CalendarDay", "staffing.PostSubstitute"} <= labels


@pytest.mark.django_db
def test_every_history_table_has_the_timeline_index():
    """project/migrations/0003: a model added later needs a migration that creates its table's index."""
    import importlib

    from django.db import connection

    from project.history import tracked_models

    index_name = importlib.import_module("project.migrations.0003_history_timeline_indexes").index_name
    missing = []
    with connection.cursor() as cursor:
        for _, history in tracked_models():
            table = history._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            index = constraints.get(index_name(table))
            if index is None or index["columns"] != ["history_date", "history_id"]:
                missing.append(table)
    assert missing == [], f"缺少时间线索引 (history_date, history_id) 的历史表: {missing}"


@pytest.mark.django_db
def test_an_admin_edit_records_the_acting_user_and_the_field_change(client, two_departments, make_staff):
    market, _ = two_departments
    admin_staff = make_staff(market, role=roles.CENTER_ADMIN)
    client.force_login(admin_staff.user)

    response = client.post(
        reverse("admin:staffing_department_change", args=[market.pk]),
        {"name": market.name, "kind": "stationed", "phone": "0797-8721234", "sort_order": 3, "is_active": "on"},
    )
    assert response.status_code == 302

    latest = Department.history.filter(id=market.pk).latest()
    assert latest.history_user == admin_staff.user
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert changed == {"phone", "sort_order"}

    page = client.get(reverse("admin:staffing_department_history", args=[market.pk])).content.decode()
    assert admin_staff.name in page  # the 修改人 by name (issue 17)
    assert "0797-8721234" in page
