"""Pages of the catalog: browse and search, tracks, creators, collections and favourites.

Each view parses the request, calls a selector or a service, and renders. Every write is a POST that
redirects afterwards, and answers JSON instead when the page's script asks for it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import extensions, pages, selectors, services
from catalog.errors import CatalogError
from catalog.forms import CollectForm, CollectionForm, add_service_error
from catalog.models import Collection, Track
from catalog.review_views import track_review_context
from catalog.search.params import parse


def _paginate(request: HttpRequest, items) -> tuple[Paginator, Page | None]:
    paginator = Paginator(items, settings.SEARCH_PAGE_SIZE)
    try:
        return paginator, paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return paginator, None


def _page_or_404(request: HttpRequest, items) -> Page:
    _, page = _paginate(request, items)
    if page is None:
        raise Http404("There is no such page.")
    return page


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _track_or_404(request: HttpRequest, slug: str) -> Track:
    track = selectors.track_get(slug=slug, user=request.user)
    if track is None:
        raise Http404("No track here.")
    return track


# --- browse and search -----------------------------------------------------------------------------


@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    """The home page: the catalog, searched by words and meaning, narrowed by facets."""
    params, errors = parse(request.GET)
    context = {
        "q": request.GET.get("q", "").strip(),
        "facets": pages.facet_options(request.GET, errors),
        "selects": pages.select_options(request.GET),
        "length_presets": pages.length_presets(request.GET),
        "errors": errors,
        "error_summary": pages.error_summary(errors),
    }
    if errors:
        return render(request, "catalog/browse.html", context, status=400)
    results = selectors.track_search(params=params, user=request.user, min_score=settings.SEARCH_MIN_SCORE)
    paginator, page = _paginate(request, results)
    context |= {"chips": pages.filter_chips(request.GET, params), "paginator": paginator, "page": page}
    if page is None:
        context["missing_page"] = request.GET.get("page")
        return render(request, "catalog/browse.html", context, status=404)
    context["tracks"] = selectors.annotate_favorites(list(page.object_list), request.user)
    return render(request, "catalog/browse.html", context)


# --- tracks ----------------------------------------------------------------------------------------


def _track_context(request: HttpRequest, track: Track, collect_form: CollectForm | None = None) -> dict:
    similar = selectors.track_similar(track=track)
    selectors.annotate_favorites([track, *similar], request.user)
    if collect_form is None and request.user.is_authenticated:
        collect_form = CollectForm(collections=selectors.collections_of(user=request.user))
    return {
        "track": track,
        "similar": similar,
        "deliverables": pages.deliverables(track.assets.all()),
        "collect_form": collect_form,
        "disclosure_help": pages.DISCLOSURE_HELP.get(track.disclosure_label, ""),
        "next_url": reverse("catalog:track", args=[track.slug]),
        "panels": extensions.panels_for(request, track),
        "review": track_review_context(request, track),
        "is_upload": pages.is_upload(track),
    }


@require_GET
def track(request: HttpRequest, slug: str) -> HttpResponse:
    track = _track_or_404(request, slug)
    return render(request, "catalog/track.html", _track_context(request, track))


@require_POST
def favorite(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark (favorite=1) or unmark (favorite=0) a track as a favourite of the signed-in user."""
    back = pages.safe_next(request, reverse("catalog:track", args=[slug]))
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse({"error": "Log in to keep favourites."}, status=401)
        return redirect_to_login(back)
    track = _track_or_404(request, slug)
    state = services.favorite_set(
        user=request.user, track=track, favorite=request.POST.get("favorite") != "0"
    )
    if _wants_json(request):
        return JsonResponse({"track": track.slug, "favorite": state})
    return redirect(back)


@require_POST
def collect(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a track to one of the user's collections, or to a new one they name."""
    back = pages.safe_next(request, reverse("catalog:track", args=[slug]))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    track = _track_or_404(request, slug)
    form = CollectForm(request.POST, collections=selectors.collections_of(user=request.user))
    if form.is_valid():
        new_name = form.cleaned_data["new_name"].strip()
        try:
            with transaction.atomic():
                collection = form.cleaned_data["collection"]
                if new_name:
                    collection = services.collection_create(owner=request.user, name=new_name)
                services.collection_add_track(collection=collection, track=track)
        except CatalogError as exc:
            add_service_error(form, exc, rename={"name": "new_name"})
        else:
            messages.success(request, f"Added “{track.title}” to {collection.name}.")
            return redirect(back)
    return render(request, "catalog/track.html", _track_context(request, track, form), status=400)


# --- creators and favourites -----------------------------------------------------------------------


@require_GET
def creator(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.creator_get(slug=slug)
    if profile is None:
        raise Http404("No creator here.")
    page = _page_or_404(request, selectors.creator_tracks(creator=profile))
    tracks = selectors.annotate_favorites(list(page.object_list), request.user)
    return render(request, "catalog/creator.html", {"creator": profile, "page": page, "tracks": tracks})


@login_required
@require_GET
def favorites(request: HttpRequest) -> HttpResponse:
    page = _page_or_404(request, selectors.favorites_of(user=request.user))
    return render(request, "catalog/favorites.html", {"page": page, "tracks": list(page.object_list)})


# --- collections -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def collections(request: HttpRequest) -> HttpResponse:
    """The user's collections, and the form that starts a new one."""
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.collection_create(owner=request.user, **form.cleaned_data)
        except CatalogError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Created {created.name}.")
            return redirect("catalog:collection", pk=created.pk)
    context = {
        "collections": selectors.collections_of(user=request.user),
        "favorites_count": selectors.favorites_of(user=request.user).count(),
        "form": form,
    }
    return render(request, "catalog/collections.html", context, status=400 if form.errors else 200)


def _collection_or_404(request: HttpRequest, pk: int, *, own: bool = False) -> Collection:
    collection = selectors.collection_get(pk=pk, user=request.user)
    if collection is None or (own and collection.owner_id != request.user.id):
        raise Http404("No collection here.")
    return collection


def _render_collection(
    request: HttpRequest, collection: Collection, form: CollectionForm | None = None, status: int = 200
) -> HttpResponse:
    is_owner = collection.owner_id == request.user.id
    if is_owner and form is None:
        form = CollectionForm(
            initial={
                "name": collection.name,
                "description": collection.description,
                "is_public": collection.is_public,
            }
        )
    tracks = selectors.annotate_favorites([item.track for item in collection.items.all()], request.user)
    context = {
        "collection": collection,
        "tracks": tracks,
        "is_owner": is_owner,
        "form": form,
        "next_url": reverse("catalog:collection", args=[collection.pk]),
    }
    return render(request, "catalog/collection.html", context, status=status)


@require_GET
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    """A collection, for its owner or, when it is public, for anyone."""
    return _render_collection(request, _collection_or_404(request, pk))


@login_required
@require_POST
def collection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collection = _collection_or_404(request, pk, own=True)
    form = CollectionForm(request.POST)
    if form.is_valid():
        try:
            services.collection_update(collection=collection, **form.cleaned_data)
        except CatalogError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Collection saved.")
            return redirect("catalog:collection", pk=collection.pk)
    collection.refresh_from_db(fields=["name", "description", "is_public"])
    return _render_collection(request, collection, form, status=400)


@login_required
@require_POST
def collection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    collection = _collection_or_404(request, pk, own=True)
    name = collection.name
    services.collection_delete(collection=collection)
    messages.success(request, f"Deleted {name}. Its tracks are still in the catalog.")
    return redirect("catalog:collections")


@login_required
@require_POST
def collection_remove(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    collection = _collection_or_404(request, pk, own=True)
    track = _track_or_404(request, slug)
    services.collection_remove_track(collection=collection, track=track)
    messages.success(request, f"Removed “{track.title}” from {collection.name}.")
    return redirect(pages.safe_next(request, reverse("catalog:collection", args=[collection.pk])))
