"""Background work of the payments room."""

from __future__ import annotations

from celery import shared_task

from payments import payouts, services
from payments.models import PayoutRun


@shared_task
def orders_expire_stale() -> int:
    """Release checkouts whose hold ran out (run every few minutes by the beat schedule)."""
    return services.orders_expire_stale()


@shared_task
def payouts_run() -> int:
    """Pay every creator who is owed (the beat schedule runs it; PAYOUT_SCHEDULE). Safe to repeat: a
    second delivery finds nothing new to pay. Returns the number of payouts that went through."""
    return payouts.payouts_run(trigger=PayoutRun.Trigger.SCHEDULE).paid_count


@shared_task
def payouts_retry() -> int:
    """Try failed transfers again between scheduled runs (daily); the number that went through."""
    run = payouts.payouts_retry(trigger=PayoutRun.Trigger.SCHEDULE)
    return run.paid_count if run else 0
