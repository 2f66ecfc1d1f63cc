"""Writes of the documents app."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ReportObligation


@transaction.atomic
def report_obligation_open(*, department, title: str, due_date, source=None, user=None) -> ReportObligation:
    """Open (once) the obligation of `department` to hand in `title` by `due_date` for `source`."""
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    obligation, _ = ReportObligation.objects.get_or_create(
        department=department,
        title=title,
        source_type=source_type,
        source_id=source.pk if source is not None else None,
        defaults={"due_date": due_date},
    )
    return obligation


@transaction.atomic
def report_obligation_submit(*, obligation: ReportObligation, submitted_on, user=None, note: str = "") -> ReportObligation:
    if obligation.submitted_on:
        raise ValidationError(f"「{obligation.title}」已于{obligation.submitted_on}报送。")
    obligation.submitted_on, obligation.note = submitted_on, note
    obligation._history_user = user
    obligation.save()
    return obligation
