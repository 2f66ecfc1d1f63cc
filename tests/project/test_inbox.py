"""待我办理: every app's waiting work is counted in one query, whatever the number of kinds."""

import pytest

from casework.models import Case
from project import inbox
from staffing.models import Department, Staff


@pytest.mark.django_db
def test_the_counts_of_many_querysets_take_one_query(django_assert_num_queries):
    Department.objects.create(name="甲局", code="JA")
    Department.objects.create(name="乙局", code="YI")
    querysets = [
        Department.objects.all(),
        Department.objects.filter(code="JA"),
        Department.objects.none(),
        Department.objects.filter(pk__in=[]),
        Staff.objects.all(),
        Case.objects.filter(number__startswith="X"),
    ]
    with django_assert_num_queries(1):
        assert inbox.count_all(querysets) == [2, 1, 0, 0, 0, 0]


def test_every_declared_kind_has_a_unique_key_a_chinese_label_and_a_list_to_open():
    kinds = inbox.kinds()
    assert len({kind.key for kind in kinds}) == len(kinds)
    for kind in kinds:
        assert kind.label and not kind.label.isascii(), kind.key
        assert kind.url().startswith("/admin/"), kind.key
