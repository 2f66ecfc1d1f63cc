"""Default rows that data migrations load (notice templates, meeting types, approval rules…).

A test database flushed between transactional tests loses them, while the migrations do not run
again. After every migrate or flush, each app reloads its defaults — but only into an empty table,
so an administrator's edits and deletions on a live database are never undone.
"""

import importlib

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def reload_when_empty(app_config, model_name: str, loaders: list[tuple[str, str]]) -> None:
    """After migrate/flush, run the data migrations' `loaders` [(migration, function)] if the table is empty.
    A migration of another app is named with its module path (`halls.migrations.0002_hall_index_entries`)."""

    def handler(sender, using="default", **kwargs):
        model = global_apps.get_model(app_config.label, model_name)
        if model.objects.using(using).exists():
            return
        for migration, function in loaders:
            module = migration if "." in migration else f"{app_config.name}.migrations.{migration}"
            getattr(importlib.import_module(module), function)(global_apps, None)

    post_migrate.connect(handler, sender=app_config, weak=False, dispatch_uid=f"defaults:{app_config.label}:{model_name}")
