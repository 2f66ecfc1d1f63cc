"""The 变更记录 entry points (issue 16): the header link and the index card."""

from django import template

register = template.Library()


@register.filter
def reviews_history(user) -> bool:
    from project.views import is_reviewer

    return bool(user) and is_reviewer(user)


@register.inclusion_tag("admin/history_card.html", takes_context=True)
def history_card(context):
    """变更记录 at the top of the index for inspectors and center administrators, with today's count."""
    from project.history import changes_today
    from project.views import is_reviewer

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_reviewer(user):
        return {"show": False}
    return {"show": True, "today": changes_today()}
