"""Pages about paying creators: their earnings, payout account setup, statements; staff's payout runs."""

from __future__ import annotations

import csv
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from payments import payouts, selectors
from payments.errors import PaymentsError
from payments.models import PayoutRun
from payments.pages import chart_bars


def creator_required(view):
    """The page is a creator's: others are sent to become one."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        creator = getattr(request.user, "creator_profile", None)
        if creator is None:
            messages.info(request, "Earnings are for creators: set up your creator profile first.")
            return redirect("accounts:become_creator")
        request.creator = creator
        return view(request, *args, **kwargs)

    return wrapped


@creator_required
@require_GET
def earnings(request: HttpRequest) -> HttpResponse:
    """The creator's earnings: balance, next payout, sales over time, by track and tier, payouts."""
    data = selectors.creator_earnings(creator=request.creator, currency=settings.PAYMENTS_CURRENCY)
    context = {
        "earnings": data,
        "chart": chart_bars(data.days),
        "currency": settings.PAYMENTS_CURRENCY,
        "sandbox": settings.PAYMENTS_PROVIDER == "sandbox",
    }
    return render(request, "payments/earnings.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@creator_required
@require_GET
def statement(request: HttpRequest) -> StreamingHttpResponse:
    """Every movement of the creator's balance as CSV, with a running balance."""
    currency = settings.PAYMENTS_CURRENCY
    writer = csv.writer(_Echo())
    columns = ["date", "kind", "track", "tier", "order", "payout", "amount", "balance", "currency"]

    def rows():
        yield writer.writerow(columns)
        for line in selectors.statement_lines(creator=request.creator, currency=currency):
            yield writer.writerow(
                [
                    line["date"].isoformat(timespec="seconds"),
                    line["kind"],
                    line["track"],
                    line["tier"],
                    line["order"],
                    line["payout"],
                    f"{line['amount_cents'] / 100:.2f}",
                    f"{line['balance_cents'] / 100:.2f}",
                    line["currency"].upper(),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statement-{request.creator.slug}.csv"'
    return response


# --- payout account setup ---------------------------------------------------------------------------


def _onboarding_redirect(request: HttpRequest) -> HttpResponse:
    try:
        url = payouts.connect_onboarding_link(
            creator=request.creator,
            refresh_url=request.build_absolute_uri(reverse("payments:connect_refresh")),
            return_url=request.build_absolute_uri(reverse("payments:connect_return")),
        )
    except PaymentsError as exc:
        messages.error(request, exc.message)
        return redirect("payments:earnings")
    return redirect(url)


@creator_required
@require_POST
def connect_start(request: HttpRequest) -> HttpResponse:
    """Set up payouts: the creator is sent to the provider's onboarding."""
    return _onboarding_redirect(request)


@creator_required
@require_GET
def connect_refresh(request: HttpRequest) -> HttpResponse:
    """The provider sends the creator here when their link expired or was used: a fresh one."""
    return _onboarding_redirect(request)


@creator_required
@require_GET
def connect_return(request: HttpRequest) -> HttpResponse:
    """Back from onboarding: read the account's state now rather than wait for its event."""
    try:
        account = payouts.connect_account_refresh(creator=request.creator)
    except PaymentsError as exc:
        messages.warning(request, exc.message)
    else:
        if account is not None and account.payouts_enabled:
            messages.success(request, "Your payout account is ready: payouts will reach it.")
        elif account is not None:
            messages.info(request, "Your payout account is not finished yet; pick up where you left off.")
    return redirect("payments:earnings")


def _sandbox_only() -> None:
    if settings.PAYMENTS_PROVIDER != "sandbox":
        raise Http404("The sandbox is off.")


@creator_required
@require_GET
def connect_sandbox(request: HttpRequest) -> HttpResponse:
    """The sandbox's stand-in for the provider's onboarding: clearly labelled, nothing is verified."""
    _sandbox_only()
    account = selectors.creator_earnings(creator=request.creator, currency=settings.PAYMENTS_CURRENCY).account
    return render(request, "payments/connect_sandbox.html", {"account": account})


@creator_required
@require_POST
def connect_sandbox_complete(request: HttpRequest) -> HttpResponse:
    _sandbox_only()
    try:
        payouts.connect_sandbox_complete(creator=request.creator)
    except PaymentsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Simulated payout account ready: sandbox payouts will reach it.")
    return redirect("payments:earnings")


# --- staff ------------------------------------------------------------------------------------------


@staff_member_required
@require_GET
def staff_payouts(request: HttpRequest) -> HttpResponse:
    """Staff: the history of payout runs, their failures, and payouts still waiting for a transfer."""
    context = {
        "runs": selectors.payout_runs(),
        "open_payouts": list(selectors.payouts_open()),
        "next_payout_at": selectors.next_payout_at(),
        "sandbox": settings.PAYMENTS_PROVIDER == "sandbox",
    }
    return render(request, "payments/staff_payouts.html", context)


@staff_member_required
@require_POST
def staff_payouts_run(request: HttpRequest) -> HttpResponse:
    """Run payouts now, for everyone owed (the same run as the schedule's)."""
    run = payouts.payouts_run(trigger=PayoutRun.Trigger.STAFF, by=request.user)
    level = messages.WARNING if run.failed_count else messages.SUCCESS
    messages.add_message(
        request,
        level,
        f"Payout run finished: {run.paid_count} paid, {run.failed_count} failed.",
    )
    return redirect("payments:staff_payouts")
