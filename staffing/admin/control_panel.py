from ..models import CenterSettings, WorkingHours
from .base import register_control_panel

register_control_panel(CenterSettings)
register_control_panel(WorkingHours)
