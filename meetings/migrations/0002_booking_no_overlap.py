"""S3.4: no two holding bookings of a room overlap — enforced by PostgreSQL itself, so that two
simultaneous requests cannot both win. (SQLite serialises writers; the service checks under a lock.)
int8range on the room id avoids needing the btree_gist extension."""

from django.db import migrations

CONSTRAINT = """
ALTER TABLE meetings_roombooking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
    int8range(room_id, room_id + 1) WITH &&,
    tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (status IN ('pending', 'approved'))
"""


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONSTRAINT)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE meetings_roombooking DROP CONSTRAINT IF EXISTS booking_no_overlap")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
