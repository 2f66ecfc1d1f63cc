"""A supply's 最低库存 cannot be negative, whichever way it comes in (issue 21, point 12)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from documents.models import Supply

pytestmark = pytest.mark.django_db

MESSAGE = "「-5」不能为负数。"  # as the supply import says it (documents.resources.StrictDecimalWidget)


def test_the_model_refuses_a_negative_reorder_level_with_the_imports_message():
    supply = Supply(name="A4复印纸", specification="70g", unit="包", reorder_level=Decimal("-5"))

    with pytest.raises(ValidationError) as raised:
        supply.full_clean()

    assert raised.value.message_dict == {"reorder_level": [MESSAGE]}


def test_the_database_refuses_it_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        Supply.objects.create(name="A4复印纸", unit="包", reorder_level=Decimal("-5"))


def test_the_admin_form_refuses_it_and_saves_nothing(admin_client):
    response = admin_client.post(
        reverse("admin:documents_supply_add"), {"name": "A4复印纸", "specification": "70g", "unit": "包", "reorder_level": "-5", "is_active": "on"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reorder_level"] == [MESSAGE]
    assert not Supply.objects.exists()
