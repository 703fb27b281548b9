"""Amounts as people read them. Money is integer cents with a currency everywhere else."""

from __future__ import annotations

SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


def format_money(cents: int, currency: str) -> str:
    """2900, "usd" -> "$29.00"; currencies without a symbol here are written after the amount."""
    amount = f"{cents // 100:,}.{cents % 100:02d}"
    symbol = SYMBOLS.get(currency.lower())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"
