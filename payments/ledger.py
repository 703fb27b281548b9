"""The double-entry ledger: what every sale, refund, dispute and payout does to whose money.

Postings are written by the payments room's services, inside their transactions, and never edited.
Each posting sums to zero per currency, and so does each order. Accounts:

- `creator:<id>`: what the marketplace owes a creator (their share of sales, less refunds and payouts);
- `platform`: the marketplace's commission;
- `processor`: the money the payment provider collected (the negative side of every sale);
- `processor_fees`: what the provider kept as its fee; the platform bears it (`platform −fee`), so a
  creator's share stays a share of the price, and it is not given back on a refund (Stripe keeps it);
- `refunds`, `disputes`: money that went back to buyers or was withdrawn by their banks (a won dispute
  gives the latter back);
- `payouts`: money transferred to creators (less what transfer reversals pulled back).

Rounding always favours the creator on the way in (the platform takes the remainder cents) and is
settled exactly when an order is refunded in full.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from payments.models import LedgerEntry, Order, OrderLine, Payout, Refund, creator_account


def _post(
    entries: list[tuple[str, int, dict]], *, kind: str, currency: str, at: datetime | None = None, **links
) -> list[LedgerEntry]:
    """Write one posting: (account, amount, extra links) rows that must sum to zero; zero rows are
    dropped."""
    total = sum(amount for _, amount, _ in entries)
    if total != 0:
        raise ValueError(f"a posting must sum to zero, this one sums to {total}")
    posting = uuid.uuid4()
    at = at or timezone.now()
    rows = [
        LedgerEntry(
            posting=posting,
            kind=kind,
            account=account,
            amount_cents=amount,
            currency=currency,
            created_at=at,
            **(links | extra),
        )
        for account, amount, extra in entries
        if amount
    ]
    return LedgerEntry.objects.bulk_create(rows)


def creator_share(price_cents: int) -> int:
    """The creator's cut of a price, CREATOR_SHARE_PERCENT rounded down; the platform keeps the rest."""
    return price_cents * settings.CREATOR_SHARE_PERCENT // 100


def post_sale(*, order: Order, lines: list[OrderLine], unfulfilled_cents: int) -> None:
    """A paid order: the processor collected the total; each sold line credits its creator's share and
    the platform the rest. Lines refunded at once (they could not be licensed) go to `refunds`."""
    if LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.SALE).exists():
        return
    rows: list[tuple[str, int, dict]] = [(LedgerEntry.PROCESSOR, -order.total_cents, {})]
    for line in lines:
        if line.refunded:
            continue
        share = creator_share(line.price_cents)
        rows.append((creator_account(line.track.creator_id), share, {"order_line": line}))
        rows.append((LedgerEntry.PLATFORM, line.price_cents - share, {"order_line": line}))
    rows.append((LedgerEntry.REFUNDS, unfulfilled_cents, {}))
    _post(rows, kind=LedgerEntry.Kind.SALE, currency=order.currency, at=order.paid_at, order=order)


@dataclass
class Reversed:
    """What one refund or dispute took back from each creator (creator id -> cents)."""

    by_creator: dict[int, int]


def post_reversal(*, order: Order, amount_cents: int, kind: str, refund: Refund | None = None) -> Reversed:
    """Money of `order` went back to the buyer (a refund) or was withdrawn (a dispute): take it back
    from its creators and the platform in proportion to what they earned.

    Cumulative: after refunds totalling R of the amount B that was sold, each line's creator has given
    back floor(share * R / B), and all of it once R reaches B, so partial refunds never drift.
    """
    sold = LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.SALE).exclude(
        account__in=[LedgerEntry.PROCESSOR, LedgerEntry.REFUNDS]
    )
    if not sold.exists():
        return Reversed({})
    shares: dict[int, tuple[str, int]] = {}
    base = 0
    for entry in sold:
        base += entry.amount_cents
        if entry.account.startswith("creator:"):
            shares[entry.order_line_id] = (entry.account, entry.amount_cents)
    # A won dispute's entries cancel its dispute's: what it gave back counts as never taken.
    taken = LedgerEntry.objects.filter(
        order=order,
        kind__in=[LedgerEntry.Kind.REFUND, LedgerEntry.Kind.DISPUTE, LedgerEntry.Kind.DISPUTE_WON],
    ).exclude(account__in=[LedgerEntry.REFUNDS, LedgerEntry.DISPUTES])
    before = -sum(e.amount_cents for e in taken)
    given_back: dict[int, int] = defaultdict(int)
    for entry in taken:
        if entry.account.startswith("creator:"):
            given_back[entry.order_line_id] -= entry.amount_cents
    after = min(base, before + amount_cents)
    rows: list[tuple[str, int, dict]] = []
    creators: dict[int, int] = defaultdict(int)
    from_creators = 0
    for line_id, (account, share) in shares.items():
        target = share if after >= base else share * after // base
        delta = target - given_back[line_id]
        if delta:
            rows.append((account, -delta, {"order_line_id": line_id}))
            creators[int(account.split(":", 1)[1])] += delta
            from_creators += delta
    # Whatever is not the creators' comes out of the platform's commission (all of it past the base).
    rows.append((LedgerEntry.PLATFORM, -(amount_cents - from_creators), {}))
    sink = LedgerEntry.REFUNDS if kind == LedgerEntry.Kind.REFUND else LedgerEntry.DISPUTES
    rows.append((sink, amount_cents, {}))
    _post(rows, kind=kind, currency=order.currency, order=order, refund=refund)
    return Reversed(dict(creators))


def post_dispute_won(*, order: Order) -> Reversed:
    """The bank decided `order`'s dispute for us and returned the money: the dispute's posting is
    reversed entry by entry (same accounts, same lines, opposite signs), so each creator and the platform
    get back exactly the cents it took. Once per order; nothing when the dispute took nothing.
    Returns what each creator got back."""
    if LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.DISPUTE_WON).exists():
        return Reversed({})
    disputed = list(LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.DISPUTE).order_by("id"))
    if not disputed:
        return Reversed({})
    rows: list[tuple[str, int, dict]] = []
    creators: dict[int, int] = defaultdict(int)
    for entry in disputed:
        rows.append((entry.account, -entry.amount_cents, {"order_line_id": entry.order_line_id}))
        if entry.account.startswith("creator:"):
            creators[int(entry.account.split(":", 1)[1])] -= entry.amount_cents
    _post(rows, kind=LedgerEntry.Kind.DISPUTE_WON, currency=disputed[0].currency, order=order)
    return Reversed(dict(creators))


@dataclass(frozen=True)
class FeeRecorded:
    """The fee posting of one order: whether this call wrote it, and the cents it holds."""

    posted: bool
    fee_cents: int


def post_fee(*, order: Order, fee_cents: int, currency: str, memo: str) -> FeeRecorded:
    """The payment provider kept `fee_cents` of `order`'s charge: `processor_fees +fee`, `platform −fee`.

    The platform bears the fee (creators' shares are shares of the price). Posted once per order (the
    order has one charge; a database constraint backs this check); a zero fee posts nothing. `currency`
    is the fee's, which with Stripe is the platform's settlement currency and may differ from the
    order's: the posting balances in it on its own."""
    if isinstance(fee_cents, bool) or not isinstance(fee_cents, int) or fee_cents < 0:
        raise ValueError(f"fee_cents must be a whole number of cents, not {fee_cents!r}")
    existing = LedgerEntry.objects.filter(
        order=order, kind=LedgerEntry.Kind.FEE, account=LedgerEntry.PROCESSOR_FEES
    ).first()
    if existing is not None:
        return FeeRecorded(posted=False, fee_cents=existing.amount_cents)
    _post(
        [
            (LedgerEntry.PROCESSOR_FEES, fee_cents, {"memo": memo[:240]}),
            (LedgerEntry.PLATFORM, -fee_cents, {"memo": memo[:240]}),
        ],
        kind=LedgerEntry.Kind.FEE,
        currency=currency.lower(),
        order=order,
    )
    return FeeRecorded(posted=fee_cents > 0, fee_cents=fee_cents)


def order_fee_cents(*, order: Order) -> int | None:
    """The provider's fee recorded for `order` (None while it is not known)."""
    entry = LedgerEntry.objects.filter(
        order=order, kind=LedgerEntry.Kind.FEE, account=LedgerEntry.PROCESSOR_FEES
    ).first()
    return entry.amount_cents if entry else None


def post_payout(*, payout: Payout) -> None:
    """Earnings leave the creator's account for the payout (reserved when the payout is made, so a
    retried transfer never pays them twice)."""
    _post(
        [
            (creator_account(payout.creator_id), -payout.amount_cents, {}),
            (LedgerEntry.PAYOUTS, payout.amount_cents, {}),
        ],
        kind=LedgerEntry.Kind.PAYOUT,
        currency=payout.currency,
        payout=payout,
        at=payout.created_at,
    )


def post_transfer_reversal(*, payout: Payout, order: Order, amount_cents: int) -> None:
    """Part of a paid transfer came back from the creator: it is credited to their account again."""
    _post(
        [(creator_account(payout.creator_id), amount_cents, {}), (LedgerEntry.PAYOUTS, -amount_cents, {})],
        kind=LedgerEntry.Kind.REVERSAL,
        currency=payout.currency,
        payout=payout,
        order=order,
    )


# --- balances (always sums of entries) ----------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """A creator's money in one currency: `available_cents` can be paid out now (it may be negative,
    after a refund of money already paid); `pending_cents` are earnings still inside the hold."""

    available_cents: int
    pending_cents: int
    currency: str

    @property
    def total_cents(self) -> int:
        return self.available_cents + self.pending_cents


def hold_cutoff(*, now: datetime | None = None, hold_days: int | None = None) -> datetime:
    """Sales made before this moment are out of the refund hold (PAYOUT_HOLD_DAYS)."""
    days = settings.PAYOUT_HOLD_DAYS if hold_days is None else hold_days
    return (now or timezone.now()) - timedelta(days=days)


def account_balance(*, account: str, currency: str) -> int:
    """The sum of every entry of `account` in `currency`."""
    total = LedgerEntry.objects.filter(account=account, currency=currency).aggregate(s=Sum("amount_cents"))
    return total["s"] or 0


def creator_balance(*, creator_id: int, currency: str, cutoff: datetime | None = None) -> Balance:
    """`creator_id`'s balance: sale earnings younger than `cutoff` (and than the last payout's) are
    pending, the rest available. Refunds, disputes and payouts count at once."""
    cutoff = cutoff or hold_cutoff()
    # Earnings a payout already paid are not pending, even when that payout was made without the hold.
    paid_through = (
        Payout.objects.filter(creator_id=creator_id, currency=currency)
        .order_by("-earned_before")
        .values_list("earned_before", flat=True)
        .first()
    )
    if paid_through is not None and paid_through > cutoff:
        cutoff = paid_through
    entries = LedgerEntry.objects.filter(account=creator_account(creator_id), currency=currency)
    sums = entries.aggregate(
        total=Sum("amount_cents"),
        pending=Sum(
            "amount_cents", filter=Q(kind=LedgerEntry.Kind.SALE, created_at__gt=cutoff, amount_cents__gt=0)
        ),
    )
    total, pending = sums["total"] or 0, sums["pending"] or 0
    return Balance(available_cents=total - pending, pending_cents=pending, currency=currency)
