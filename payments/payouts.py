"""Paying creators: their connected accounts, payout runs, and money pulled back after a refund.

A payout run makes at most one open payout per creator and currency: the creator's available balance
(earnings past the hold, less refunds, disputes and earlier payouts) once it reaches
PAYOUT_THRESHOLD_CENTS, and only to an account whose provider says it can take payouts. The amount
leaves the creator's ledger account when the payout is made; the transfer follows, with an idempotency
key derived from the payout's id. A transfer that fails keeps its payout (status failed) and is tried
again by the next run with the same key, so no creator is ever paid twice, whether a run stopped
halfway or two ran at once.

Refund and dispute policy: a refund or dispute first takes the creator's share back from what they
have not been paid yet. Only what those earnings cannot cover (the balance went below zero) is pulled
back from their latest paid transfers through transfer reversals. What a reversal cannot recover (the
provider refused it) stays as a negative balance and is deducted from the next payout. A dispute that
is won later gives the creator's share back in the ledger, and the next run pays it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import CreatorProfile, User
from licensing.money import format_money
from payments import gateway, ledger
from payments.errors import PaymentsError, ProviderError
from payments.models import (
    ConnectAccount,
    LedgerEntry,
    Order,
    Payout,
    PayoutRun,
    Refund,
    TransferReversal,
    creator_account,
)

log = logging.getLogger(__name__)

OPEN = (Payout.Status.PENDING, Payout.Status.FAILED)
NOT_ENABLED = "The creator's payout account cannot receive payouts yet."


# --- connected accounts ---------------------------------------------------------------------------


def connect_onboarding_link(*, creator: CreatorProfile, refresh_url: str, return_url: str) -> str:
    """Where `creator` goes to set up (or finish setting up) their payout account: the account is made
    with the current provider the first time, and every call gives a fresh single-use link (an expired
    or used one is replaced through `refresh_url`). Raises ProviderError when the provider refuses."""
    provider = gateway.provider_name()
    account = ConnectAccount.objects.filter(creator=creator).first()
    if account is None or account.provider != provider:
        account_id = gateway.account_create(
            provider=provider, creator_id=creator.pk, email=creator.user.email
        )
        with transaction.atomic():
            account, _ = ConnectAccount.objects.update_or_create(
                creator=creator,
                defaults={
                    "provider": provider,
                    "account_id": account_id,
                    "charges_enabled": False,
                    "payouts_enabled": False,
                    "details_submitted": False,
                    "provider_updated_at": None,
                },
            )
    return gateway.account_link(
        provider=account.provider,
        account_id=account.account_id,
        refresh_url=refresh_url,
        return_url=return_url,
    )


def connect_account_refresh(*, creator: CreatorProfile) -> ConnectAccount | None:
    """Read the creator's account flags from the provider now (after they return from onboarding)."""
    account = ConnectAccount.objects.filter(creator=creator).first()
    if account is None:
        return None
    state = gateway.account_state(provider=account.provider, account_id=account.account_id)
    if state is None:
        return account
    return connect_account_update(
        provider=account.provider, account_id=account.account_id, state=state, at=timezone.now()
    )


@transaction.atomic
def connect_account_update(
    *, provider: str, account_id: str, state: gateway.AccountState, at: datetime
) -> ConnectAccount | None:
    """Record what the provider says about `account_id` as of `at`; a report older than the last one
    applied changes nothing (events arrive out of order). None for an account we do not know."""
    account = (
        ConnectAccount.objects.select_for_update().filter(provider=provider, account_id=account_id).first()
    )
    if account is None:
        return None
    if account.provider_updated_at and at < account.provider_updated_at:
        return account
    account.charges_enabled = state.charges_enabled
    account.payouts_enabled = state.payouts_enabled
    account.details_submitted = state.details_submitted
    account.provider_updated_at = at
    account.save()
    return account


def connect_sandbox_complete(*, creator: CreatorProfile) -> ConnectAccount:
    """Finish the simulated onboarding of a sandbox account: it may take (simulated) payouts."""
    account = ConnectAccount.objects.filter(creator=creator, provider=Order.Provider.SANDBOX).first()
    if account is None:
        raise PaymentsError("Start the payout account setup first.", field="account")
    return connect_account_update(
        provider=account.provider,
        account_id=account.account_id,
        state=gateway.AccountState(charges_enabled=True, payouts_enabled=True, details_submitted=True),
        at=timezone.now(),
    )


# --- payout runs ----------------------------------------------------------------------------------


def payouts_run(
    *,
    trigger: str,
    by: User | None = None,
    creators: list[CreatorProfile] | None = None,
    hold_days: int | None = None,
) -> PayoutRun:
    """Pay every creator (or those in `creators`) whose available balance reached the threshold, and
    try again every payout whose transfer failed before. Safe to run again after a crash and to run
    twice at once: each creator gets at most one open payout, and each payout one transfer.

    `hold_days` overrides PAYOUT_HOLD_DAYS (the demo pays out at once)."""
    run = PayoutRun.objects.create(trigger=trigger, by=by)
    cutoff = ledger.hold_cutoff(hold_days=hold_days)
    accounts = ConnectAccount.objects.order_by("pk")
    if creators is not None:
        accounts = accounts.filter(creator__in=creators)
    notes = []
    for account_pk in list(accounts.values_list("pk", flat=True)):
        note = payout_prepare(connect_account_pk=account_pk, run=run, cutoff=cutoff)
        if note:
            notes.append(note)
    return _transfer_open(run=run, creators=creators, notes=notes)


def payouts_retry(*, trigger: str) -> PayoutRun | None:
    """Try again the transfers of payouts that failed (or were left pending by a run that stopped),
    without making new payouts: the daily retry between scheduled runs. None when nothing is open."""
    if not Payout.objects.filter(status__in=OPEN).exists():
        return None
    run = PayoutRun.objects.create(trigger=trigger)
    return _transfer_open(run=run, creators=None, notes=[])


def _transfer_open(*, run: PayoutRun, creators: list[CreatorProfile] | None, notes: list[str]) -> PayoutRun:
    open_payouts = Payout.objects.filter(status__in=OPEN).order_by("created_at", "pk")
    if creators is not None:
        open_payouts = open_payouts.filter(creator__in=creators)
    for payout_pk in list(open_payouts.values_list("pk", flat=True)):
        payout, tried = payout_transfer(payout_id=payout_pk)
        if not tried:
            continue
        if payout.status == Payout.Status.PAID:
            run.paid_count += 1
            run.paid_cents += payout.amount_cents
        else:
            run.failed_count += 1
            notes.append(f"{payout.creator}: {payout.failure_message}")
    run.notes = "\n".join(notes)
    run.finished_at = timezone.now()
    run.save()
    return run


@transaction.atomic
def payout_prepare(*, connect_account_pk: int, run: PayoutRun | None, cutoff: datetime) -> str:
    """Make the payout of one creator's available balance, per currency, when it reached the threshold
    and they have no open payout. The creator's account row is locked, so two runs take turns.
    Returns a note for the run when the creator is owed money but cannot be paid, else ""."""
    account = ConnectAccount.objects.select_for_update().select_related("creator").get(pk=connect_account_pk)
    currencies = (
        LedgerEntry.objects.filter(account=creator_account(account.creator_id))
        .values_list("currency", flat=True)
        .distinct()
    )
    notes = []
    for currency in sorted(set(currencies)):
        if Payout.objects.filter(creator_id=account.creator_id, currency=currency, status__in=OPEN).exists():
            continue  # the open payout is tried again; never a second one
        balance = ledger.creator_balance(creator_id=account.creator_id, currency=currency, cutoff=cutoff)
        if balance.available_cents < settings.PAYOUT_THRESHOLD_CENTS:
            continue
        if account.provider != gateway.provider_name() or not account.payouts_enabled:
            owed = format_money(balance.available_cents, currency)
            notes.append(
                f"{account.creator}: owed {owed}, but their payout account cannot receive payouts yet."
            )
            continue
        pk = uuid.uuid4()
        payout = Payout.objects.create(
            id=pk,
            creator_id=account.creator_id,
            connect_account=account,
            provider=account.provider,
            account_id=account.account_id,
            run=run,
            amount_cents=balance.available_cents,
            currency=currency,
            idempotency_key=f"payout-{pk}",
            earned_before=cutoff,
        )
        ledger.post_payout(payout=payout)
    return "\n".join(notes)


@transaction.atomic
def payout_transfer(*, payout_id: uuid.UUID) -> tuple[Payout, bool]:
    """Send (or send again) the transfer of one open payout, under its own idempotency key; the payout
    row stays locked meanwhile so a concurrent run waits and then finds it paid. Returns the payout and
    whether a transfer was attempted. Never raises for a refused transfer: the payout records it."""
    payout = Payout.objects.select_for_update().select_related("connect_account").get(pk=payout_id)
    if payout.status == Payout.Status.PAID:
        return payout, False
    account = payout.connect_account
    if not account.payouts_enabled or account.account_id != payout.account_id:
        payout.status = Payout.Status.FAILED
        payout.failure_message = (
            NOT_ENABLED
            if account.account_id == payout.account_id
            else "The creator changed payout accounts; staff must settle this payout by hand."
        )
        payout.save(update_fields=["status", "failure_message"])
        return payout, True
    payout.attempts += 1
    payout.last_attempt_at = timezone.now()
    try:
        transfer_id = gateway.transfer(
            provider=payout.provider,
            account_id=payout.account_id,
            amount_cents=payout.amount_cents,
            currency=payout.currency,
            idempotency_key=payout.idempotency_key,
            payout_ref=str(payout.pk),
        )
    except ProviderError as exc:
        log.warning("payout %s failed: %s", payout.pk, exc.message)
        payout.status = Payout.Status.FAILED
        payout.failure_message = exc.message[:240]
    else:
        payout.status = Payout.Status.PAID
        payout.transfer_id = transfer_id
        payout.paid_at = timezone.now()
        payout.failure_message = ""
    payout.save()
    return payout, True


# --- refunds and disputes after a payout ---------------------------------------------------------


def reverse_for(*, order: Order, amount_cents: int, kind: str, refund: Refund | None = None) -> None:
    """Take `amount_cents` of `order` back from its creators and the platform in the ledger, then pull
    back through transfer reversals whatever a creator's unpaid earnings cannot cover (the policy in
    this module's docstring). Runs inside the refund's or dispute's transaction."""
    taken = ledger.post_reversal(order=order, amount_cents=amount_cents, kind=kind, refund=refund)
    reference = f"refund-{refund.pk}" if refund is not None else f"dispute-{order.pk}"
    for creator_id, cents in sorted(taken.by_creator.items()):
        _claw_back(order=order, creator_id=creator_id, cents=cents, reference=reference)


def _claw_back(*, order: Order, creator_id: int, cents: int, reference: str) -> None:
    balance = ledger.creator_balance(creator_id=creator_id, currency=order.currency)
    owed = min(cents, -balance.total_cents)
    if owed <= 0:
        return
    paid = (
        Payout.objects.select_for_update()
        .filter(creator_id=creator_id, currency=order.currency, status=Payout.Status.PAID)
        .exclude(transfer_id="")
        .order_by("-paid_at", "-pk")
    )
    for payout in paid:
        amount = min(owed, payout.amount_cents - payout.reversed_cents)
        if amount <= 0:
            continue
        key = f"{reference}-{payout.pk}"
        if TransferReversal.objects.filter(idempotency_key=key).exists():
            continue
        reversal = TransferReversal(
            payout=payout, order=order, amount_cents=amount, currency=payout.currency, idempotency_key=key
        )
        try:
            reversal.provider_reversal_id = gateway.transfer_reverse(
                provider=payout.provider,
                transfer_id=payout.transfer_id,
                amount_cents=amount,
                idempotency_key=key,
            )
        except ProviderError as exc:
            # The negative balance stays and the next payout is smaller by it.
            reversal.status = TransferReversal.Status.FAILED
            reversal.failure_message = exc.message[:240]
            reversal.save()
            return
        reversal.status = TransferReversal.Status.REVERSED
        reversal.save()
        payout.reversed_cents += amount
        payout.save(update_fields=["reversed_cents"])
        ledger.post_transfer_reversal(payout=payout, order=order, amount_cents=amount)
        owed -= amount
        if owed <= 0:
            return
