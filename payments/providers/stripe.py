"""The Stripe provider: Stripe Checkout for paying, Stripe refunds for paying back.

Every Stripe call goes through payments/stripe_api.py. Fulfilment never happens here: an order is paid
only when Stripe's signed webhook says so (payments/webhooks.py).
"""

from __future__ import annotations

from payments import stripe_api
from payments.errors import ProviderError
from payments.models import Order
from payments.providers import AccountState, Checkout, Fee, RefundResult


def checkout_begin(*, order: Order, success_url: str, cancel_url: str) -> Checkout:
    """Open (or, for an order that already has one, return again) the order's Checkout Session."""
    session = stripe_api.checkout_session_create(order=order, success_url=success_url, cancel_url=cancel_url)
    return Checkout(url=session.url, session_id=session.id)


def refund(*, order: Order, amount_cents: int, reason: str, idempotency_key: str) -> RefundResult:
    """Refund part or all of the order's PaymentIntent; the key makes a retried refund a replay."""
    result = stripe_api.refund_create(
        payment_intent=order.provider_payment_id,
        amount_cents=amount_cents,
        idempotency_key=idempotency_key,
        reason=reason,
    )
    return RefundResult(refund_id=result.id, amount_cents=result.amount, status=result.status)


def payment_fee(*, order: Order) -> Fee | None:
    """The fee of the order's charge, from the charge's balance transaction. None while the order has no
    successful charge or Stripe has not attached the balance transaction yet (it does later for some
    payment methods, and says so with `charge.updated`)."""
    if not order.provider_payment_id:
        return None
    intent = stripe_api.payment_intent_retrieve(
        payment_intent=order.provider_payment_id, expand=["latest_charge.balance_transaction"]
    )
    charge = intent.latest_charge
    if charge is None or isinstance(charge, str):
        return None
    txn = charge.balance_transaction
    if txn is None or isinstance(txn, str):
        return None
    fee, currency = txn.fee, txn.currency
    if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
        raise ProviderError(
            f"Stripe's balance transaction {txn.id} has no fee in cents (`fee` is {fee!r}).", field="fee"
        )
    if not isinstance(currency, str) or not currency:
        raise ProviderError(f"Stripe's balance transaction {txn.id} has no `currency`.", field="currency")
    return Fee(charge_id=charge.id, fee_cents=fee, currency=currency.lower(), reference=txn.id)


def account_create(*, creator_id: int, email: str) -> str:
    """An Express account for the creator, able to receive transfers once onboarded."""
    return stripe_api.account_create(creator_id=creator_id, email=email).id


def account_link(*, account_id: str, refresh_url: str, return_url: str) -> str:
    """A fresh single-use onboarding link (they expire within minutes and cannot be reused)."""
    return stripe_api.account_link_create(
        account_id=account_id, refresh_url=refresh_url, return_url=return_url
    ).url


def account_state(*, account_id: str) -> AccountState:
    account = stripe_api.account_retrieve(account_id=account_id)
    return AccountState(
        charges_enabled=bool(account.charges_enabled),
        payouts_enabled=bool(account.payouts_enabled),
        details_submitted=bool(account.details_submitted),
    )


def transfer(
    *, account_id: str, amount_cents: int, currency: str, idempotency_key: str, payout_ref: str
) -> str:
    return stripe_api.transfer_create(
        destination=account_id,
        amount_cents=amount_cents,
        currency=currency,
        idempotency_key=idempotency_key,
        payout_ref=payout_ref,
    ).id


def transfer_reverse(*, transfer_id: str, amount_cents: int, idempotency_key: str) -> str:
    return stripe_api.transfer_reversal_create(
        transfer_id=transfer_id, amount_cents=amount_cents, idempotency_key=idempotency_key
    ).id
