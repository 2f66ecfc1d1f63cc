"""An index (history_date, history_id) on every history table, for the history timeline.

The timeline reads each table's newest rows in that order (project/history.py). simple-history
indexes history_date alone, and an import writes all its history rows with one date: without the
second column a database sorts every row of that date to find the newest 50 (PostgreSQL: 32 ms for
the 60,000 material rows of one catalog import; with the index, a walk that stops after 50 rows).

The indexes live outside the models' state (simple-history builds the historical models' Meta), so
this migration creates them by SQL for every history table that exists at this point;
tests/project/test_history.py checks that every history table has one.
"""

from django.db import migrations

INDEX_SUFFIX = "_timeline"


def index_name(table: str) -> str:
    return f"{table[:50]}{INDEX_SUFFIX}"


def history_tables(apps):
    for model in apps.get_models():
        fields = {field.name for field in model._meta.fields}
        if {"history_id", "history_date"} <= fields:
            yield model._meta.db_table


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table in history_tables(apps):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(index_name(table))} ON {quote(table)} (history_date, history_id)"
        )


def drop_indexes(apps, schema_editor):
    for table in history_tables(apps):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index_name(table))}")


class Migration(migrations.Migration):
    dependencies = [
        ("project", "0002_security"),
        ("staffing", "0008_historicalaccountabilityrecord_historicalassessment_and_more"),
        ("registry", "0002_historicalserviceitem_needs_head_approval_and_more"),
        ("casework", "0008_case_list_indexes"),
        ("meetings", "0003_default_meeting_types"),
        ("documents", "0004_supplies"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
