from .hall import Hall, HallKind, center_hall_id

__all__ = ["Hall", "HallKind", "center_hall_id"]
