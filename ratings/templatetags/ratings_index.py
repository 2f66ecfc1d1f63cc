from django import template
from django.utils import timezone

from ..selectors import index_rates

register = template.Library()


@register.simple_tag(takes_context=True)
def ratings_month_rates(context):
    """This month's rates for the index, for leaders and inspectors (None for the others)."""
    request = context.get("request")
    if request is None:
        return None
    return index_rates(request.user, timezone.localdate())
