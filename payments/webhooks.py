"""Stripe's webhook: `POST /payments/stripe/webhook/`, the only way a Stripe order gets fulfilled.

The signature is checked on the raw body (payments/stripe_api.py); a missing, forged or stale one, or a
body that is not a well-formed event, is answered 400 and changes nothing. A verified event goes through
payments.events.event_process, the path the sandbox uses too, which records it once by id and applies
it. Stripe is answered 200 for every verified event, handled, ignored or seen before (it redelivers
until it gets a 2xx), and 503 when a refund it triggered could not reach Stripe, so the event comes back
later and is applied then.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import stripe_api
from payments.errors import EventRejected, ProviderError
from payments.events import event_process

log = logging.getLogger(__name__)

PROVIDER = "stripe"


def _id_of(value: Any, *, field: str) -> str:
    """A Stripe reference that may arrive as an id or, when expanded, as the object itself."""
    if isinstance(value, dict):
        value = value.get("id")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EventRejected(f"`{field}` is not an id.", field=field)
    return value


def _amount(value: Any, *, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EventRejected(f"`{field}` is not an amount in cents.", field=field)
    return value


def _fields(event: dict) -> dict[str, Any]:
    """What event_process needs from one Stripe event: the order, the payment and the amount."""
    obj = event["data"]["object"]
    kind = event["type"]
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    # Our order id rides in the session's metadata and, copied by Stripe from the PaymentIntent, in the
    # charge's: a refund reported before the payment still finds its order and waits for it.
    order_ref = metadata.get("order_id") if isinstance(metadata.get("order_id"), str) else None
    if kind.startswith("checkout.session."):
        reference = obj.get("client_reference_id")
        return {
            "order_ref": order_ref or (reference if isinstance(reference, str) else None),
            "payment_id": _id_of(obj.get("payment_intent"), field="payment_intent"),
            "amount_cents": _amount(obj.get("amount_total"), field="amount_total"),
        }
    if kind == "charge.refunded":
        # The charge's total refunded so far; events.py works out which part is new.
        return {
            "order_ref": order_ref,
            "payment_id": _id_of(obj.get("payment_intent"), field="payment_intent"),
            "amount_cents": _amount(obj.get("amount_refunded"), field="amount_refunded"),
        }
    if kind == "charge.updated":
        # Only the order matters: the fee is read from Stripe, not from this snapshot.
        return {
            "order_ref": order_ref,
            "payment_id": _id_of(obj.get("payment_intent"), field="payment_intent"),
            "amount_cents": None,
        }
    if kind.startswith("charge.dispute."):
        return {
            "order_ref": None,
            "payment_id": _id_of(obj.get("payment_intent"), field="payment_intent"),
            "amount_cents": _amount(obj.get("amount"), field="amount"),
        }
    return {"order_ref": None, "payment_id": "", "amount_cents": None}


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    """Verify and apply one Stripe event delivery."""
    try:
        event = stripe_api.event_construct(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
        fields = _fields(event)
    except EventRejected as exc:
        log.warning("stripe webhook refused: %s", exc.message)
        return JsonResponse({"error": exc.message, "field": exc.field}, status=400)
    try:
        result = event_process(
            provider=PROVIDER, event_id=event["id"], type=event["type"], payload=event, **fields
        )
    except ProviderError as exc:
        log.warning("stripe event %s deferred: %s", event["id"], exc.message)
        return JsonResponse({"error": exc.message}, status=503)
    return JsonResponse({"result": result})
