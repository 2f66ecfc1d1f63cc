from . import cases, consultations, refusals, settings  # noqa: F401  (registers the admins)
