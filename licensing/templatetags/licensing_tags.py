from django import template

from licensing.money import format_money

register = template.Library()


@register.filter
def money(cents: int, currency: str = "usd") -> str:
    """{{ 2900|money:"usd" }} -> $29.00"""
    return format_money(int(cents), currency or "usd")
