import django.db.models.deletion
from django.db import migrations, models

ROLLUPS = [
    # model name, table, old unique key, new unique key fields
    ("casedaystatistics", "casework_casedaystatistics", "case_day_statistics_key", ["day", "department", "hall", "window", "handling_mode"]),
    ("casemonthstatistics", "casework_casemonthstatistics", "case_month_statistics_key", ["day", "department", "hall", "window", "handling_mode"]),
    ("casedayitemstatistics", "casework_casedayitemstatistics", "case_day_item_statistics_key", ["day", "department", "hall", "window", "item", "handling_mode"]),
]
INDEXES = {"casedaystatistics": "case_day_statistics_hall", "casemonthstatistics": "case_month_stats_hall", "casedayitemstatistics": "case_day_item_stats_hall"}


def hall_field(null):
    return models.ForeignKey(
        null=null, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="halls.hall", verbose_name="服务场所"
    )


operations = []
for model, table, key, fields in ROLLUPS:
    operations += [
        migrations.RemoveConstraint(model_name=model, name=key),
        migrations.AddField(model_name=model, name="hall", field=hall_field(null=True)),
        # One statement per rollup: until now every case was received at its window's hall (casework 0015),
        # so a row's hall is its window's hall.
        migrations.RunSQL(
            f"UPDATE {table} SET hall_id = (SELECT hall_id FROM staffing_window WHERE staffing_window.id = {table}.window_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(model_name=model, name="hall", field=hall_field(null=False)),
        migrations.AddConstraint(model_name=model, constraint=models.UniqueConstraint(fields=fields, name=key)),
        migrations.AddIndex(model_name=model, index=models.Index(fields=["hall", "day"], name=INDEXES[model])),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0016_complaint_kind_and_bidding_limit"),
        ("halls", "0001_halls"),
        ("staffing", "0014_window_hall"),
    ]

    operations = operations
