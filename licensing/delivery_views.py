"""Pages of the licensee's library: their licenses, one license with its downloads and Content ID
channels, the downloads themselves, verifying a file, and the staff export of channels."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from licensing import channels, delivery, library
from licensing.credentials import CredentialsError
from licensing.delivery_forms import ChannelForm, VerifyFileForm, add_service_error
from licensing.errors import LicensingError
from licensing.models import License
from licensing.stamping import StampError
from licensing.verify_file import file_check, size_label

logger = logging.getLogger(__name__)


def _owned_or_404(request: HttpRequest, code: str) -> License:
    license = library.license_owned(user=request.user, code=code)
    if license is None:
        raise Http404("No license of yours has this code.")
    return license


@login_required
@require_GET
def library_page(request: HttpRequest) -> HttpResponse:
    """Every license the user holds, with its downloads."""
    entries = [library.entry(lic, request) for lic in library.licenses_for_library(user=request.user)]
    return render(request, "licensing/library.html", {"entries": entries})


def _license_context(request: HttpRequest, license: License, form: ChannelForm | None = None) -> dict:
    return {
        "entry": library.entry(license, request),
        "license": license,
        "rights": delivery.rights_lines(license),
        "channels": list(license.channels.all()),
        "form": form or ChannelForm(),
        "link_minutes": max(1, settings.DOWNLOAD_URL_MAX_AGE // 60),
    }


@login_required
@require_GET
def license_page(request: HttpRequest, code: str) -> HttpResponse:
    """One license of the user's: its terms in words, downloads, Content ID channels, certificate."""
    license = _owned_or_404(request, code)
    if license.code != code:
        return redirect("licensing:license", code=license.code)
    return render(request, "licensing/license.html", _license_context(request, license))


@login_required
@require_POST
def channel_add(request: HttpRequest, code: str) -> HttpResponse:
    license = _owned_or_404(request, code)
    form = ChannelForm(request.POST)
    if form.is_valid():
        try:
            channel = channels.channel_add(
                license=license,
                by=request.user,
                platform=form.cleaned_data["platform"],
                channel_id=form.cleaned_data["channel_id"],
            )
        except LicensingError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{channel.get_platform_display()} channel {channel.channel_id} added.")
            return redirect(reverse("licensing:license", args=[license.code]) + "#channels")
    return render(request, "licensing/license.html", _license_context(request, license, form), status=400)


@login_required
@require_POST
def channel_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    license = _owned_or_404(request, code)
    channels.channel_remove(license=license, by=request.user, channel_pk=pk)
    messages.success(request, "Channel removed.")
    return redirect(reverse("licensing:license", args=[license.code]) + "#channels")


def _api_user(request: HttpRequest):
    """The user an API token in the Authorization header names, so API clients can follow the links
    the API hands out; None without a (valid) token."""
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else None


@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    """A signed download link, checked again now: the licensee's, active, not expired."""
    user = request.user if request.user.is_authenticated else _api_user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    try:
        found = delivery.download_open(token=token, user=user)
    except delivery.DownloadNotFound:
        raise Http404("No such download.") from None
    except (delivery.DownloadExpired, delivery.DownloadRefused) as exc:
        context = {"message": exc.message, "license": exc.license, "expired": exc.status == 410}
        return render(request, "licensing/download_refused.html", context, status=exc.status)
    except (StampError, CredentialsError) as exc:
        logger.exception("a licensed file could not be prepared")
        context = {
            "message": f"The file could not be prepared: {exc}. Try again in a moment.",
            "license": None,
        }
        return render(request, "licensing/download_refused.html", context, status=503)
    if found.content is not None:
        response = HttpResponse(found.content, content_type=found.content_type)
        response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    else:
        response = FileResponse(
            open(found.path, "rb"),  # noqa: SIM115  # FileResponse closes it
            as_attachment=True,
            filename=found.filename,
            content_type=found.content_type,
        )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def verify_file(request: HttpRequest) -> HttpResponse:
    """Anyone uploads an audio file: does it carry a valid license of this platform, credentials intact?"""
    form = VerifyFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = file_check(upload=upload, size=upload.size)
        except LicensingError as exc:
            add_service_error(form, exc)
    context = {
        "file_form": form,
        "file_result": result,
        "verify_max_size": size_label(settings.VERIFY_FILE_MAX_BYTES),
    }
    return render(request, "licensing/verify_file.html", context, status=400 if form.errors else 200)


@require_GET
def channels_csv(request: HttpRequest) -> HttpResponse:
    """Staff only: every registered Content ID channel with its license, as CSV."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise Http404("No such page.")
    response = HttpResponse(
        channels.channels_csv(channels.channels_for_export()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="content-id-channels-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
