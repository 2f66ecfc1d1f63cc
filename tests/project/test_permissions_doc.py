"""Issue 21: evidence is never deleted, and docs/permissions.md is the table that the code generates."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from casework.models import Consultation
from casework.services.consultations import consultation_log
from documents.models import CallLog
from project import permissions_table
from staffing import roles
from staffing.admin.duty import DutyLogEntryInline
from staffing.models import DutyShift

pytestmark = pytest.mark.django_db
DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"

# The registers and logs that the office, and the consultations that the center admin, could delete.
NAMED_IN_THE_ISSUE = {
    "staffing.clockpunch", "staffing.dutyshift", "staffing.whereabouts", "documents.calllog",
    "documents.repairrequest", "documents.printlog", "documents.reportobligation", "documents.supervisionitem",
    "casework.consultation",
}


def test_the_permissions_table_in_the_docs_is_the_one_the_code_generates():
    out = io.StringIO()
    call_command("permissions_table", stdout=out)

    generated = out.getvalue().strip()
    assert generated == permissions_table.render()
    assert permissions_table.current_table(DOC.read_text(encoding="utf-8")) == generated, (
        "docs/permissions.md is out of date: run `manage.py permissions_table --write`."
    )


def test_no_role_holds_the_delete_permission_of_any_evidence_model():
    assert NAMED_IN_THE_ISSUE <= roles.EVIDENCE_MODELS
    for group in Group.objects.filter(name__in=roles.ALL_ROLES).prefetch_related("permissions__content_type"):
        deletable = {
            f"{p.content_type.app_label}.{p.content_type.model}" for p in group.permissions.all() if p.codename.startswith("delete_")
        }
        assert not deletable & roles.EVIDENCE_MODELS, group.name


def test_no_admin_page_offers_to_delete_evidence_even_to_a_superuser(rf, django_user_model):
    request = rf.get("/admin/")
    request.user = django_user_model.objects.create_superuser("root", password="root-密码-2026")
    evidence = [(model, model_admin) for model, model_admin in admin.site._registry.items() if roles.is_evidence(model)]

    assert {model._meta.label_lower for model, _ in evidence} >= NAMED_IN_THE_ISSUE
    for model, model_admin in evidence:
        assert not model_admin.has_delete_permission(request), model._meta.label
    assert not DutyLogEntryInline(DutyShift, admin.site).has_delete_permission(request)  # the duty log


def test_the_office_cannot_delete_a_call_log_nor_a_center_admin_a_consultation(client, two_departments, make_staff):
    market = two_departments[0]
    office = make_staff(market, role=roles.OFFICE_STAFF)
    center_admin = make_staff(market, role=roles.CENTER_ADMIN)
    call = CallLog.objects.create(caller="王先生", content="询问营业执照办理时间", taken_by=office)
    consultation = consultation_log(user=office.user, outcome="answered", question="营业执照要带什么材料")

    client.force_login(office.user)
    refused_call = client.post(reverse("admin:documents_calllog_delete", args=[call.pk]), {"post": "yes"})
    client.force_login(center_admin.user)
    refused_consultation = client.post(reverse("admin:casework_consultation_delete", args=[consultation.pk]), {"post": "yes"})

    assert (refused_call.status_code, refused_consultation.status_code) == (403, 403)
    assert CallLog.objects.filter(pk=call.pk).exists()
    assert Consultation.objects.filter(pk=consultation.pk).exists()
