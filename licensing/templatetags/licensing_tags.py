from django import template

from licensing.money import format_money

register = template.Library()


@register.filter
def money(cents: int | None, currency: str = "usd") -> str:
    """{{ 2900|money:"usd" }} -> $29.00; nothing to show -> an em dash."""
    if cents is None:
        return "—"
    return format_money(int(cents), currency or "usd")
