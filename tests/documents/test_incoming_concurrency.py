"""S3.6-g with S3.6-c: 收文编号 stay unique and gap-free when several clerks register at once (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from documents.models import IncomingDocument
from documents.services.incoming import incoming_register
from staffing import roles


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_incoming_registrations_get_distinct_consecutive_numbers(two_departments, make_staff):
    market, police = two_departments
    clerks = [make_staff(market, role=roles.OFFICE_STAFF), make_staff(police, role=roles.OFFICE_STAFF)]
    writers = 6
    barrier, errors = threading.Barrier(writers), []

    def register(n):
        try:
            barrier.wait()
            incoming_register(user=clerks[n % 2].user, sender="县人民政府办公室", title=f"来文{n}")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(IncomingDocument.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, writers + 1))  # no duplicate, no gap
    assert IncomingDocument.objects.values("number").distinct().count() == writers
