from . import bookings, meetings, types  # noqa: F401  (registers the admins)
