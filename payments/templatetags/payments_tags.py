"""Money as people read it, for the payments pages."""

from __future__ import annotations

from django import template

from licensing.money import format_money
from payments.pages import SESSION_KEY, cart_count_refresh

register = template.Library()


@register.filter
def money(cents: int | None, currency: str = "usd") -> str:
    """{{ line.price_cents|money:line.currency }} -> "$29.00"."""
    if cents is None:
        return "—"
    return format_money(int(cents), currency or "usd")


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
