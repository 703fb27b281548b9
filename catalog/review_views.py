"""Pages of the review desk: the queue and its decisions, takedowns by staff, withdrawals by creators,
and the signed provenance record of a track with the key that checks it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import is_reviewer
from catalog import pages, review, selectors, signing
from catalog.errors import CatalogError, NotAllowed
from catalog.forms import DecisionForm, ReasonForm, add_service_error
from catalog.models import Track


def _reviewer_only(request: HttpRequest) -> None:
    if not is_reviewer(request.user):
        raise PermissionDenied("The review desk is for reviewers.")


def _queue_items(forms: dict[int, DecisionForm] | None = None) -> list[dict]:
    items = []
    for track in selectors.review_queue():
        findings = list(track.duplicate_findings.all())
        provenance = getattr(track, "provenance", None)
        declaration = provenance.parameters.get("declaration", {}) if provenance else {}
        declared = declaration.get("disclosure_label", "")
        form = (forms or {}).get(track.pk) or DecisionForm(
            initial={"disclosure_label": track.disclosure_label}, prefix=f"t{track.pk}"
        )
        items.append(
            {
                "track": track,
                "findings": findings,
                "checks": pages.review_checks(track, findings),
                "history": list(track.review_decisions.all()),
                "upload": pages.is_upload(track),
                "declaration": declaration,
                "declared_label": Track.Disclosure(declared).label
                if declared in Track.Disclosure.values
                else "",
                "form": form,
            }
        )
    return items


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Tracks in review, the longest waiting first, each with everything a decision needs."""
    _reviewer_only(request)
    return render(request, "catalog/review_queue.html", {"items": _queue_items()})


@login_required
@require_POST
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    _reviewer_only(request)
    track = selectors.track_get(slug=slug, user=request.user)
    if track is None:
        raise Http404("No track here.")
    form = DecisionForm(request.POST, prefix=f"t{track.pk}")
    if form.is_valid():
        try:
            decision = review.review_decide(track=track, by=request.user, **form.cleaned_data)
        except CatalogError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{decision.get_decision_display()}: “{track.title}”.")
            return redirect("catalog:review_queue")
    items = _queue_items({track.pk: form})
    return render(request, "catalog/review_queue.html", {"items": items}, status=400)


@login_required
@require_POST
def take_down(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff take a published track down, with a reason."""
    track = selectors.track_get(slug=slug, user=request.user)
    if track is None:
        raise Http404("No track here.")
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise CatalogError("Keep the reason to 2000 characters.", field="reason")
        review.track_take_down(track=track, by=request.user, reason=form.cleaned_data["reason"])
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Taken down. Licenses already sold stay valid.")
    return redirect("catalog:track", slug=track.slug)


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """The creator takes their published track off sale."""
    track = selectors.track_get(slug=slug, user=request.user)
    if track is None:
        raise Http404("No track here.")
    back = pages.safe_next(request, reverse("catalog:track", args=[track.slug]))
    try:
        review.track_withdraw(track=track, by=request.user, reason=request.POST.get("reason", ""))
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Withdrawn from sale. Licenses already sold stay valid.")
    return redirect(back)


@require_GET
def provenance_record(request: HttpRequest, slug: str) -> HttpResponse:
    """The track's provenance record, signed with the platform key, as a JSON download."""
    track = selectors.track_get(slug=slug, user=request.user)
    if track is None or not hasattr(track, "provenance"):
        raise Http404("No provenance record here.")
    body = signing.signed_record_json(track=track, history=selectors.review_history(track=track))
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{track.slug}-provenance.json"'
    return response


@require_GET
def provenance_key(request: HttpRequest) -> HttpResponse:
    """The platform's public key (PEM) that checks every signed provenance record."""
    return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")


def track_review_context(request: HttpRequest, track: Track) -> dict:
    """What the track page shows about review: the staff takedown form and the creator's withdrawal."""
    user = request.user
    own = user.is_authenticated and track.creator.user_id == user.id
    return {
        "can_take_down": review.may_take_down(user) and track.status in review.TAKE_DOWN_FROM,
        "can_withdraw": own and track.status == Track.Status.PUBLISHED,
        "review_note": selectors.review_note(track=track) if own or review.may_take_down(user) else None,
    }
