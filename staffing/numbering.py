"""Unique, gap-free sequence numbers under concurrent writers: one locked counter row per scope
(cases per window and day, notices per kind and year, documents per category and year)."""

from django.db import IntegrityError, transaction


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
