"""Every write of the payments room: the cart, orders, and the one fulfilment path every provider uses.

Prices and terms always come from licensing's quote at the moment the order is made; nothing a client
sends about money is read. Operations that move money lock the order row first.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from catalog.models import Track
from licensing import selectors as licensing_selectors
from licensing import services as licensing
from licensing.errors import LicensingError
from licensing.models import License, LicenseTier
from payments import gateway, ledger, payouts
from payments.errors import PaymentsError
from payments.models import Cart, CartItem, LedgerEntry, Order, OrderLine, Refund

log = logging.getLogger(__name__)

HOLD_TAKEN = "Someone is checking out this track exclusively right now; try again later."
NOT_FOR_SALE = {
    Track.Status.WITHDRAWN: "This track was withdrawn by its creator and is not for sale.",
    Track.Status.TAKEN_DOWN: "This track was taken down and is not for sale.",
    Track.Status.SOLD_EXCLUSIVE: "This track was bought out exclusively and is no longer for sale.",
}
TEXT_LIMITS = {"licensee_name": 120, "licensee_organisation": 120, "project": 120}


def not_for_sale_reason(*, track: Track) -> str | None:
    """Why `track` cannot be bought at all, in words for the buyer, or None when it is on sale."""
    if track.status in NOT_FOR_SALE:
        return NOT_FOR_SALE[track.status]
    if track.status != Track.Status.PUBLISHED:
        return "This track is not published and is not for sale."
    return None


def _quote(*, track: Track, tier: LicenseTier, prefix: str = ""):
    """Licensing's quote, its refusals named `<prefix>track` (the track is off sale) or `<prefix>tier`."""
    reason = not_for_sale_reason(track=track)
    if reason:
        raise PaymentsError(reason, field=f"{prefix}track")
    try:
        quote = licensing.price_quote(track=track, tier=tier)
    except LicensingError as exc:
        raise PaymentsError(
            exc.message, field=f"{prefix}{'track' if exc.field == 'track' else 'tier'}"
        ) from None
    if quote.currency.lower() != settings.PAYMENTS_CURRENCY:
        raise PaymentsError(
            f"This tier is priced in {quote.currency.upper()}; the store sells in "
            f"{settings.PAYMENTS_CURRENCY.upper()}.",
            field=f"{prefix}tier",
        )
    return quote


# --- the cart ---------------------------------------------------------------------------------------


@transaction.atomic
def cart_add(*, user: User, track: Track, tier: LicenseTier) -> CartItem:
    """Put `track` at `tier` in `user`'s cart; a track already there changes to the new tier."""
    if track.creator.user_id == user.pk:
        raise PaymentsError("You cannot license your own track.", field="track")
    _quote(track=track, tier=tier)
    cart, _ = Cart.objects.get_or_create(user=user)
    item, _ = CartItem.objects.update_or_create(cart=cart, track=track, defaults={"tier": tier})
    return item


@transaction.atomic
def cart_remove(*, user: User, track: Track) -> None:
    """Take `track` out of `user`'s cart (nothing happens when it is not there)."""
    CartItem.objects.filter(cart__user=user, track=track).delete()


# --- orders -----------------------------------------------------------------------------------------


def _clean_licensee(*, name: str, organisation: str, email: str, project: str) -> dict[str, str]:
    values = {
        "licensee_name": (name or "").strip(),
        "licensee_organisation": (organisation or "").strip(),
        "licensee_email": (email or "").strip(),
        "project": (project or "").strip(),
    }
    if not values["licensee_name"]:
        raise PaymentsError("Give the name the license is made out to.", field="licensee_name")
    for field, limit in TEXT_LIMITS.items():
        if len(values[field]) > limit:
            raise PaymentsError(f"Keep this under {limit} characters.", field=field)
    try:
        validate_email(values["licensee_email"])
    except ValidationError:
        raise PaymentsError("Give a valid email address for the license.", field="licensee_email") from None
    return values


def _release_holds_before(*, buyer: User, tracks: list[Track]) -> None:
    """Drop holds on `tracks` that no longer stand: checkouts past their time, and the buyer's own
    earlier checkout of the same track (they are starting again)."""
    held = OrderLine.objects.filter(track__in=tracks, holds_track=True, order__status=Order.Status.PENDING)
    stale = held.filter(Q(order__expires_at__lte=timezone.now()) | Q(order__buyer=buyer))
    for order_id, expired in set(stale.values_list("order_id", "order__expires_at")):
        reason = "The checkout expired." if expired <= timezone.now() else "Replaced by a newer checkout."
        order_release(order_id=order_id, reason=reason)


@transaction.atomic
def order_create(
    *,
    buyer: User,
    lines: list[tuple[Track, LicenseTier]],
    licensee_name: str,
    licensee_organisation: str = "",
    licensee_email: str,
    project: str = "",
    provider: str | None = None,
) -> Order:
    """A pending order for `lines` (track, tier), priced and termed by licensing's quote right now.

    Exclusive lines reserve their track for this checkout until it is paid, released or expires; a
    track another buyer is checking out exclusively is refused.
    """
    if not lines:
        raise PaymentsError("Add at least one track to the order.", field="lines")
    tracks = [track for track, _ in lines]
    if len({t.pk for t in tracks}) != len(tracks):
        raise PaymentsError("A track can be in an order only once.", field="lines")
    licensee = _clean_licensee(
        name=licensee_name, organisation=licensee_organisation, email=licensee_email, project=project
    )
    provider = provider or gateway.provider_name()
    if provider not in Order.Provider.values:
        raise PaymentsError(f"Unknown payment provider {provider!r}.", field="provider")
    quotes = []
    for i, (track, tier) in enumerate(lines):
        if track.creator.user_id == buyer.pk:
            raise PaymentsError("You cannot license your own track.", field=f"lines[{i}].track")
        quotes.append(_quote(track=track, tier=tier, prefix=f"lines[{i}]."))

    _release_holds_before(buyer=buyer, tracks=[t for (t, tier) in lines if tier.exclusive])
    now = timezone.now()
    order = Order.objects.create(
        buyer=buyer,
        provider=provider,
        total_cents=sum(q.price_cents for q in quotes),
        currency=settings.PAYMENTS_CURRENCY,
        expires_at=now + timedelta(minutes=settings.CHECKOUT_HOLD_MINUTES),
        created_at=now,
        **licensee,
    )
    for i, ((track, tier), quote) in enumerate(zip(lines, quotes, strict=True)):
        try:
            with transaction.atomic():
                OrderLine.objects.create(
                    order=order,
                    track=track,
                    tier=tier,
                    price_cents=quote.price_cents,
                    currency=quote.currency.lower(),
                    terms=quote.terms,
                    terms_sha256=quote.terms_sha256,
                    exclusive=tier.exclusive,
                    holds_track=tier.exclusive,
                )
        except IntegrityError:
            raise PaymentsError(HOLD_TAKEN, field=f"lines[{i}].track") from None
    return order


def order_checkout_begin(*, order: Order, success_url: str, cancel_url: str) -> Order:
    """Open the provider's checkout for a pending `order` and keep its url and session id.

    The provider is called outside any transaction; when it fails the order is released (its holds
    dropped) and ProviderError says why.
    """
    if order.status != Order.Status.PENDING:
        raise PaymentsError("This order is no longer awaiting payment.", field="order")
    try:
        checkout = gateway.checkout_begin(order=order, success_url=success_url, cancel_url=cancel_url)
    except PaymentsError as exc:
        order_release(order_id=order.pk, reason=f"The checkout could not start: {exc.message}")
        raise
    Order.objects.filter(pk=order.pk).update(
        provider_session_id=checkout.session_id, checkout_url=checkout.url
    )
    order.provider_session_id, order.checkout_url = checkout.session_id, checkout.url
    return order


def _locked(order_id) -> Order:
    try:
        return Order.objects.select_for_update().get(pk=order_id)
    except (Order.DoesNotExist, ValidationError, ValueError):
        raise PaymentsError("No such order.", field="order") from None


@dataclass
class _LineFailure:
    line: OrderLine
    reason: str


@transaction.atomic
def order_mark_paid(*, order_id, payment_id: str, amount_cents: int | None) -> Order:
    """THE fulfilment path, for every provider: the payment for `order_id` succeeded.

    Issues one license per line. A line that cannot be licensed any more (an exclusive buyout another
    order won, a track taken down meanwhile) is refunded on the spot. Paying twice is a no-op; a payment
    that arrives after the order was released still gets what it paid for where that is possible.
    """
    order = _locked(order_id)
    order.newly_paid = False  # tells the caller whether this call did the fulfilling
    if order.status not in (Order.Status.PENDING, Order.Status.RELEASED):
        return order
    order.newly_paid = True
    lines = list(order.lines.select_related("track", "tier").order_by("id"))
    order.provider_payment_id = payment_id or order.provider_payment_id
    order.status = Order.Status.PAID
    order.paid_at = timezone.now()
    if amount_cents is not None and amount_cents != order.total_cents:
        failures = [
            _LineFailure(line, f"The payment ({amount_cents} cents) did not match the order.")
            for line in lines
        ]
    else:
        failures = _issue_licenses(order=order, lines=lines)
    OrderLine.objects.filter(order=order).update(holds_track=False)
    if failures:
        _refund_lines(order=order, failures=failures)
    order.save()
    # The ledger: each licensed line earns its creator their share; unfulfilled lines went back.
    unfulfilled = {f.line.pk for f in failures}
    ledger.post_sale(
        order=order,
        lines=[line for line in lines if line.pk not in unfulfilled],
        unfulfilled_cents=sum(f.line.price_cents for f in failures),
    )
    # Everything bought leaves the cart.
    CartItem.objects.filter(cart__user_id=order.buyer_id, track__in=[line.track for line in lines]).delete()
    return order


def _issue_licenses(*, order: Order, lines: list[OrderLine]) -> list[_LineFailure]:
    failures = []
    for line in lines:
        if line.license_code or line.refunded:
            continue
        try:
            with transaction.atomic():
                issued = licensing.license_issue(
                    source_key=f"order-line:{line.pk}",
                    track=line.track,
                    tier=line.tier,
                    licensee=order.buyer,
                    licensee_name=order.licensee_name,
                    licensee_organisation=order.licensee_organisation,
                    licensee_email=order.licensee_email,
                    project=order.project,
                    price_cents=line.price_cents,
                    currency=line.currency,
                    terms=line.terms,
                )
        except LicensingError as exc:
            failures.append(_LineFailure(line, exc.message))
            continue
        except IntegrityError:
            # The database refused a second exclusive license for the track (a race the lock missed).
            failures.append(_LineFailure(line, "The track was bought out exclusively by another buyer."))
            continue
        line.license_code = issued.code
        line.save(update_fields=["license_code"])
    return failures


def _refund_lines(*, order: Order, failures: list[_LineFailure]) -> None:
    amount = sum(f.line.price_cents for f in failures)
    reason = "; ".join(dict.fromkeys(f.reason for f in failures))
    result = gateway.refund(
        order=order, amount_cents=amount, reason=reason, idempotency_key=f"order-{order.pk}-unfulfilled"
    )
    Refund.objects.create(
        order=order,
        line=failures[0].line if len(failures) == 1 else None,
        provider_refund_id=result.refund_id,
        amount_cents=amount,
        currency=order.currency,
        reason=reason[:240],
    )
    OrderLine.objects.filter(pk__in=[f.line.pk for f in failures]).update(refunded=True)
    order.refunded_cents += amount
    order.failure_reason = reason[:240]
    order.status = (
        Order.Status.REFUNDED
        if order.refunded_cents >= order.total_cents
        else Order.Status.PARTIALLY_REFUNDED
    )


@transaction.atomic
def order_release(*, order_id, reason: str) -> Order:
    """A checkout that expired, failed or was cancelled: the order is released and its holds dropped.
    An order that is no longer pending is left as it is."""
    order = _locked(order_id)
    if order.status != Order.Status.PENDING:
        return order
    order.status = Order.Status.RELEASED
    order.released_at = timezone.now()
    order.failure_reason = reason[:240]
    order.save(update_fields=["status", "released_at", "failure_reason"])
    order.lines.update(holds_track=False)
    return order


def orders_expire_stale(*, buyer: User | None = None) -> int:
    """Release every pending order (of `buyer`, when given) whose hold ran out; the number released."""
    stale = Order.objects.filter(status=Order.Status.PENDING, expires_at__lte=timezone.now())
    if buyer is not None:
        stale = stale.filter(buyer=buyer)
    count = 0
    for order_id in list(stale.values_list("pk", flat=True)):
        if order_release(order_id=order_id, reason="The checkout expired.").status == Order.Status.RELEASED:
            count += 1
    return count


@transaction.atomic
def order_refund(
    *,
    order: Order,
    amount_cents: int | None = None,
    reason: str,
    by: User | None = None,
    refund_id: str = "",
) -> Order:
    """Give back `amount_cents` of a paid order (all that is left when None).

    With `refund_id` the provider already sent the money back (a refund made in its dashboard) and only
    the order is updated; otherwise the refund is made through the gateway. Once the whole order is
    refunded its licenses are revoked; they are never deleted. A partial refund keeps them.
    """
    order = _locked(order.pk)
    if order.status == Order.Status.REFUNDED:
        return order
    if order.status not in (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED):
        raise PaymentsError("Only a paid order can be refunded.", field="order")
    if _dispute_holds(order):
        # The bank took this money back already; Stripe refuses to refund a disputed charge too.
        raise PaymentsError(
            "This order's payment is disputed: it cannot be refunded unless the dispute is won.",
            field="order",
        )
    left = order.total_cents - order.refunded_cents
    amount = left if amount_cents is None else amount_cents
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= left:
        raise PaymentsError(f"Refund between 1 and {left} cents.", field="amount_cents")
    if refund_id and Refund.objects.filter(provider_refund_id=refund_id).exists():
        return order
    if not refund_id:
        result = gateway.refund(
            order=order,
            amount_cents=amount,
            reason=reason,
            idempotency_key=f"order-{order.pk}-refund-{order.refunded_cents}-{amount}",
        )
        refund_id = result.refund_id
    refund = Refund.objects.create(
        order=order,
        provider_refund_id=refund_id,
        amount_cents=amount,
        currency=order.currency,
        reason=reason[:240],
        by=by,
    )
    payouts.reverse_for(order=order, amount_cents=amount, kind=LedgerEntry.Kind.REFUND, refund=refund)
    order.refunded_cents += amount
    if order.refunded_cents >= order.total_cents:
        order.status = Order.Status.REFUNDED
        for license in _licenses_of(order):
            if license.status != license.Status.REVOKED:
                licensing.license_revoke(license=license, reason=f"Refunded: {reason}"[:240])
        order.lines.update(refunded=True)
    else:
        order.status = Order.Status.PARTIALLY_REFUNDED
    order.save(update_fields=["status", "refunded_cents"])
    return order


@transaction.atomic
def order_dispute(*, payment_id: str = "", order_id=None, reason: str) -> Order:
    """The buyer's bank disputes the payment: the order's licenses are marked disputed (kept, not
    revoked, until the dispute is decided) and the disputed money is taken back from the creators'
    shares and the platform in the ledger (transfers reversed where already paid out)."""
    order = _locked(_order_id_for(payment_id=payment_id, order_id=order_id))
    order.dispute_applied = not _dispute_won(order)  # tells the caller whether this call held anything
    if not order.dispute_applied:
        return order  # the bank's decision arrived first: the dispute is over, nothing to hold
    for license in _licenses_of(order):
        if license.status == license.Status.ACTIVE:
            licensing.license_dispute(license=license, reason=f"Disputed: {reason}"[:240])
    # The bank takes back what the buyer still had paid; the creators' shares of it are reversed once.
    held = order.total_cents - order.refunded_cents
    disputed = LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.DISPUTE).exists()
    if order.paid_at is not None and held > 0 and not disputed:
        payouts.reverse_for(order=order, amount_cents=held, kind=LedgerEntry.Kind.DISPUTE)
    return order


def _order_id_for(*, payment_id: str, order_id: uuid.UUID | str | None) -> uuid.UUID | str:
    """The order `order_id`, or else the one paid with `payment_id` (PaymentsError naming it if none)."""
    if order_id is not None:
        return order_id
    found = Order.objects.filter(provider_payment_id=payment_id).values_list("pk", flat=True).first()
    if not payment_id or found is None:
        raise PaymentsError("No order was paid with this payment.", field="payment_id")
    return found


def _dispute_won(order: Order) -> bool:
    return LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.DISPUTE_WON).exists()


def _dispute_holds(order: Order) -> bool:
    """A dispute took the order's money and has not been won (it is open, or was lost)."""
    kinds = set(
        LedgerEntry.objects.filter(
            order=order, kind__in=[LedgerEntry.Kind.DISPUTE, LedgerEntry.Kind.DISPUTE_WON]
        ).values_list("kind", flat=True)
    )
    return kinds == {LedgerEntry.Kind.DISPUTE}


@transaction.atomic
def order_dispute_won(*, payment_id: str = "", order_id: uuid.UUID | str | None = None, reason: str) -> Order:
    """The bank decided the dispute of the order's payment for us and gave the money back: licenses
    that were disputed become active again and the dispute's ledger posting is reversed exactly, so the
    creators and the platform get back the cents it took (a payout run then pays creators what a
    dispute had pulled back from their transfers). Once per order.

    A decision that arrives before the dispute's own notice posts the dispute and its reversal together
    (nothing is pulled back from anyone in between), and the later notice changes nothing, so every
    order of arrival ends the same way. Licenses revoked meanwhile (a full refund) stay revoked."""
    order = _locked(_order_id_for(payment_id=payment_id, order_id=order_id))
    if order.paid_at is None:
        raise PaymentsError("Only a paid order can win a dispute.", field="order")
    order.newly_won = not _dispute_won(order)  # tells the caller whether this call did the giving back
    if not order.newly_won:
        return order
    held = order.total_cents - order.refunded_cents
    if not LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.DISPUTE).exists() and held > 0:
        ledger.post_reversal(order=order, amount_cents=held, kind=LedgerEntry.Kind.DISPUTE)
    ledger.post_dispute_won(order=order)
    for license in _licenses_of(order):
        if license.status != license.Status.DISPUTED:
            continue
        try:
            licensing.license_reinstate(license=license, reason=f"Dispute won: {reason}"[:240])
        except LicensingError as exc:
            # An exclusive buyout sold again meanwhile: the license stays disputed for staff to settle.
            log.warning("license %s stays disputed: %s", license.code, exc.message)
    return order


def order_fee_sync(*, order_id: uuid.UUID | str) -> str:
    """Record the fee the provider kept of `order_id`'s payment, once it is known; returns what it did,
    in words. Posted once per order however often it is called (`ledger.post_fee`); the platform bears
    it and it stays with the provider on refunds. Raises ProviderError when the provider cannot be
    asked (the caller decides whether that matters)."""
    with transaction.atomic():
        order = _locked(order_id)
        if order.paid_at is None:
            return "waiting: the order is not paid yet"
        if ledger.order_fee_cents(order=order) is not None:
            return "ignored: fee already recorded"
        fee = gateway.payment_fee(order=order)
        if fee is None:
            return "waiting: the fee is not known yet"
        label = "simulated fee" if fee.simulated else "fee"
        recorded = ledger.post_fee(
            order=order,
            fee_cents=fee.fee_cents,
            currency=fee.currency,
            memo=f"{label} of charge {fee.charge_id} ({fee.reference})",
        )
    return "fee recorded" if recorded.posted else "ignored: no fee"


def _licenses_of(order: Order) -> list[License]:
    keys = [f"order-line:{pk}" for pk in order.lines.values_list("pk", flat=True)]
    return list(licensing_selectors.licenses_by_source(source_keys=keys).order_by("id"))
