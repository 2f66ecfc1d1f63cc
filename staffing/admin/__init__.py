from . import accountability, accounts, attendance, background, calendar, control_panel, duty, leave, organisation, whereabouts  # noqa: F401  (registers the admins)
