"""Payment providers: one module each, all with the same three functions.

    checkout_begin(*, order, success_url, cancel_url) -> Checkout
    refund(*, order, amount_cents, reason, idempotency_key) -> RefundResult
    payment_fee(*, order) -> Fee | None (None: the provider does not know the fee yet)

and the same five for paying creators (Connect):

    account_create(*, creator_id, email) -> str (the account id)
    account_link(*, account_id, refresh_url, return_url) -> str (where the creator onboards)
    account_state(*, account_id) -> AccountState | None (None: the provider tells us by events only)
    transfer(*, account_id, amount_cents, currency, idempotency_key, payout_ref) -> str (transfer id)
    transfer_reverse(*, transfer_id, amount_cents, idempotency_key) -> str (reversal id)

Nothing outside payments/gateway.py picks or calls a provider directly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Checkout:
    """Where the buyer pays (`url`) and the provider's name for that checkout (`session_id`)."""

    url: str
    session_id: str


@dataclass(frozen=True)
class RefundResult:
    """A refund the provider accepted: its id, the amount and its state ("succeeded" or "pending")."""

    refund_id: str
    amount_cents: int
    status: str


@dataclass(frozen=True)
class AccountState:
    """What the provider says a creator's account may do."""

    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool


@dataclass(frozen=True)
class Fee:
    """What the provider kept of a paid order's charge: `fee_cents` in `currency` (the provider's
    settlement currency), for the charge `charge_id`; `reference` names where it was read (Stripe: the
    balance transaction), `simulated` is True for the sandbox's made-up fee."""

    charge_id: str
    fee_cents: int
    currency: str
    reference: str
    simulated: bool = False
