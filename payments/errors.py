"""What the payments room refuses, each error naming the input at fault so a form or API can show it."""

from __future__ import annotations

from common.errors import FieldError


class PaymentsError(FieldError):
    """A request the payments room turns down. `field` is the input to blame, or None for the whole."""


class ProviderError(PaymentsError):
    """The payment provider refused or could not be reached (checkout, refund)."""


class EventRejected(PaymentsError):
    """A webhook or sandbox event that is forged, stale or malformed: answered with 400, nothing changes."""
