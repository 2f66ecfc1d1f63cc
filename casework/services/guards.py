"""Who may act on a case: the check every casework service makes first."""

from django.core.exceptions import PermissionDenied

from staffing import selectors as staffing_selectors


def acting_staff(user):
    staff = getattr(user, "staff", None)
    if staff is None:
        raise PermissionDenied("当前账号未关联工作人员,不能办理办件。")
    return staff


def check_can_act(user, department_id: int, permission: str = "casework.change_case"):
    """The user acts for the department and holds the permission; returns their Staff record."""
    staff = acting_staff(user)
    if not user.has_perm(permission):
        raise PermissionDenied("您没有办理该业务的权限。")
    if not staffing_selectors.user_acts_for_department(user, department_id):
        raise PermissionDenied("您无权办理其他部门的办件。")
    return staff


def lock_case(case) -> None:
    """Lock the case row for this transaction and reload it, so every rule sees the committed state."""
    list(type(case).objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
    case.refresh_from_db()
