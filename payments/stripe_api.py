"""Every call the marketplace makes to Stripe, and the only module that imports `stripe`.

One `stripe.StripeClient` per (secret key, API base), pinned to one API version so a library upgrade
never changes what Stripe sends us. STRIPE_API_BASE points the client at Stripe (the default) or, in
tests, at the local stand-in in tests/fakes/stripe_server.py.

Calls that move money or open a checkout carry an idempotency key, so a retry (ours or the client's own
network retries) is answered with the first result instead of acting twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import lru_cache

import stripe
from django.conf import settings

from payments.errors import EventRejected, ProviderError
from payments.models import Order

log = logging.getLogger(__name__)

API_VERSION = "2026-10-28.endive"
# Stripe refuses events signed longer ago than this, which is also its own default.
WEBHOOK_TOLERANCE_S = 300
# Stripe accepts a Checkout Session's `expires_at` from 30 minutes to 24 hours after it is created.
SESSION_MIN_LIFETIME = timedelta(minutes=31)
SESSION_MAX_LIFETIME = timedelta(hours=24)
# Stripe caps metadata values at 500 characters.
METADATA_MAX = 500


@lru_cache(maxsize=4)
def _client_for(api_key: str, api_base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base},
        stripe_version=API_VERSION,
        max_network_retries=2,
    )


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ProviderError("Card payments are not configured (STRIPE_SECRET_KEY is empty).")
    return _client_for(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE.rstrip("/"))


def _refused(action: str, exc: stripe.StripeError) -> ProviderError:
    log.warning("stripe refused to %s: %s (%s)", action, exc, type(exc).__name__)
    detail = exc.user_message or "the payment provider could not be reached"
    return ProviderError(f"Could not {action}: {detail}. Please try again in a moment.")


def session_expiry(order: Order) -> int:
    """The Checkout Session's end as a Unix timestamp: the order's hold, stretched to Stripe's 30 minute
    minimum. Computed from the order alone, so a retried call sends the very same parameters."""
    floor = order.created_at + SESSION_MIN_LIFETIME
    ceiling = order.created_at + SESSION_MAX_LIFETIME
    return int(min(max(order.expires_at, floor), ceiling).timestamp())


def checkout_session_create(*, order: Order, success_url: str, cancel_url: str) -> stripe.checkout.Session:
    """Open a Checkout Session for `order`: one line item per order line, priced in cents from the line.

    The idempotency key is the order's, so every call for one order returns the one session.
    Raises ProviderError when Stripe refuses or cannot be reached."""
    order_ref = str(order.pk)
    line_items = [
        {
            "quantity": 1,
            "price_data": {
                "currency": line.currency,
                "unit_amount": line.price_cents,
                "product_data": {
                    "name": f"{line.track.title} — {line.tier.name} license",
                    "metadata": {"order_line": str(line.pk)},
                },
            },
        }
        for line in order.lines.select_related("track", "tier").order_by("pk")
    ]
    params = {
        "mode": "payment",
        "line_items": line_items,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": order_ref,
        "customer_email": order.buyer.email,
        "metadata": {"order_id": order_ref},
        "payment_intent_data": {"metadata": {"order_id": order_ref}},
        "expires_at": session_expiry(order),
    }
    try:
        return _client().v1.checkout.sessions.create(
            params, {"idempotency_key": f"order-{order_ref}-checkout"}
        )
    except stripe.StripeError as exc:
        raise _refused("open the checkout", exc) from exc


def refund_create(
    *, payment_intent: str, amount_cents: int, idempotency_key: str, reason: str
) -> stripe.Refund:
    """Refund `amount_cents` of a PaymentIntent. `reason` is our words, kept in the refund's metadata
    (Stripe's own `reason` field takes only its three codes). Raises ProviderError when refused."""
    if not payment_intent:
        raise ProviderError("This order has no recorded payment to refund.")
    params = {
        "payment_intent": payment_intent,
        "amount": amount_cents,
        "metadata": {"reason": reason[:METADATA_MAX]},
    }
    try:
        return _client().v1.refunds.create(params, {"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise _refused("refund the payment", exc) from exc


def _construct(payload: bytes, signature: str, secrets: list[str]) -> stripe.Event:
    for secret in secrets[:-1]:
        try:
            return stripe.Webhook.construct_event(payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_S)
        except stripe.SignatureVerificationError:
            continue
    return stripe.Webhook.construct_event(payload, signature, secrets[-1], tolerance=WEBHOOK_TOLERANCE_S)


def event_construct(*, payload: bytes, signature: str) -> dict:
    """Verify a webhook delivery against STRIPE_WEBHOOK_SECRET on its raw body; return the event as plain
    data, so no Stripe type travels further than this module.

    Raises EventRejected for a missing, forged or stale (older than WEBHOOK_TOLERANCE_S) signature and for
    a body that is not a Stripe event."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        log.error("a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is empty: refused")
        raise EventRejected("Webhook signing is not configured.")
    # Events of connected accounts may come from a Connect endpoint with a signing secret of its own.
    secrets = [s for s in (settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET) if s]
    try:
        event = _construct(payload, signature, secrets).to_dict()
    except stripe.SignatureVerificationError as exc:
        raise EventRejected(f"Signature check failed: {exc.user_message or exc}", field="signature") from None
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError):
        # Signed, but not a JSON object: the event builder cannot even read it.
        raise EventRejected("The body is not a Stripe event.", field="body") from None
    data = event.get("data")
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise EventRejected("The event has no id or type.", field="body")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise EventRejected("The event has no data object.", field="body")
    return event


def payment_intent_retrieve(*, payment_intent: str, expand: list[str] | None = None) -> stripe.PaymentIntent:
    """Read a PaymentIntent, with the references named in `expand` expanded (e.g.
    "latest_charge.balance_transaction" for the fee Stripe kept). Raises ProviderError when refused."""
    if not payment_intent:
        raise ProviderError("This order has no recorded payment.", field="payment_id")
    params = {"expand": expand} if expand else {}
    try:
        return _client().v1.payment_intents.retrieve(payment_intent, params)
    except stripe.StripeError as exc:
        raise _refused("read the payment", exc) from exc


# --- Connect: creators' accounts and transfers to them ---------------------------------------------


def account_create(*, creator_id: int, email: str) -> stripe.Account:
    """An Express account for a creator, asking for the transfers capability. The key is the creator's,
    so a retried call returns the one account."""
    params = {
        "type": "express",
        "email": email,
        "capabilities": {"transfers": {"requested": True}},
        "metadata": {"creator_id": str(creator_id)},
    }
    try:
        return _client().v1.accounts.create(params, {"idempotency_key": f"creator-{creator_id}-account"})
    except stripe.StripeError as exc:
        raise _refused("set up the payout account", exc) from exc


def account_link_create(*, account_id: str, refresh_url: str, return_url: str) -> stripe.AccountLink:
    """A single-use onboarding link. No idempotency key: every call must give a fresh link."""
    params = {
        "account": account_id,
        "refresh_url": refresh_url,
        "return_url": return_url,
        "type": "account_onboarding",
    }
    try:
        return _client().v1.account_links.create(params)
    except stripe.StripeError as exc:
        raise _refused("open the payout account setup", exc) from exc


def account_retrieve(*, account_id: str) -> stripe.Account:
    try:
        return _client().v1.accounts.retrieve(account_id)
    except stripe.StripeError as exc:
        raise _refused("read the payout account", exc) from exc


def transfer_create(
    *, destination: str, amount_cents: int, currency: str, idempotency_key: str, payout_ref: str
) -> stripe.Transfer:
    """Send `amount_cents` to a connected account. The key is the payout's, so a retry never pays twice."""
    params = {
        "amount": amount_cents,
        "currency": currency,
        "destination": destination,
        "transfer_group": f"payout-{payout_ref}",
        "metadata": {"payout_id": payout_ref},
    }
    try:
        return _client().v1.transfers.create(params, {"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise _refused("pay the creator", exc) from exc


def transfer_reversal_create(
    *, transfer_id: str, amount_cents: int, idempotency_key: str
) -> stripe.TransferReversal:
    """Pull `amount_cents` of a transfer back from the connected account."""
    try:
        return _client().v1.transfers.reversals.create(
            transfer_id, {"amount": amount_cents}, {"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        raise _refused("reverse the transfer", exc) from exc
