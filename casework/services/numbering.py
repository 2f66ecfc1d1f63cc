"""Readable, unique, gap-free numbers under concurrent intake: one locked counter row per scope."""

from django.db import IntegrityError, transaction

from ..models import CaseCounter


def next_sequence(counter_model, **scope) -> int:
    """Lock the counter row of `scope` (creating it on first use) and take its next number."""
    with transaction.atomic():
        counter = counter_model.objects.select_for_update().filter(**scope).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter_model.objects.create(**scope, last=0)
            except IntegrityError:
                pass  # another writer created it first; lock theirs below
            counter = counter_model.objects.select_for_update().get(**scope)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


def case_number(window, day) -> str:
    sequence = next_sequence(CaseCounter, window=window, day=day)
    return f"{window.number}-{day:%Y%m%d}-{sequence:04d}"
