"""Pages of the creator studio: prompts and packs in, live progress out, the library of drafts, and the
custom edits buyers ask for on a track's page.

Each view parses the request, calls one service or selector, and renders. Every write is a POST that
redirects afterwards, and answers JSON instead when the studio's script asks for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors as accounts_selectors
from accounts.models import CreatorProfile
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.errors import CatalogError
from catalog.models import Track
from generation import pages, selectors, services
from generation.errors import GenerationError, QuotaExceeded
from generation.forms import DraftForm, EditForm, PackForm, StudioForm, add_service_error
from generation.models import GenerationJob
from generation.packs import EXAMPLE_CSV, parse_pack

LIBRARY_PAGE_SIZE = 25
MAX_POLLED_JOBS = 50


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def creator_required(view: Callable) -> Callable:
    """Let creators in, passing their profile; send others to log in or to set up a creator profile."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        creator = accounts_selectors.creator_profile_for(user=request.user)
        if creator is None:
            messages.info(request, "The studio is for creators. Set up your creator profile to make music.")
            return redirect("accounts:become_creator")
        return view(request, creator, *args, **kwargs)

    return wrapped


def _next(request: HttpRequest, default: str) -> str:
    """The `next` a form asks to return to, when it stays on this site; `default` otherwise."""
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- the studio ------------------------------------------------------------------------------------


def _render_studio(
    request: HttpRequest,
    *,
    form: StudioForm | None = None,
    pack_form: PackForm | None = None,
    quota_error: str = "",
    status: int = 200,
) -> HttpResponse:
    jobs = selectors.jobs_of(user=request.user).filter(kind=GenerationJob.Kind.LIBRARY)[: pages.RECENT_JOBS]
    context = {
        "form": form or StudioForm(initial={"prompt": request.GET.get("prompt", "")[:500]}),
        "pack_form": pack_form or PackForm(),
        "quota_error": quota_error,
        "quota": pages.quota_usage(request.user),
        "examples": pages.EXAMPLE_PROMPTS,
        "pack_max_lines": settings.GENERATION_PACK_MAX_LINES,
        "jobs": [pages.job_context(job) for job in jobs],
    }
    return render(request, "generation/studio.html", context, status=status)


@creator_required
@require_http_methods(["GET", "POST"])
def studio(request: HttpRequest, creator: CreatorProfile) -> HttpResponse:
    """The prompt box and its advanced controls, the pack upload, and the creator's recent jobs."""
    if request.method == "GET":
        return _render_studio(request)
    form = StudioForm(request.POST)
    quota_error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = services.job_submit(
                owner=request.user,
                creator=creator,
                prompt=data["prompt"],
                params=form.params(),
                variations=data["variations"],
                seed=data["seed"],
            )
        except QuotaExceeded as exc:
            quota_error = exc.message
        except GenerationError as exc:
            add_service_error(form, exc)
        else:
            queued = (
                f"Queued {job.variations} takes. They appear below as they render."
                if job.variations > 1
                else "Queued 1 take. It appears below as it renders."
            )
            if _wants_json(request):
                shown = selectors.job_get(pk=job.pk, user=request.user)
                return JsonResponse(
                    {
                        "job": str(job.pk),
                        "message": queued,
                        "html": pages.render_job(request, shown),
                        "quota": pages.quota_usage(request.user),
                    },
                    status=201,
                )
            messages.success(request, queued)
            return redirect(f"{reverse('generation:studio')}#job-{job.pk}")
    status = 429 if quota_error else 400
    if _wants_json(request):
        html = render_to_string(
            "generation/_studio_form.html",
            {"form": form, "quota_error": quota_error},
            request=request,
        )
        errors = {name: [e["message"] for e in items] for name, items in form.errors.get_json_data().items()}
        return JsonResponse({"errors": errors, "quota": quota_error, "form": html}, status=status)
    return _render_studio(request, form=form, quota_error=quota_error, status=status)


@creator_required
@require_POST
def pack(request: HttpRequest, creator: CreatorProfile) -> HttpResponse:
    """Queue one job per line of a prompt pack, all of them or none."""
    pack_form = PackForm(request.POST, request.FILES)
    quota_error = ""
    if pack_form.is_valid():
        upload = pack_form.cleaned_data["pack"]
        try:
            requests = parse_pack(name=upload.name, data=upload.read())
            jobs = services.jobs_submit(owner=request.user, creator=creator, requests=requests)
        except QuotaExceeded as exc:
            quota_error = exc.message
        except GenerationError as exc:
            pack_form.add_error("pack", exc.message)
        else:
            messages.success(
                request, f"Queued {len(jobs)} job{'s' if len(jobs) > 1 else ''} from {upload.name}."
            )
            return redirect("generation:studio")
    return _render_studio(
        request, pack_form=pack_form, quota_error=quota_error, status=429 if quota_error else 400
    )


@require_GET
def example_pack(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(EXAMPLE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="example-pack.csv"'
    return response


# --- jobs: live state, cancel, retry ---------------------------------------------------------------


@require_GET
def jobs_status(request: HttpRequest) -> HttpResponse:
    """The state of the signed-in user's jobs named in `ids` (comma-separated); others' are left out."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Log in to follow your jobs.", "field": "ids"}, status=401)
    raw = [part for part in request.GET.get("ids", "").split(",") if part.strip()]
    if len(raw) > MAX_POLLED_JOBS:
        return JsonResponse({"error": f"Ask for at most {MAX_POLLED_JOBS} jobs.", "field": "ids"}, status=400)
    try:
        ids = [uuid.UUID(part.strip()) for part in raw]
    except ValueError:
        return JsonResponse({"error": "ids are job ids separated by commas.", "field": "ids"}, status=400)
    jobs = selectors.jobs_of(user=request.user).filter(pk__in=ids) if ids else []
    return JsonResponse(
        {"jobs": [pages.job_state(request, job) for job in jobs], "quota": pages.quota_usage(request.user)}
    )


def _job_action(request: HttpRequest, pk: uuid.UUID, action: Callable, done: str) -> HttpResponse:
    job = selectors.job_get(pk=pk, user=request.user)
    if job is None:
        raise Http404("No such job.")
    error, status = "", 200
    try:
        action(job=job)
    except QuotaExceeded as exc:
        error, status = exc.message, 429
    except GenerationError as exc:
        error, status = exc.message, 409
    if _wants_json(request):
        shown = selectors.job_get(pk=pk, user=request.user)
        return JsonResponse({"error": error, "html": pages.render_job(request, shown)}, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    if job.kind == GenerationJob.Kind.LIBRARY:
        back = f"{reverse('generation:studio')}#job-{job.pk}"
    elif job.parent_track is not None:
        back = f"{reverse('catalog:track', args=[job.parent_track.slug])}#custom-edit"
    else:
        back = reverse("catalog:browse")
    return redirect(_next(request, back))


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _job_action(
        request, pk, services.job_cancel, "Cancelled. Takes already made stay in your library."
    )


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _job_action(request, pk, services.job_retry, "Queued again.")


# --- the library and drafts ------------------------------------------------------------------------


@creator_required
@require_GET
def library(request: HttpRequest, creator: CreatorProfile) -> HttpResponse:
    """The creator's tracks by status (drafts first), with counts per status."""
    status = request.GET.get("status") or Track.Status.DRAFT
    counts = catalog_selectors.creator_status_counts(creator=creator)
    context = {"tabs": pages.library_tabs(counts, status), "status": status}
    if status != "all" and status not in Track.Status.values:
        context["status_error"] = f"There is no status “{status[:40]}”. Choose one of the tabs."
        return render(request, "generation/library.html", context, status=400)
    tracks = catalog_selectors.creator_library(creator=creator, status=None if status == "all" else status)
    page = Paginator(tracks, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"page": page, "tracks": list(page.object_list)}
    return render(request, "generation/library.html", context)


def _own_track_or_404(request: HttpRequest, slug: str) -> Track:
    track = catalog_selectors.track_get(slug=slug, user=request.user)
    if track is None or track.creator.user_id != request.user.pk:
        raise Http404("No track of yours here.")
    return track


def _render_draft(request: HttpRequest, track: Track, form: DraftForm | None = None, status: int = 200):
    editable = track.status in (Track.Status.DRAFT, Track.Status.REJECTED)
    if form is None and editable:
        form = DraftForm(
            initial={"title": track.title, "description": track.description, "moods": track.moods}
        )
    context = {
        "track": track,
        "form": form,
        "editable": editable,
        "engine_made": pages.is_engine_made(track),
    }
    return render(request, "generation/draft.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, slug: str) -> HttpResponse:
    """A track of the creator's own: its words to edit while it is a draft, and what to do next."""
    track = _own_track_or_404(request, slug)
    if request.method == "GET":
        return _render_draft(request, track)
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            catalog_services.track_update_draft(track=track, **form.cleaned_data)
        except CatalogError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Saved.")
            return redirect("generation:draft", slug=track.slug)
    return _render_draft(request, track, form, status=400)


@login_required
@require_POST
def draft_submit(request: HttpRequest, slug: str) -> HttpResponse:
    track = _own_track_or_404(request, slug)
    try:
        catalog_services.track_submit(track=track)
    except CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Submitted for review. A reviewer publishes it or tells you what to change."
        )
    return redirect("generation:draft", slug=track.slug)


def _more(request: HttpRequest, slug: str, make: Callable[..., GenerationJob], done: str) -> HttpResponse:
    track = _own_track_or_404(request, slug)
    try:
        job = make(track=track, owner=request.user)
    except GenerationError as exc:
        messages.error(request, exc.message)
        return redirect("generation:draft", slug=track.slug)
    messages.success(request, done)
    return redirect(f"{reverse('generation:studio')}#job-{job.pk}")


@login_required
@require_POST
def draft_more(request: HttpRequest, slug: str) -> HttpResponse:
    return _more(request, slug, services.draft_more_like_this, "Queued 4 new takes of the same prompt.")


@login_required
@require_POST
def draft_regenerate(request: HttpRequest, slug: str) -> HttpResponse:
    return _more(request, slug, services.draft_regenerate, "Queued a new take with a new seed.")


# --- custom edits ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for a published engine-made track at another length, with hit points."""
    track = catalog_selectors.track_get(slug=slug, user=request.user)
    if track is None or track.status != Track.Status.PUBLISHED or not pages.is_engine_made(track):
        raise Http404("No custom edits of this track.")
    back = reverse("catalog:track", args=[track.slug])
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    form = EditForm(request.POST or None, initial={"duration": round(track.duration)})
    quota_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_submit(
                owner=request.user,
                track=track,
                duration=form.cleaned_data["duration"],
                hits=form.cleaned_data["hits"],
            )
        except QuotaExceeded as exc:
            quota_error = exc.message
        except GenerationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your edit is on its way: its preview appears here when it is ready.")
            return redirect(f"{back}#custom-edit")
    status = 200 if request.method == "GET" else 429 if quota_error else 400
    context = {"track": track, "form": form, "quota_error": quota_error, "back": back}
    return render(request, "generation/edit.html", context, status=status)
