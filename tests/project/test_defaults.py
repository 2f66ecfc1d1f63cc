"""Defaults loaded by data migrations come back after a flush, and never over an administrator's edits."""

import pytest
from django.core.management import call_command

from casework.models import NoticeTemplate
from documents.models import DocumentCategory
from meetings.models import MeetingType
from staffing.models import ApprovalRule


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_its_defaults_back_but_edits_are_kept():
    call_command("flush", interactive=False, verbosity=0)
    assert NoticeTemplate.objects.count() == 6  # 受理, 补正, 不予受理, 办结, 不予许可, 延期
    assert "{% for m in problem_materials %}" in NoticeTemplate.objects.get(kind="correction").body
    assert MeetingType.objects.count() == 8
    assert DocumentCategory.objects.count() == 3
    assert set(ApprovalRule.objects.values_list("kind", flat=True)) == {"leave", "overtime", "fund"}

    # …and never over an administrator's changes on a live database.
    MeetingType.objects.filter(name="安全形势分析会").delete()
    call_command("migrate", verbosity=0)
    assert not MeetingType.objects.filter(name="安全形势分析会").exists()
