"""The theme shows no environment label: with no environment named, django-admin-interface still drew an
empty label (a red dot and a dash) in the header and a marker on the favicon."""

from django.db import migrations


def hide_empty_environment_label(apps, schema_editor):
    Theme = apps.get_model("admin_interface", "Theme")
    Theme.objects.filter(env_name="").update(env_visible_in_header=False, env_visible_in_favicon=False)


class Migration(migrations.Migration):
    dependencies = [("project", "0004_sign_in_protection"), ("admin_interface", "__latest__")]

    operations = [migrations.RunPython(hide_empty_environment_label, migrations.RunPython.noop)]
