"""Pages for creators' uploads of tracks made with other tools: the upload form, then the analysed
metadata to confirm before the track goes to review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.selectors import creator_profile_for
from catalog import pages, selectors, upload
from catalog.errors import CatalogError
from catalog.forms import ConfirmForm, UploadForm, add_service_error


@login_required
@require_http_methods(["GET", "POST"])
def upload_page(request: HttpRequest) -> HttpResponse:
    creator = creator_profile_for(user=request.user)
    if creator is None:
        messages.info(request, "Set up your creator profile to sell your music.")
        return redirect("accounts:become_creator")
    if request.method == "POST" and upload.request_too_large(request.META.get("CONTENT_LENGTH")):
        form = UploadForm({})  # bound, and valid until the refusal is added
        form.full_clean()
        form.add_error("file", upload.TOO_LARGE)
        return render(request, "catalog/upload.html", {"form": form}, status=413)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            track = upload.track_create_from_upload(
                creator=creator,
                file=data["file"],
                stems_zip=data["stems"],
                **{k: data[k] for k in upload.TEXT_LIMITS if k in data},
                disclosure_label=data["disclosure_label"],
            )
        except CatalogError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Uploaded and analysed. Check the details, then submit for review.")
            return redirect("catalog:upload_confirm", slug=track.slug)
    status = 400 if form.errors else 200
    return render(request, "catalog/upload.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    track = selectors.track_get(slug=slug, user=request.user)
    if track is None or track.creator.user_id != request.user.id or not pages.is_upload(track):
        raise Http404("No upload of yours here.")
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                upload.track_upload_confirm(track=track, by=request.user, **form.cleaned_data)
            except CatalogError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, "Submitted for review. A reviewer publishes it or tells you what to change."
                )
                return redirect("generation:draft", slug=track.slug)
    else:
        fields = ("title", "description", "genre", "moods", "bpm", "key", "mode", "energy")
        form = ConfirmForm(initial={name: getattr(track, name) for name in fields})
    context = {"form": form, "track": track, "analysis": track.provenance.parameters.get("analysis", {})}
    return render(request, "catalog/upload_confirm.html", context, status=400 if form.errors else 200)
