from staffing.admin.base import register_control_panel

from ..models import RatingSettings
from . import pads, ratings, tickets  # noqa: F401  (registration)

register_control_panel(RatingSettings)
