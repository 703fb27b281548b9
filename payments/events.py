"""Payment events from any provider, recorded once and turned into changes of orders.

Stripe's webhook view and the sandbox both verify their event, pick out its fields and call
`event_process`. Every event can arrive twice, late or out of order and the result is the same: a
replayed id is a no-op, a refund or dispute that arrives before the payment waits for it, a release that
arrives after the payment is ignored. A dispute's decision (`charge.dispute.closed`) waits for the
payment too, and a won one that arrives before the dispute itself makes that later notice a no-op.
The provider's fee is read when the payment is fulfilled and again on `charge.updated` (Stripe attaches
the balance transaction to some charges later), and posted once.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from payments import payouts, services
from payments.errors import PaymentsError, ProviderError
from payments.models import Order, PaymentEvent
from payments.providers import AccountState

log = logging.getLogger(__name__)

PAID = "paid"
RELEASE = "release"
REFUNDED = "refunded"
DISPUTED = "disputed"
DISPUTE_CLOSED = "dispute closed"
CHARGE_UPDATED = "charge updated"
ACCOUNT = "account"

KINDS = {
    "checkout.session.completed": PAID,
    "checkout.session.async_payment_succeeded": PAID,
    "checkout.session.async_payment_failed": RELEASE,
    "checkout.session.expired": RELEASE,
    "charge.refunded": REFUNDED,
    "charge.dispute.created": DISPUTED,
    "charge.dispute.closed": DISPUTE_CLOSED,
    # The charge changed; what matters to us is its balance transaction, which carries the fee.
    "charge.updated": CHARGE_UPDATED,
    # Events of a creator's connected account (they carry the account's id in `account`).
    "account.updated": ACCOUNT,
}
DUPLICATE = "duplicate"
DEFERRED = "deferred: the order is not paid yet"


def _order_for(*, order_ref: str | None, payment_id: str | None) -> Order | None:
    if order_ref:
        try:
            return Order.objects.filter(pk=uuid.UUID(str(order_ref))).first()
        except ValueError:
            return None
    if payment_id:
        return Order.objects.filter(provider_payment_id=payment_id).first()
    return None


def _object_field(payload: dict, name: str) -> str | None:
    """A string field of the event's data object (a dispute's `status`), or None."""
    try:
        value = payload["data"]["object"].get(name)
    except (KeyError, TypeError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _payment_status(payload: dict) -> str | None:
    """Stripe's payment_status of a Checkout Session event ("paid", "unpaid", "no_payment_required")."""
    try:
        return payload["data"]["object"].get("payment_status")
    except (KeyError, TypeError, AttributeError):
        return None


@transaction.atomic
def event_process(
    *,
    provider: str,
    event_id: str,
    type: str,
    order_ref: str | None,
    payment_id: str | None,
    amount_cents: int | None,
    payload: dict,
    refund_id: str = "",
) -> str:
    """Record the event `event_id` of `provider` and apply it; returns what it did, in words.

    `order_ref` is the order id the provider carried for us (Stripe: client_reference_id or metadata);
    without it the order is found by `payment_id`. `amount_cents` is the amount paid for payment events
    and the charge's total refunded so far for `charge.refunded`. A replayed id returns "duplicate"
    and changes nothing. ProviderError propagates (nothing is recorded), so the provider retries.
    """
    order = _order_for(order_ref=order_ref, payment_id=payment_id)
    try:
        with transaction.atomic():
            event = PaymentEvent.objects.create(
                provider=provider,
                event_id=event_id,
                type=type,
                payload=payload,
                order=order,
                payment_id=payment_id or "",
                amount_cents=amount_cents,
            )
    except IntegrityError:
        return DUPLICATE
    event.result = _apply(
        event=event,
        order=order,
        payment_id=payment_id,
        amount_cents=amount_cents,
        refund_id=refund_id,
        replayed=False,
    )
    event.save(update_fields=["result"])
    if event.result == "paid" and order is not None:
        _apply_deferred(order=order)
    return event.result


def _apply(
    *, event: PaymentEvent, order: Order | None, payment_id, amount_cents, refund_id: str, replayed: bool
) -> str:
    kind = KINDS.get(event.type)
    if kind is None:
        return f"ignored: {event.type} is not handled"
    if kind == ACCOUNT:
        return _account_updated(event)
    if order is None:
        # A refund or dispute can be delivered before the payment that names its order: it waits.
        waits = kind in (REFUNDED, DISPUTED, DISPUTE_CLOSED) and event.payment_id
        return DEFERRED if waits else "ignored: no matching order"
    if order.provider != event.provider:
        return f"ignored: the order is paid through {order.provider}"
    try:
        return _dispatch(
            kind=kind,
            event=event,
            order=order,
            payment_id=payment_id,
            amount_cents=amount_cents,
            refund_id=refund_id,
            replayed=replayed,
        )
    except ProviderError:
        raise
    except PaymentsError as exc:
        return f"rejected: {exc.message}"


def _dispatch(
    *, kind: str, event: PaymentEvent, order: Order, payment_id, amount_cents, refund_id: str, replayed: bool
) -> str:
    if kind == PAID:
        status = _payment_status(event.payload)
        if status not in (None, "paid", "no_payment_required"):
            return f"waiting: payment is {status}"
        order = services.order_mark_paid(
            order_id=order.pk, payment_id=payment_id or "", amount_cents=amount_cents
        )
        if order.paid_at is not None:
            _fee_sync(order=order, strict=False)
        return "paid" if order.newly_paid else f"ignored: order is {order.status}"
    if kind == RELEASE:
        order = services.order_release(order_id=order.pk, reason=f"Payment not completed ({event.type}).")
        return (
            "released"
            if order.status == Order.Status.RELEASED and order.paid_at is None
            else "ignored: already paid"
        )
    order.refresh_from_db()
    if order.paid_at is None:
        return DEFERRED
    if kind == REFUNDED:
        # Stripe reports the charge's refunded total so far: only the part not yet recorded is new.
        new = (amount_cents or 0) - order.refunded_cents
        if new <= 0:
            return "ignored: refund already recorded"
        services.order_refund(
            order=order,
            amount_cents=new,
            reason="Refunded by the payment provider.",
            refund_id=refund_id or f"evt:{event.event_id}",
        )
        return "refunded"
    if kind == CHARGE_UPDATED:
        # Live, a provider that cannot be reached is answered 503 so the event comes again; replayed
        # after the payment, it must not undo that payment.
        return _fee_sync(order=order, strict=not replayed)
    if kind == DISPUTE_CLOSED:
        status = _object_field(event.payload, "status")
        if status != "won":
            return f"ignored: the dispute closed as {status or 'unknown'}"
        order = services.order_dispute_won(order_id=order.pk, reason="The bank decided the dispute for us.")
        return "dispute won" if order.newly_won else "ignored: the dispute was won already"
    order = services.order_dispute(order_id=order.pk, reason="The payment is disputed.")
    return "disputed" if order.dispute_applied else "ignored: the dispute was won already"


def _fee_sync(*, order: Order, strict: bool) -> str:
    """Record the provider's fee of `order` once it is known. With `strict` a provider that cannot be
    reached raises ProviderError; otherwise it is logged and the fee waits for the next report."""
    try:
        return services.order_fee_sync(order_id=order.pk)
    except ProviderError as exc:
        if strict:
            raise
        log.warning("the fee of order %s is not known yet: %s", order.pk, exc.message)
        return f"waiting: {exc.message}"


def _account_updated(event: PaymentEvent) -> str:
    """A connected account's flags changed: record them, unless a later report was applied already."""
    obj = event.payload.get("data", {}).get("object", {})
    account_id = event.payload.get("account") or obj.get("id")
    created = event.payload.get("created")
    if not isinstance(account_id, str) or not account_id:
        return "rejected: the event names no account"
    if isinstance(created, bool) or not isinstance(created, int):
        return "rejected: the event has no time"
    account = payouts.connect_account_update(
        provider=event.provider,
        account_id=account_id,
        state=AccountState(
            charges_enabled=obj.get("charges_enabled") is True,
            payouts_enabled=obj.get("payouts_enabled") is True,
            details_submitted=obj.get("details_submitted") is True,
        ),
        at=datetime.fromtimestamp(created, tz=UTC),
    )
    if account is None:
        return "ignored: no such payout account"
    return f"account updated: payouts {'enabled' if account.payouts_enabled else 'not enabled'}"


def _apply_deferred(*, order: Order) -> None:
    order.refresh_from_db()
    waiting = PaymentEvent.objects.filter(result=DEFERRED, provider=order.provider).filter(
        Q(order=order) | Q(order__isnull=True, payment_id=order.provider_payment_id or None)
    )
    for event in waiting.order_by("received_at", "id"):
        event.order = order
        event.result = _apply(
            event=event,
            order=order,
            payment_id=event.payment_id,
            amount_cents=event.amount_cents,
            refund_id="",
            replayed=True,
        )
        event.save(update_fields=["result", "order"])
