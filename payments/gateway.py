"""The payments room's one public API over its providers (sandbox, stripe).

Which provider makes a new checkout comes from PAYMENTS_PROVIDER; an order keeps the provider it was
made with, so refunds of older orders go back the way the money came.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.conf import settings

from payments.models import Order
from payments.providers import AccountState, Checkout, Fee, RefundResult

__all__ = [
    "AccountState",
    "Checkout",
    "Fee",
    "RefundResult",
    "account_create",
    "account_link",
    "account_state",
    "checkout_begin",
    "payment_fee",
    "provider_name",
    "refund",
    "transfer",
    "transfer_reverse",
]


def provider_name() -> str:
    """The provider new orders are made with: "sandbox" (no money moves) or "stripe"."""
    return settings.PAYMENTS_PROVIDER


def _provider(name: str) -> ModuleType:
    if name not in Order.Provider.values:
        raise ValueError(f"unknown payment provider {name!r}")
    return importlib.import_module(f"payments.providers.{name}")


def checkout_begin(*, order: Order, success_url: str, cancel_url: str) -> Checkout:
    """Open a checkout for `order` with its provider; the buyer is sent to the returned url."""
    return _provider(order.provider).checkout_begin(
        order=order, success_url=success_url, cancel_url=cancel_url
    )


def refund(*, order: Order, amount_cents: int, reason: str, idempotency_key: str) -> RefundResult:
    """Send `amount_cents` of `order`'s payment back to the buyer. `idempotency_key` names this refund
    once, so a retried call never refunds twice. Raises ProviderError when the provider refuses."""
    return _provider(order.provider).refund(
        order=order, amount_cents=amount_cents, reason=reason, idempotency_key=idempotency_key
    )


def payment_fee(*, order: Order) -> Fee | None:
    """The fee the provider kept of `order`'s payment, or None while it is not known (Stripe attaches
    the balance transaction to some charges later). Raises ProviderError when the provider refuses."""
    return _provider(order.provider).payment_fee(order=order)


# --- paying creators -----------------------------------------------------------------------------------


def account_create(*, provider: str, creator_id: int, email: str) -> str:
    """Open a connected account for a creator with `provider`; returns its id."""
    return _provider(provider).account_create(creator_id=creator_id, email=email)


def account_link(*, provider: str, account_id: str, refresh_url: str, return_url: str) -> str:
    """Where the creator goes to fill in their payout details (a fresh, single-use link)."""
    return _provider(provider).account_link(
        account_id=account_id, refresh_url=refresh_url, return_url=return_url
    )


def account_state(*, provider: str, account_id: str) -> AccountState | None:
    """The account's flags as the provider has them now, or None where only events tell."""
    return _provider(provider).account_state(account_id=account_id)


def transfer(
    *, provider: str, account_id: str, amount_cents: int, currency: str, idempotency_key: str, payout_ref: str
) -> str:
    """Send a payout to a connected account; the key makes a retried transfer a replay. The transfer id."""
    return _provider(provider).transfer(
        account_id=account_id,
        amount_cents=amount_cents,
        currency=currency,
        idempotency_key=idempotency_key,
        payout_ref=payout_ref,
    )


def transfer_reverse(*, provider: str, transfer_id: str, amount_cents: int, idempotency_key: str) -> str:
    """Pull part of a transfer back from the creator; the reversal id."""
    return _provider(provider).transfer_reverse(
        transfer_id=transfer_id, amount_cents=amount_cents, idempotency_key=idempotency_key
    )
