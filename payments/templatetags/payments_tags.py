"""Money as people read it, for the payments pages."""

from __future__ import annotations

from django import template

from licensing.templatetags.licensing_tags import money
from payments.pages import SESSION_KEY, cart_count_refresh

register = template.Library()


# {{ line.price_cents|money:line.currency }} -> "$29.00", as on the licensing pages.
register.filter("money", money)


@register.simple_tag(takes_context=True)
def cart_count(context) -> int:
    """How many tracks are in the viewer's cart, for the header. Kept in the session so most pages
    cost no query for it; the cart pages refresh it."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    count = request.session.get(SESSION_KEY)
    if not isinstance(count, int):
        count = cart_count_refresh(request)
    return count
