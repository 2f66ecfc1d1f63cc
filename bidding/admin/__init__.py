from staffing.admin.base import register_control_panel

from ..models import BiddingSettings
from . import events  # noqa: F401  (registration)

register_control_panel(BiddingSettings)
