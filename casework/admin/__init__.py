from . import cases, consultations, oversight, refusals, settings  # noqa: F401  (registers the admins)
