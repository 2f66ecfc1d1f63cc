from . import accountability, accounts, attendance, calendar, control_panel, duty, leave, organisation, whereabouts  # noqa: F401  (registers the admins)
