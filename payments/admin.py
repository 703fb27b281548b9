"""Staff views of orders (with a Refund action), payment events, the ledger, payout accounts (with a
"run payouts now" action), payouts and their runs (read-only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery

from accounts.models import CreatorProfile
from licensing.money import format_money
from payments import payouts, services
from payments.errors import PaymentsError
from payments.models import (
    ConnectAccount,
    LedgerEntry,
    Order,
    OrderLine,
    PaymentEvent,
    Payout,
    PayoutRun,
    Refund,
    TransferReversal,
)


class _ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(_ReadOnly, admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = (
        "track",
        "tier",
        "price_cents",
        "currency",
        "exclusive",
        "holds_track",
        "license_code",
        "refunded",
    )
    readonly_fields = fields


class RefundInline(_ReadOnly, admin.TabularInline):
    model = Refund
    extra = 0
    fields = ("created_at", "amount_cents", "currency", "provider_refund_id", "reason", "by")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "pk",
        "buyer",
        "status",
        "provider",
        "total_cents",
        "refunded_cents",
        "processor_fee",
        "currency",
        "created_at",
    )
    list_filter = ("status", "provider")
    search_fields = ("=id", "buyer__email", "licensee_email", "provider_session_id", "provider_payment_id")
    date_hierarchy = "created_at"
    inlines = (OrderLineInline, RefundInline)
    actions = ("refund",)
    readonly_fields = [field.name for field in Order._meta.fields] + ["processor_fee"]

    def get_queryset(self, request):
        # The provider's fee, from the ledger (one posting per order), in one query for the whole list.
        fee = LedgerEntry.objects.filter(
            order=OuterRef("pk"), kind=LedgerEntry.Kind.FEE, account=LedgerEntry.PROCESSOR_FEES
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                fee_cents=Subquery(fee.values("amount_cents")[:1]),
                fee_currency=Subquery(fee.values("currency")[:1]),
            )
        )

    @admin.display(description="Processor fee", ordering="fee_cents")
    def processor_fee(self, order) -> str:
        """What the provider kept (borne by the platform; simulated in the sandbox), "—" until known."""
        if getattr(order, "fee_cents", None) is None:
            return "—"
        label = format_money(order.fee_cents, order.fee_currency)
        return f"{label} (simulated)" if order.provider == Order.Provider.SANDBOX else label

    def has_refund_permission(self, request) -> bool:
        # Orders are never edited by hand; the permission to change them is the permission to refund.
        return request.user.has_perm("payments.change_order")

    @admin.action(
        description="Refund the selected orders in full (revokes their licenses)", permissions=["refund"]
    )
    def refund(self, request, queryset) -> None:
        done = 0
        for order in queryset:
            try:
                services.order_refund(order=order, reason="Refunded by staff.", by=request.user)
            except PaymentsError as exc:
                self.message_user(request, f"Order {order.pk}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"Refunded {done} order{'s' if done != 1 else ''}.", messages.SUCCESS)


@admin.register(PaymentEvent)
class PaymentEventAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("event_id", "provider", "type", "order", "result", "received_at")
    list_filter = ("provider", "type")
    search_fields = ("event_id", "payment_id", "=order__id")
    readonly_fields = [field.name for field in PaymentEvent._meta.fields]

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_staff


@admin.register(LedgerEntry)
class LedgerEntryAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "kind", "account", "amount_cents", "currency", "order", "payout", "memo")
    list_filter = ("kind", "currency")
    search_fields = ("=account", "=order__id", "=payout__id", "=posting")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in LedgerEntry._meta.fields]


@admin.register(ConnectAccount)
class ConnectAccountAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "creator",
        "provider",
        "account_id",
        "charges_enabled",
        "payouts_enabled",
        "details_submitted",
    )
    list_filter = ("provider", "payouts_enabled")
    search_fields = ("account_id", "creator__display_name", "creator__user__email")
    readonly_fields = [field.name for field in ConnectAccount._meta.fields]
    actions = ("run_payouts",)

    def has_run_payouts_permission(self, request) -> bool:
        return request.user.has_perm("payments.add_payoutrun")

    @admin.action(description="Run payouts now for the selected creators", permissions=["run_payouts"])
    def run_payouts(self, request, queryset) -> None:
        run = payouts.payouts_run(
            trigger=PayoutRun.Trigger.STAFF,
            by=request.user,
            creators=list(CreatorProfile.objects.filter(connect_account__in=queryset)),
        )
        level = messages.WARNING if run.failed_count else messages.SUCCESS
        self.message_user(
            request, f"Payout run finished: {run.paid_count} paid, {run.failed_count} failed.", level
        )


@admin.register(Payout)
class PayoutAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "creator", "amount_cents", "currency", "status", "attempts", "transfer_id")
    list_filter = ("status", "provider")
    search_fields = ("=id", "transfer_id", "creator__display_name")
    readonly_fields = [field.name for field in Payout._meta.fields]


@admin.register(PayoutRun)
class PayoutRunAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("started_at", "trigger", "by", "paid_count", "failed_count", "paid_cents", "finished_at")
    list_filter = ("trigger",)
    readonly_fields = [field.name for field in PayoutRun._meta.fields]


@admin.register(TransferReversal)
class TransferReversalAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "created_at",
        "payout",
        "order",
        "amount_cents",
        "currency",
        "status",
        "provider_reversal_id",
    )
    list_filter = ("status",)
    readonly_fields = [field.name for field in TransferReversal._meta.fields]
