"""Pages of the licensing room: public verification of a license, the tier comparison, and a
creator's prices for one of their tracks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalog import selectors as catalog_selectors
from catalog.models import Track
from licensing import codes, pages, selectors, services
from licensing.errors import LicensingError
from licensing.forms import PriceForm, VerifyForm


@require_GET
def tiers(request: HttpRequest) -> HttpResponse:
    """Every tier side by side, in words: what each covers and what it usually costs."""
    active = list(selectors.tiers_active())
    return render(request, "licensing/tiers.html", {"tiers": active, "rows": pages.comparison_rows(active)})


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """The verification page without a code: a form to type one (GET ?code=)."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("licensing:verify", code=form.cleaned_data["code"])
    return render(request, "licensing/verify.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone can check a license by its code: valid or not, for which track and tier, held by whom."""
    canonical = codes.normalize(code)
    if canonical is None:
        form = VerifyForm({"code": code})
        form.is_valid()
        return render(request, "licensing/verify.html", {"form": form}, status=400)
    if canonical != code:
        return redirect("licensing:verify", code=canonical)
    verification = selectors.license_for_verification(canonical)
    context = {"form": VerifyForm(), "code": canonical, "v": verification}
    return render(request, "licensing/verify.html", context, status=200 if verification else 404)


@login_required
@require_http_methods(["GET", "POST"])
def prices(request: HttpRequest, slug: str) -> HttpResponse:
    """The creator of a track sets its price per tier and which tiers are on offer; nobody else may."""
    track = catalog_selectors.track_get(slug=slug, user=request.user)
    if track is None or track.creator.user_id != request.user.id:
        raise Http404("No track of yours here.")
    data = request.POST if request.method == "POST" else None
    form = PriceForm(data, lines=selectors.track_price_lines(track=track))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for line, cents, enabled in form.changes():
                try:
                    services.track_price_set(
                        track=track, tier=line.tier, price_cents=cents, enabled=enabled, by=track.creator
                    )
                except LicensingError as exc:
                    form.add_service_error(line, exc)
                    if exc.field == "track":
                        break  # about the whole track: once is enough
            if form.errors:  # all prices or none
                transaction.set_rollback(True)
        if not form.errors:
            messages.success(request, f"Prices of “{track.title}” saved.")
            return redirect("licensing:prices", slug=track.slug)
    context = {"track": track, "form": form, "sold": track.status == Track.Status.SOLD_EXCLUSIVE}
    return render(request, "licensing/prices.html", context, status=400 if form.errors else 200)
