"""Amounts as people read them: symbols, thousands, and the sign of money owed."""

from __future__ import annotations

import pytest

from licensing.money import format_money
from licensing.templatetags.licensing_tags import money


@pytest.mark.parametrize(
    ("cents", "currency", "shown"),
    [
        (2900, "usd", "$29.00"),
        (5, "eur", "€0.05"),
        (123456789, "gbp", "£1,234,567.89"),
        (0, "usd", "$0.00"),
        (-150, "usd", "-$1.50"),
        (-5, "eur", "-€0.05"),
        (-250000, "usd", "-$2,500.00"),
        (1999, "jpy", "19.99 JPY"),
        (-1999, "chf", "-19.99 CHF"),
    ],
)
def test_format_money(cents, currency, shown):
    assert format_money(cents, currency) == shown


def test_the_template_filter_shows_a_dash_for_no_amount():
    assert money(None) == "—"
    assert money("2900", "") == "$29.00"
