"""The center's admin theme: calm government blue, the title taken from the center settings."""

from django.db import migrations

THEME = {
    "name": "行政服务中心",
    "active": True,
    "title": "",  # empty: the header shows the site header, which comes from 中心设置
    "title_visible": True,
    "logo_visible": False,
    "css_header_background_color": "#1F4E79",
    "css_header_text_color": "#FFFFFF",
    "css_header_link_color": "#FFFFFF",
    "css_header_link_hover_color": "#D6E4F0",
    "css_module_background_color": "#2E6DA4",
    "css_module_text_color": "#FFFFFF",
    "css_module_link_color": "#FFFFFF",
    "css_module_link_hover_color": "#D6E4F0",
    "css_module_rounded_corners": True,
    "css_generic_link_color": "#1F4E79",
    "css_generic_link_hover_color": "#2E6DA4",
    "css_save_button_background_color": "#1F4E79",
    "css_save_button_background_hover_color": "#163A5C",
    "css_save_button_text_color": "#FFFFFF",
    "related_modal_active": True,
    "list_filter_dropdown": True,
    "list_filter_sticky": True,
    "recent_actions_visible": True,
    "language_chooser_active": False,
}


def load_theme(apps, schema_editor):
    Theme = apps.get_model("admin_interface", "Theme")
    fields = {f.name for f in Theme._meta.get_fields()}
    values = {key: value for key, value in THEME.items() if key in fields}
    Theme.objects.update(active=False)
    Theme.objects.update_or_create(name=THEME["name"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("admin_interface", "__latest__")]

    operations = [migrations.RunPython(load_theme, migrations.RunPython.noop)]
