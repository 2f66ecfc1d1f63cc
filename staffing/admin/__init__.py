from . import calendar, control_panel, organisation  # noqa: F401  (registers the admins)
