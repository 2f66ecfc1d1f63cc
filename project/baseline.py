"""初始数据: a first history row for every record that has none (issue 16).

Data migrations write through the migration state's models, which record no history, and a demo or
an import may write with bulk_create/update. Without a first row, the record's first edit diffs
against nothing (「ID: 空 → 1」). After every migrate and at the end of load_demo, each such record
gets one history row of type 新增 with reason 「初始数据」 and no user, holding its values as they are.
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, OuterRef

BASELINE_REASON = "初始数据"


def record_baseline(using: str = DEFAULT_DB_ALIAS) -> int:
    """Give every record without history its 初始数据 row; returns how many were written."""
    from .history import tracked_models

    written = 0
    for model, history_model in tracked_models():
        manager = model._base_manager.db_manager(using)
        # NOT EXISTS, an anti-join on the history's id index: PostgreSQL runs `NOT IN (subquery)` as a
        # nested loop once the ids outgrow work_mem (20 minutes per migrate at 200,000 cases).
        missing = manager.exclude(Exists(history_model.objects.using(using).filter(id=OuterRef("pk"))))
        if not missing.exists():
            continue
        for start in range(0, missing.count(), 500):
            batch = list(missing.order_by("pk")[:500])
            if not batch:
                break
            model.history.bulk_history_create(batch, default_change_reason=BASELINE_REASON, default_user=None)
            written += len(batch)
    return written


def record_baseline_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    """post_migrate receiver: once per migrate (sent for every app; acts on this project's only,
    when every migration has run)."""
    if getattr(sender, "label", None) != "project":
        return
    try:
        record_baseline(using)
    except Exception:  # noqa: BLE001 — a database without some tables yet (a partial migrate)
        import logging

        logging.getLogger(__name__).exception("初始数据: baseline history not recorded")
