"""Pages of the payments room: the cart, checkout, the sandbox checkout page, orders.

Each view parses the request, calls a selector or a service, and renders. Every write is a POST that
redirects afterwards. Prices are never read from a request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalog.pages import safe_next
from licensing import selectors as licensing_selectors
from payments import pages, selectors, services
from payments.errors import EventRejected, PaymentsError
from payments.forms import CartAddForm, CartRemoveForm, LicenseeForm, add_service_error
from payments.models import Order
from payments.providers import sandbox

# --- the cart ---------------------------------------------------------------------------------------


def _cart_page(request: HttpRequest, *, form: LicenseeForm | None = None, status: int = 200) -> HttpResponse:
    cart = selectors.cart_of(user=request.user, currency=settings.PAYMENTS_CURRENCY)
    pages.cart_count_refresh(request)
    form = form or LicenseeForm(initial=pages.licensee_initial(request.user))
    context = {"cart": cart, "form": form, "sandbox": settings.PAYMENTS_PROVIDER == "sandbox"}
    return render(request, "payments/cart.html", context, status=status)


@login_required
@require_GET
def cart(request: HttpRequest) -> HttpResponse:
    """The buyer's cart: each track with its tier and today's price, and who the licenses are for."""
    return _cart_page(request)


@login_required
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """Add a track at a tier (or change the tier of a track already in the cart)."""
    form = CartAddForm(request.POST)
    if form.is_valid():
        track = selectors.track_for_order(slug=form.cleaned_data["track"], user=request.user)
        tier = licensing_selectors.tier_get(slug=form.cleaned_data["tier"])
        try:
            if track is None:
                raise PaymentsError("This track is not available.", field="track")
            if tier is None:
                raise PaymentsError("Choose one of the license tiers on offer.", field="tier")
            item = services.cart_add(user=request.user, track=track, tier=tier)
        except PaymentsError as exc:
            add_service_error(form, exc)
        else:
            pages.cart_count_refresh(request)
            messages.success(request, f"“{track.title}” ({item.tier.name} license) is in your cart.")
            return redirect(safe_next(request, reverse("payments:cart")))
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.title() if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return _cart_page(request, status=400)


@login_required
@require_POST
def cart_remove(request: HttpRequest) -> HttpResponse:
    form = CartRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Name the track to take out of the cart.")
        return _cart_page(request, status=400)
    track = selectors.cart_track(user=request.user, slug=form.cleaned_data["track"])
    if track is not None:
        services.cart_remove(user=request.user, track=track)
        pages.cart_count_refresh(request)
        messages.success(request, f"“{track.title}” is out of your cart.")
    return redirect("payments:cart")


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    """Turn the cart into an order at today's prices and send the buyer to pay for it."""
    form = LicenseeForm(request.POST)
    if not form.is_valid():
        return _cart_page(request, form=form, status=400)
    lines = selectors.cart_lines(user=request.user)
    if not lines:
        messages.error(request, "Your cart is empty: add a track from its page first.")
        return _cart_page(request, form=form, status=400)
    try:
        order = services.order_create(buyer=request.user, lines=lines, **form.cleaned_data)
        order = services.order_checkout_begin(
            order=order,
            success_url=request.build_absolute_uri(reverse("payments:order", args=[order.pk]))
            + "?checkout=done",
            cancel_url=request.build_absolute_uri(reverse("payments:cart")),
        )
    except PaymentsError as exc:
        if exc.field and exc.field.startswith("lines"):
            messages.error(request, pages.line_error(exc, lines))
        else:
            add_service_error(form, exc)
        return _cart_page(request, form=form, status=400)
    return redirect(order.checkout_url)


# --- orders -----------------------------------------------------------------------------------------


def _order_or_404(request: HttpRequest, pk) -> Order:
    order = selectors.order_get(pk=pk, user=request.user)
    if order is None:
        raise Http404("No such order.")
    return order


@login_required
@require_GET
def orders(request: HttpRequest) -> HttpResponse:
    """The buyer's order history, newest first."""
    services.orders_expire_stale(buyer=request.user)
    return render(request, "payments/orders.html", {"orders": selectors.orders_of(user=request.user)})


@login_required
@require_GET
def order(request: HttpRequest, pk) -> HttpResponse:
    """One order: its status, lines at the prices paid, and the licenses it issued."""
    services.orders_expire_stale(buyer=request.user)
    order = _order_or_404(request, pk)
    pages.cart_count_refresh(request)  # a payment empties the cart of what it bought
    context = {
        "order": order,
        "lines": pages.order_lines(order=order, licenses=selectors.order_licenses(order=order)),
        "refunds": selectors.order_refunds(order=order),
        "confirming": order.status == Order.Status.PENDING and request.GET.get("checkout") == "done",
    }
    return render(request, "payments/order.html", context)


# --- the sandbox checkout ---------------------------------------------------------------------------


def _sandbox_order(request: HttpRequest, pk) -> Order:
    """The buyer's own sandbox order; 404 for anyone else, and while the site takes real payments."""
    order = selectors.order_get(pk=pk, user=request.user)
    if (
        order is None
        or order.buyer_id != request.user.pk
        or order.provider != Order.Provider.SANDBOX
        or settings.PAYMENTS_PROVIDER != "sandbox"
    ):
        raise Http404("No such checkout.")
    return order


@login_required
@require_GET
def sandbox_checkout(request: HttpRequest, pk) -> HttpResponse:
    """The sandbox's checkout page: the order, and Pay / Cancel buttons. No money moves."""
    services.orders_expire_stale(buyer=request.user)
    order = _sandbox_order(request, pk)
    return render(request, "payments/sandbox.html", {"order": order, "lines": list(order.lines.all())})


@login_required
@require_POST
def sandbox_pay(request: HttpRequest, pk) -> HttpResponse:
    """Pay in the sandbox: a signed event goes through the same fulfilment path as a Stripe webhook."""
    order = _sandbox_order(request, pk)
    if order.status != Order.Status.PENDING:
        messages.warning(request, f"This order is {order.get_status_display().lower()} already.")
        return redirect("payments:order", pk=order.pk)
    body, signature = sandbox.event_build(order=order)
    try:
        sandbox.event_receive(body=body, signature=signature)
    except EventRejected as exc:  # pragma: no cover - the event was signed a moment ago
        messages.error(request, exc.message)
        return redirect("payments:sandbox", pk=order.pk)
    order.refresh_from_db()
    if order.status == Order.Status.PAID:
        messages.success(request, "Paid in the sandbox (no money moved). Your licenses are below.")
    else:
        messages.warning(
            request, order.failure_reason or f"The order is {order.get_status_display().lower()}."
        )
    return redirect("payments:order", pk=order.pk)


@login_required
@require_POST
def sandbox_cancel(request: HttpRequest, pk) -> HttpResponse:
    """Leave the sandbox checkout without paying: the order is released and the cart kept."""
    order = _sandbox_order(request, pk)
    services.order_release(order_id=order.pk, reason="Cancelled at checkout.")
    messages.info(request, "Checkout cancelled. Your cart is as you left it.")
    return redirect("payments:cart")


@csrf_exempt
@require_POST
def sandbox_events(request: HttpRequest) -> HttpResponse:
    """Signed sandbox events, verified like Stripe's webhook: forged, stale or replayed ones get 400."""
    if settings.PAYMENTS_PROVIDER != "sandbox":
        raise Http404("The sandbox is off.")
    try:
        result = sandbox.event_receive(
            body=request.body, signature=request.headers.get("Sandbox-Signature", "")
        )
    except EventRejected as exc:
        return JsonResponse({"error": exc.message, "field": exc.field}, status=400)
    return JsonResponse({"result": result})
