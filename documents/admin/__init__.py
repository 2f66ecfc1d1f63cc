"""The documents admin, one module per job: 文件 and 传阅办理, 督办, 报告任务, office registers, supplies,
and the categories and settings."""

from . import documents, incoming, records, reports, settings, supervision, supplies  # noqa: F401  (registers the admins)
