from .inspection_selectors import WAITING  # noqa: F401  (待整改, 待复查: project.inbox reads halls.selectors.WAITING)
