"""The sandbox provider: checkout, payment and refunds run locally and no money moves.

Its checkout is a page of this site. Paying there builds an event shaped like Stripe's, signs it with
HMAC-SHA256 under a key derived from SECRET_KEY (a timestamp and the raw JSON, as Stripe signs), and
sends it through the same verification and fulfilment path as a webhook: `event_receive`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

from django.urls import reverse
from django.utils.crypto import salted_hmac

from payments.errors import EventRejected
from payments.events import DUPLICATE, event_process
from payments.providers import Checkout, Fee, RefundResult

SALT = "payments.sandbox.event"
TOLERANCE_SECONDS = 300
NAME = "sandbox"
# The simulated processor fee: 2.9 % of the amount charged, rounded half up to the cent, plus 30 cents
# (Stripe's list price for US cards). No money moves; the fee only makes the sandbox ledger look real.
SIMULATED_FEE_PER_MILLE = 29
SIMULATED_FEE_FIXED_CENTS = 30


def checkout_begin(*, order, success_url: str, cancel_url: str) -> Checkout:
    """The local checkout page of `order`; it returns to the order page (paid) or the cart (cancelled)."""
    return Checkout(url=reverse("payments:sandbox", args=[order.pk]), session_id=f"cs_sandbox_{order.pk.hex}")


def refund(*, order, amount_cents: int, reason: str, idempotency_key: str | None = None) -> RefundResult:
    """Refunds succeed at once; the id is made up (the same key gives the same id, as at Stripe)."""
    token = (
        hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
        if idempotency_key
        else secrets.token_hex(12)
    )
    return RefundResult(refund_id=f"re_sandbox_{token}", amount_cents=amount_cents, status="succeeded")


def simulated_fee_cents(amount_cents: int) -> int:
    """The sandbox's made-up fee for a charge of `amount_cents`: 2.9 % (half up) + 30 cents; nothing for
    a charge of nothing."""
    if amount_cents <= 0:
        return 0
    return (amount_cents * SIMULATED_FEE_PER_MILLE + 500) // 1000 + SIMULATED_FEE_FIXED_CENTS


def payment_fee(*, order) -> Fee | None:
    """The simulated fee of a paid sandbox order (labelled simulated); None while it is unpaid."""
    if order.paid_at is None:
        return None
    return Fee(
        charge_id=f"ch_sandbox_{order.pk.hex}",
        fee_cents=simulated_fee_cents(order.total_cents),
        currency=order.currency,
        reference=f"simulated: 2.9% + {SIMULATED_FEE_FIXED_CENTS}c",
        simulated=True,
    )


def _signature(timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return salted_hmac(SALT, signed, algorithm="sha256").hexdigest()


def event_sign(body: bytes, *, timestamp: int | None = None) -> str:
    """The signature header for `body`: "t=<unix time>,v1=<hex HMAC-SHA256>"."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_signature(timestamp, body)}"


def event_build(*, order, type: str = "checkout.session.completed") -> tuple[bytes, str]:
    """A signed event about `order` (raw JSON body, signature header), as the Pay button sends it."""
    event = {
        "id": f"evt_sandbox_{secrets.token_hex(12)}",
        "type": type,
        "created": int(time.time()),
        "data": {
            "object": {
                "id": order.provider_session_id or f"cs_sandbox_{order.pk.hex}",
                "order_id": str(order.pk),
                "amount_total": order.total_cents,
                "currency": order.currency,
                "payment_status": "paid" if type == "checkout.session.completed" else "unpaid",
                "payment_intent": f"pi_sandbox_{secrets.token_hex(12)}",
            }
        },
    }
    body = json.dumps(event, separators=(",", ":"), sort_keys=True).encode()
    return body, event_sign(body)


def event_verify(*, body: bytes, signature: str, now: float | None = None) -> dict:
    """The event in `body` once its signature checks out; EventRejected when forged, stale or malformed."""
    parts = dict(item.split("=", 1) for item in (signature or "").split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise EventRejected("The event has no valid signature header.", field="signature") from None
    if not hmac.compare_digest(given, _signature(timestamp, body)):
        raise EventRejected("The event's signature does not match.", field="signature")
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise EventRejected("The event is too old (or from the future).", field="signature")
    try:
        event = json.loads(body)
        obj = event["data"]["object"]
        if (
            not isinstance(event["id"], str)
            or not isinstance(event["type"], str)
            or not isinstance(obj, dict)
        ):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise EventRejected("The event is not a well-formed event.", field="body") from None
    return event


def event_receive(*, body: bytes, signature: str) -> str:
    """Verify a signed sandbox event and process it like a webhook; returns what it did.

    A replayed event id is refused with EventRejected as well: nothing changes either way.
    """
    event = event_verify(body=body, signature=signature)
    obj = event["data"]["object"]
    amount = obj.get("amount_total")
    result = event_process(
        provider=NAME,
        event_id=event["id"],
        type=event["type"],
        order_ref=obj.get("order_id"),
        payment_id=obj.get("payment_intent") or "",
        amount_cents=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
        payload=event,
    )
    if result == DUPLICATE:
        raise EventRejected("This event was processed already.", field="id")
    return result


# --- paying creators: simulated accounts and transfers ---------------------------------------------


def _token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def account_create(*, creator_id: int, email: str) -> str:
    """A simulated connected account; it can take transfers once its simulated onboarding is done."""
    return f"acct_sandbox_{secrets.token_hex(8)}"


def account_link(*, account_id: str, refresh_url: str, return_url: str) -> str:
    """The local, clearly labelled page that stands in for the provider's onboarding."""
    return reverse("payments:connect_sandbox")


def account_state(*, account_id: str) -> None:
    """The sandbox account's flags live on our own row (set by the simulated onboarding page)."""
    return None


def transfer(
    *, account_id: str, amount_cents: int, currency: str, idempotency_key: str, payout_ref: str
) -> str:
    """A simulated transfer: nothing moves; the same key always gives the same id, as at Stripe."""
    return f"tr_sandbox_{_token(idempotency_key)}"


def transfer_reverse(*, transfer_id: str, amount_cents: int, idempotency_key: str) -> str:
    """A simulated transfer reversal (the same key gives the same id)."""
    return f"trr_sandbox_{_token(idempotency_key)}"
