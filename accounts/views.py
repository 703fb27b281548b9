"""Pages of the accounts room: sign-up, log-in and the creator profile form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.errors import AccountsError
from accounts.forms import CreatorProfileForm, SignupForm, add_service_error


def _safe_next(request: HttpRequest) -> str:
    """The `next` the request asks for, when it stays on this site; empty otherwise."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _after_signup(request: HttpRequest) -> str:
    return _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_after_signup(request))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                email=form.cleaned_data["email"], password=form.cleaned_data["password1"]
            )
        except AccountsError as exc:
            add_service_error(form, exc, rename={"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your account is ready.")
            return redirect(_after_signup(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def become_creator(request: HttpRequest) -> HttpResponse:
    """Create your creator profile, or edit it once you have one."""
    profile = selectors.creator_profile_for(user=request.user)
    form = (
        CreatorProfileForm(request.POST, request.FILES, profile=profile)
        if request.method == "POST"
        else CreatorProfileForm(profile=profile)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.creator_profile_save(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                slug=form.cleaned_data["slug"],
                bio=form.cleaned_data["bio"],
                avatar=form.avatar_upload,
                remove_avatar=form.avatar_removed,
            )
        except AccountsError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, "Your creator profile is saved." if profile else "You are now a creator."
            )
            return redirect("catalog:creator", saved.slug)
    return render(request, "accounts/creator_profile_form.html", {"form": form, "profile": profile})
