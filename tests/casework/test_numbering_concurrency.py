"""Case and notice numbers stay unique and gap-free when several windows' clerks take them at once."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from casework.models import CaseCounter, NoticeCounter
from casework.services.cases import case_number
from staffing.numbering import next_sequence
from staffing.models import Department, Window


def take_numbers_concurrently(take, threads=8, per_thread=5):
    results, errors = [], []
    barrier = threading.Barrier(threads)

    def worker():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    results.append(take())
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_gives_gap_free_unique_case_numbers():
    department = Department.objects.create(name="县市场监督管理局")
    window = Window.objects.create(number="01", name="市场主体登记", department=department)
    day = datetime.date(2026, 11, 26)

    numbers, errors = take_numbers_concurrently(lambda: case_number(window, day))

    assert errors == []
    assert sorted(numbers) == [f"01-20261126-{n:04d}" for n in range(1, 41)]
    assert CaseCounter.objects.get(window=window, day=day).last == 40


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_notices_of_one_kind_get_consecutive_sequence_numbers():
    sequences, errors = take_numbers_concurrently(lambda: next_sequence(NoticeCounter, kind="acceptance", year=2026))
    assert errors == []
    assert sorted(sequences) == list(range(1, 41))


@pytest.mark.django_db
def test_sequences_start_at_one_per_scope():
    assert next_sequence(NoticeCounter, kind="acceptance", year=2026) == 1
    assert next_sequence(NoticeCounter, kind="acceptance", year=2026) == 2
    assert next_sequence(NoticeCounter, kind="acceptance", year=2027) == 1
    assert next_sequence(NoticeCounter, kind="correction", year=2026) == 1
