"""Reads of the payments room, shaped for its pages and API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import CreatorProfile, User
from catalog import selectors as catalog_selectors
from catalog.models import Track
from licensing import selectors as licensing_selectors
from licensing.models import License
from payments import ledger
from payments.ledger import Balance
from payments.models import (
    CartItem,
    ConnectAccount,
    LedgerEntry,
    Order,
    OrderLine,
    Payout,
    PayoutRun,
    Refund,
    creator_account,
)
from payments.services import NOT_FOR_SALE, not_for_sale_reason


@dataclass
class CartRow:
    item: CartItem
    offers: list  # licensing Offers of the track: tier, price_cents, currency
    price_cents: int | None  # today's price of the chosen tier; None when it is not on sale
    currency: str
    problem: str | None  # why this line cannot be bought now


@dataclass
class CartView:
    rows: list[CartRow] = field(default_factory=list)
    total_cents: int = 0
    currency: str = "usd"

    @property
    def buyable(self) -> bool:
        return bool(self.rows) and not any(row.problem for row in self.rows)


def cart_count(*, user: User | AnonymousUser) -> int:
    """How many tracks are in `user`'s cart (0 for visitors)."""
    if not user.is_authenticated:
        return 0
    return CartItem.objects.filter(cart__user=user).count()


def cart_of(*, user: User, currency: str) -> CartView:
    """`user`'s cart with today's prices and, per line, the tiers it could change to."""
    items = (
        CartItem.objects.filter(cart__user=user)
        .select_related("track__creator", "tier")
        .order_by("added_at", "id")
    )
    view = CartView(currency=currency)
    for item in items:
        reason = not_for_sale_reason(track=item.track)
        offers = [] if reason else list(licensing_selectors.track_offers(track=item.track))
        offer = next((o for o in offers if o.tier.pk == item.tier_id), None)
        if offer is None and not reason:
            reason = f"The {item.tier.name} license is no longer offered for this track; pick another tier."
        row = CartRow(
            item=item,
            offers=offers,
            price_cents=offer.price_cents if offer else None,
            currency=offer.currency if offer else currency,
            problem=reason,
        )
        view.rows.append(row)
        view.total_cents += row.price_cents or 0
    return view


def cart_tier_of(*, user: User, track) -> str | None:
    """The slug of the tier `track` is in `user`'s cart at, or None."""
    return CartItem.objects.filter(cart__user=user, track=track).values_list("tier__slug", flat=True).first()


def cart_lines(*, user: User) -> list[tuple]:
    """The (track, tier) pairs in `user`'s cart, in the order they were added."""
    items = (
        CartItem.objects.filter(cart__user=user)
        .select_related("track__creator", "tier")
        .order_by("added_at", "id")
    )
    return [(item.track, item.tier) for item in items]


def track_for_order(*, slug: str, user: User):
    """The track `slug` as a buyer names it: one they may see, or one that left the catalog (withdrawn,
    taken down, sold exclusively), so the refusal can say why. None for no such track."""
    track = catalog_selectors.track_get(slug=slug, user=user)
    if track is None:
        track = (
            Track.objects.select_related("creator").filter(slug=slug, status__in=list(NOT_FOR_SALE)).first()
        )
    return track


def cart_track(*, user: User, slug: str):
    """The track `slug` in `user`'s cart (whatever its status now), or None."""
    item = CartItem.objects.filter(cart__user=user, track__slug=slug).select_related("track").first()
    return item.track if item else None


def licensee_last(*, user: User) -> Order | None:
    """`user`'s latest order, whose licensee details the next checkout starts from."""
    return Order.objects.filter(buyer=user).order_by("-created_at").first()


def _orders() -> QuerySet[Order]:
    lines = OrderLine.objects.select_related("track__creator", "tier").order_by("id")
    return Order.objects.select_related("buyer").prefetch_related(Prefetch("lines", queryset=lines))


def orders_of(*, user: User) -> QuerySet[Order]:
    """`user`'s orders, newest first, with their lines."""
    return _orders().filter(buyer=user).order_by("-created_at", "-pk")


def order_get(*, pk, user: User | AnonymousUser) -> Order | None:
    """The order `pk` if `user` bought it or is staff; None otherwise (and for a malformed id)."""
    if not user.is_authenticated:
        return None
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        return None
    qs = _orders().prefetch_related("refunds")
    if not user.is_staff:
        qs = qs.filter(buyer=user)
    return qs.filter(pk=pk).first()


def order_licenses(*, order: Order) -> dict[int, License]:
    """The licenses issued for `order`, by order line id."""
    keys = {f"order-line:{line.pk}": line.pk for line in order.lines.all()}
    return {keys[lic.source_key]: lic for lic in licensing_selectors.licenses_by_source(source_keys=keys)}


def order_refunds(*, order: Order) -> QuerySet[Refund]:
    return Refund.objects.filter(order=order).order_by("created_at", "id")


# --- creators' earnings and payouts ---------------------------------------------------------------


@dataclass
class DayTotal:
    day: date
    cents: int
    sales: int


@dataclass
class EarningsRow:
    label: str
    sales: int
    earned_cents: int  # the creator's share of sales, less refunds and disputes


@dataclass
class Earnings:
    balance: Balance
    account: ConnectAccount | None
    next_payout_at: datetime
    days: list[DayTotal]
    by_track: list[EarningsRow]
    by_tier: list[EarningsRow]
    payouts: list[Payout]
    threshold_cents: int
    lifetime_cents: int


def next_payout_at(*, now: datetime | None = None) -> datetime:
    """When the payout schedule (PAYOUT_SCHEDULE) next runs, to the minute."""
    now = now or timezone.now()
    schedule = settings.PAYOUT_SCHEDULE
    due = now + schedule.remaining_estimate(now)
    return (due + timedelta(seconds=1)).replace(second=0, microsecond=0)


def _creator_entries(creator: CreatorProfile, currency: str) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(account=creator_account(creator.pk), currency=currency)


def _rows(entries: QuerySet[LedgerEntry], key: str, label: str) -> list[EarningsRow]:
    """Net earnings and number of sales per `key` (a track, a tier), shown by `label`."""
    rows = (
        entries.exclude(order_line=None)
        .values(key, label)
        .annotate(
            earned=Sum("amount_cents"),
            sales=Count("id", filter=Q(kind=LedgerEntry.Kind.SALE)),
        )
        .order_by("-earned", label, key)
    )
    return [EarningsRow(label=row[label], sales=row["sales"], earned_cents=row["earned"]) for row in rows]


def creator_earnings(*, creator: CreatorProfile, currency: str, days: int = 30) -> Earnings:
    """Everything the creator's earnings page shows, in a constant number of queries."""
    entries = _creator_entries(creator, currency)
    since = timezone.localdate() - timedelta(days=days - 1)
    sales = entries.filter(kind=LedgerEntry.Kind.SALE, created_at__date__gte=since)
    per_day = {
        row["day"]: row
        for row in sales.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(cents=Sum("amount_cents"), sales=Count("id"))
    }
    series = []
    for offset in range(days):
        day = since + timedelta(days=offset)
        row = per_day.get(day, {})
        series.append(DayTotal(day=day, cents=row.get("cents", 0), sales=row.get("sales", 0)))
    lifetime = entries.filter(kind=LedgerEntry.Kind.SALE).aggregate(s=Sum("amount_cents"))["s"] or 0
    return Earnings(
        balance=ledger.creator_balance(creator_id=creator.pk, currency=currency),
        account=ConnectAccount.objects.filter(creator=creator).first(),
        next_payout_at=next_payout_at(),
        days=series,
        by_track=_rows(entries, "order_line__track_id", "order_line__track__title"),
        by_tier=_rows(entries, "order_line__tier_id", "order_line__tier__name"),
        payouts=list(Payout.objects.filter(creator=creator).order_by("-created_at", "-pk")[:50]),
        threshold_cents=settings.PAYOUT_THRESHOLD_CENTS,
        lifetime_cents=lifetime,
    )


def creator_balance(*, creator: CreatorProfile, currency: str) -> Balance:
    return ledger.creator_balance(creator_id=creator.pk, currency=currency)


def creator_payouts(*, creator: CreatorProfile) -> QuerySet[Payout]:
    return Payout.objects.filter(creator=creator).order_by("-created_at", "-pk")


def statement_lines(*, creator: CreatorProfile, currency: str) -> Iterator[dict]:
    """The creator's statement: every entry of their account, oldest first, with a running balance."""
    entries = (
        _creator_entries(creator, currency)
        .select_related("order_line__track", "order_line__tier", "payout")
        .order_by("created_at", "id")
    )
    running = 0
    for entry in entries.iterator(chunk_size=500):
        running += entry.amount_cents
        line = entry.order_line
        yield {
            "date": entry.created_at,
            "kind": entry.get_kind_display(),
            "track": line.track.title if line else "",
            "tier": line.tier.name if line else "",
            "order": str(entry.order_id or ""),
            "payout": str(entry.payout_id or ""),
            "amount_cents": entry.amount_cents,
            "balance_cents": running,
            "currency": entry.currency,
        }


def payout_runs(*, limit: int = 50) -> list[PayoutRun]:
    """The latest payout runs, newest first, with who started them and their payouts."""
    return list(
        PayoutRun.objects.select_related("by")
        .prefetch_related(Prefetch("payouts", queryset=Payout.objects.select_related("creator")))
        .order_by("-started_at", "-id")[:limit]
    )


def payouts_open() -> QuerySet[Payout]:
    """Payouts whose transfer has not gone through yet (the next run tries them again)."""
    return (
        Payout.objects.filter(status__in=["pending", "failed"])
        .select_related("creator")
        .order_by("created_at")
    )
