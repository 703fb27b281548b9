"""Carts, orders with their frozen lines, and the payment events that moved them.

Money is integer cents with a currency. An order records the provider's checkout session and payment
ids so the ledger can post from them later.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Cart(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"cart of {self.user_id}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    track = models.ForeignKey("catalog.Track", on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey("licensing.LicenseTier", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("added_at", "id")
        constraints = [
            # One tier per track in a cart: choosing another tier replaces the first.
            models.UniqueConstraint(fields=["cart", "track"], name="cart_item_unique_track"),
        ]

    def __str__(self) -> str:
        return f"{self.track_id} ({self.tier_id}) in {self.cart_id}"


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        RELEASED = "released", "Released"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"

    class Provider(models.TextChoices):
        SANDBOX = "sandbox", "Sandbox"
        STRIPE = "stripe", "Stripe"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(max_length=10, choices=Provider.choices)
    # Stripe: the Checkout Session id (cs_...); sandbox: "sbx_<order id>". Blank until checkout begins.
    provider_session_id = models.CharField(max_length=255, blank=True)
    # Stripe: the PaymentIntent id (pi_...) once paid; sandbox: a made-up "pi_sandbox_..." reference.
    provider_payment_id = models.CharField(max_length=255, blank=True)
    # Where the buyer pays: the provider's hosted page, or the local sandbox page.
    checkout_url = models.URLField(max_length=2000, blank=True)
    total_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    licensee_name = models.CharField(max_length=120)
    licensee_organisation = models.CharField(max_length=120, blank=True)
    licensee_email = models.EmailField()
    project = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="when the checkout hold on exclusive tracks ends")
    paid_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    refunded_cents = models.PositiveIntegerField(default=0)
    failure_reason = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_created"),
            models.Index(fields=["status", "expires_at"], name="order_status_expires"),
            models.Index(fields=["provider_payment_id"], name="order_payment_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_session_id"],
                condition=~Q(provider_session_id=""),
                name="order_provider_session_unique",
            ),
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=models.F("total_cents")), name="order_refund_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"order {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING


class OrderLine(models.Model):
    """One track at one tier, its price and terms frozen when the order was made."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    track = models.ForeignKey("catalog.Track", on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey("licensing.LicenseTier", on_delete=models.PROTECT, related_name="+")
    price_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    terms = models.JSONField()
    terms_sha256 = models.CharField(max_length=64)
    exclusive = models.BooleanField(default=False)
    # True while the order is pending for an exclusive line: the track is reserved for this checkout.
    holds_track = models.BooleanField(default=False)
    license_code = models.CharField(max_length=24, blank=True)
    refunded = models.BooleanField(default=False)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=["track"],
                condition=Q(holds_track=True),
                name="one_open_exclusive_checkout_per_track",
            ),
            models.UniqueConstraint(fields=["order", "track"], name="order_line_unique_track"),
            models.CheckConstraint(
                condition=Q(holds_track=False) | Q(exclusive=True), name="order_line_hold_only_exclusive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.track_id} ({self.tier_id}) in {self.order_id}"


class Refund(models.Model):
    """Money sent back to the buyer: by staff, automatically for a line that could not be licensed, or
    reported by the provider (a refund made in its dashboard)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    provider_refund_id = models.CharField(max_length=255, blank=True)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=240)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["provider_refund_id"],
                condition=~Q(provider_refund_id=""),
                name="refund_provider_id_unique",
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"refund {self.amount_cents} {self.currency} of {self.order_id}"


class PaymentEvent(models.Model):
    """A webhook or sandbox event, recorded once: a replayed event id is a no-op."""

    provider = models.CharField(max_length=10, choices=Order.Provider.choices)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=80)
    received_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(default=dict)
    # What the event says, as read from its payload: the payment it is about and its amount (paid, or
    # refunded so far), so an event that waits for its payment can be applied later as it came.
    payment_id = models.CharField(max_length=255, blank=True)
    amount_cents = models.BigIntegerField(null=True, blank=True)
    result = models.TextField(blank=True)
    # The order the event is about, once known; events that arrive before the payment are applied
    # when it arrives.
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")

    class Meta:
        ordering = ("-received_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payment_event_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.type}"


# --- the ledger, Connect accounts and payouts -------------------------------------------------------


def creator_account(creator_id: int) -> str:
    """The ledger account of a creator's earnings."""
    return f"creator:{creator_id}"


class LedgerEntry(models.Model):
    """One line of a double-entry posting. Entries are written once and never changed or deleted.

    Sign: a positive amount is money the marketplace owes that account (a creator's earnings, the
    platform's commission, money that left to a buyer, to a creator's bank or to the processor as its
    fee); the negative side is the money the processor collected, and the fee the platform bears. Every
    posting sums to zero per currency, so does every order.
    Balances are sums of entries, never stored.
    """

    class Kind(models.TextChoices):
        SALE = "sale", "Sale"
        REFUND = "refund", "Refund"
        DISPUTE = "dispute", "Dispute"
        PAYOUT = "payout", "Payout"
        REVERSAL = "reversal", "Transfer reversal"
        FEE = "fee", "Processor fee"
        DISPUTE_WON = "dispute_won", "Dispute won"

    PLATFORM = "platform"
    PROCESSOR = "processor"
    PROCESSOR_FEES = "processor_fees"
    REFUNDS = "refunds"
    DISPUTES = "disputes"
    PAYOUTS = "payouts"

    posting = models.UUIDField(db_index=True, help_text="the entries written together, summing to zero")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    account = models.CharField(max_length=64)
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    payout = models.ForeignKey(
        "payments.Payout", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField(default=timezone.now)
    memo = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["account", "currency", "created_at"], name="ledger_account_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_cents=0), name="ledger_entry_not_zero"),
            # The provider's fee of an order's charge is posted once, however often it is reported.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="fee", account="processor_fees"),
                name="ledger_one_fee_per_order",
            ),
            # A won dispute gives its money back once.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="dispute_won", account="disputes"),
                name="ledger_one_dispute_won_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_cents:+d} {self.currency} ({self.kind})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Ledger entries are immutable: post a correcting entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are immutable: post a correcting entry instead.")


class ConnectAccount(models.Model):
    """A creator's account with the payout provider (a Stripe Express account, or a simulated one)."""

    creator = models.OneToOneField(
        "accounts.CreatorProfile", on_delete=models.PROTECT, related_name="connect_account"
    )
    provider = models.CharField(max_length=10, choices=Order.Provider.choices)
    account_id = models.CharField(max_length=255, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The time of the provider's latest account event applied: an older one arriving later is ignored.
    provider_updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.account_id} ({self.provider}) of {self.creator_id}"


class PayoutRun(models.Model):
    """One pass over every creator: who was paid, who failed, who was skipped and why."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        STAFF = "staff", "Staff"
        DEMO = "demo", "Demo"

    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    paid_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)
    notes = models.TextField(blank=True, help_text="failures and skipped creators, one per line")

    class Meta:
        ordering = ("-started_at", "-id")

    def __str__(self) -> str:
        return f"payout run {self.pk} ({self.trigger})"


class Payout(models.Model):
    """Money owed to one creator, sent as one transfer. A failed transfer is retried later with the
    same payout and the same idempotency key, so it can never be sent twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed, will retry"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    creator = models.ForeignKey("accounts.CreatorProfile", on_delete=models.PROTECT, related_name="payouts")
    connect_account = models.ForeignKey(ConnectAccount, on_delete=models.PROTECT, related_name="payouts")
    # The provider and account the transfer goes to, as they were when the payout was made.
    provider = models.CharField(max_length=10, choices=Order.Provider.choices)
    account_id = models.CharField(max_length=255)
    run = models.ForeignKey(
        PayoutRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="payouts"
    )
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=80, unique=True)
    transfer_id = models.CharField(max_length=255, blank=True)
    reversed_cents = models.PositiveIntegerField(default=0)
    failure_message = models.CharField(max_length=240, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Earnings made before this moment are what the payout paid (the hold keeps later ones back).
    earned_before = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=Q(reversed_cents__lte=models.F("amount_cents")), name="payout_reversal_within"
            ),
            # At most one unpaid payout per creator and currency: a retry reuses it, never adds one.
            models.UniqueConstraint(
                fields=["creator", "currency"],
                condition=Q(status__in=["pending", "failed"]),
                name="payout_one_open_per_creator",
            ),
        ]

    def __str__(self) -> str:
        return f"payout {self.amount_cents} {self.currency} to {self.creator_id} ({self.status})"


class TransferReversal(models.Model):
    """Part of a paid payout pulled back from the creator after a refund or dispute."""

    class Status(models.TextChoices):
        REVERSED = "reversed", "Reversed"
        FAILED = "failed", "Failed"

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="reversals")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices)
    provider_reversal_id = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    failure_message = models.CharField(max_length=240, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="transfer_reversal_positive"),
        ]

    def __str__(self) -> str:
        return f"reversal {self.amount_cents} {self.currency} of {self.payout_id} ({self.status})"
