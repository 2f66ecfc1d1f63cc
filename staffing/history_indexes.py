"""The timeline index (history_date, history_id) of history tables, for migrations that add columns.

project/migrations/0003_history_timeline_indexes creates it by SQL, outside the models' state. SQLite
adds a NOT NULL column by rebuilding the table, and the rebuild loses that index: a migration that
adds such a column to a historical model creates it again (a no-op where it survived).
"""

from django.db import migrations


def timeline_index_name(table: str) -> str:
    return f"{table[:50]}_timeline"  # as project/migrations/0003 names it


def recreate_timeline_indexes(*tables: str) -> migrations.RunPython:
    def create(apps, schema_editor):
        quote = schema_editor.quote_name
        for table in tables:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(timeline_index_name(table))} ON {quote(table)} (history_date, history_id)"
            )

    return migrations.RunPython(create, migrations.RunPython.noop)
