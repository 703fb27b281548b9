"""Reads of the catalog, shaped for pages and the API: each costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from accounts.models import CreatorProfile, User
from catalog.models import Collection, CollectionItem, Favorite, Track
from catalog.search.index import embed_query, get_index, semantic_available
from catalog.taxonomy import instrument_bits, mood_bits

SORT_FIELDS = {
    "newest": ("-published_at", "-id"),
    "duration": ("duration", "id"),
    "-duration": ("-duration", "-id"),
    "bpm": ("bpm", "id"),
    "-bpm": ("-bpm", "-id"),
}


def _base() -> QuerySet[Track]:
    return Track.objects.select_related("creator")


def visible_tracks(user: User | AnonymousUser) -> QuerySet[Track]:
    """Published tracks for everyone, plus the user's own tracks in any status."""
    qs = _base()
    if user.is_authenticated:
        return qs.filter(Q(status=Track.Status.PUBLISHED) | Q(creator__user=user))
    return qs.filter(status=Track.Status.PUBLISHED)


def _filter(qs: QuerySet[Track], params: dict, user: User | AnonymousUser) -> QuerySet[Track]:
    if params.get("creator"):
        qs = qs.filter(creator__slug=params["creator"])
        own = user.is_authenticated and qs.filter(creator__user=user).exists()
        if not own:
            qs = qs.filter(status=Track.Status.PUBLISHED)
    else:
        qs = qs.filter(status=Track.Status.PUBLISHED)
    if params.get("genre"):
        qs = qs.filter(genre__in=params["genre"])
    if params.get("mood"):
        bits = mood_bits(params["mood"])
        qs = qs.alias(_moods=_bitand("mood_bits", bits)).filter(_moods=bits)
    if params.get("instrument"):
        bits = instrument_bits(params["instrument"])
        qs = qs.alias(_instruments=_bitand("instrument_bits", bits)).filter(_instruments=bits)
    for name, lookup in (
        ("bpm_min", "bpm__gte"),
        ("bpm_max", "bpm__lte"),
        ("duration_min", "duration__gte"),
        ("duration_max", "duration__lte"),
    ):
        if params.get(name) is not None:
            qs = qs.filter(**{lookup: params[name]})
    for name in ("key", "mode", "energy"):
        if params.get(name):
            qs = qs.filter(**{name: params[name]})
    return qs


def _bitand(field: str, bits: int) -> F:
    return F(field).bitand(bits)


class RankedTracks(Sequence):
    """Tracks ranked by meaning: ids and scores in memory, rows fetched one page at a time.

    Behaves like a sliceable, countable list, so Django's and DRF's paginators page it like a queryset.
    """

    def __init__(self, ids: np.ndarray, scores: np.ndarray) -> None:
        self.ids = ids
        self.scores = scores

    def count(self) -> int:  # type: ignore[override]  # the paginator's protocol, not list.count
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = [int(i) for i in self.ids[index]]
        scores = dict(zip(ids, (float(s) for s in self.scores[index]), strict=True))
        rows = {t.id: t for t in _base().filter(id__in=ids)}
        page = []
        for track_id in ids:
            track = rows.get(track_id)
            if track is not None:
                track.score = round(scores[track_id], 4)
                page.append(track)
        return page


def _candidates(qs: QuerySet[Track], column: str | None) -> tuple[np.ndarray, list]:
    """The ids (and one sort column) of every track the filters admit, in one raw query."""
    fields = ("id",) if column is None else ("id", column)
    sql, params = qs.order_by().values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return ids, [r[1] for r in rows] if column else []


def track_search(
    *, params: dict, user: User | AnonymousUser, min_score: float
) -> QuerySet[Track] | RankedTracks:
    """Tracks matching validated search parameters, in the requested order.

    Without a query: one SQL query per page (plus the count). With a query: facets narrow in SQL, then
    the in-memory index ranks what is left by cosine similarity to the query's embedding, keeping matches
    scoring at least `min_score`. Without the embedding model, the query matches words instead.
    """
    qs = _filter(_base(), params, user)
    ordering = params.get("ordering") or ("relevance" if params.get("q") else "newest")
    q = params.get("q")
    if not q:
        return qs.order_by(*SORT_FIELDS.get(ordering, SORT_FIELDS["newest"]))
    if not semantic_available():
        for word in q.split():
            qs = qs.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(genre__icontains=word)
            )
        return qs.order_by(*SORT_FIELDS.get(ordering, SORT_FIELDS["newest"]))

    column = None if ordering == "relevance" else SORT_FIELDS[ordering][0].lstrip("-")
    ids, sort_values = _candidates(qs, column)
    index = get_index()
    query = embed_query(q)
    rows, found = index.rows(ids)
    scores = index.vectors[rows] @ query
    ids = ids[found]
    keep = scores >= min_score
    ids, scores = ids[keep], scores[keep]
    if ordering == "relevance":
        order = np.lexsort((ids, -scores))
    else:
        values = [v for v, f in zip(sort_values, found, strict=True) if f]
        values = [v for v, k in zip(values, keep, strict=True) if k]
        descending = SORT_FIELDS[ordering][0].startswith("-")
        order = np.array(
            sorted(
                range(len(ids)), key=lambda i: (values[i] is None, values[i], -scores[i]), reverse=descending
            ),
            dtype=np.int64,
        )
    return RankedTracks(ids[order], scores[order])


def track_get(*, slug: str, user: User | AnonymousUser) -> Track | None:
    """One track by slug as `user` may see it (drafts only for their creator and staff), or None."""
    qs = _base().select_related("provenance", "creator__user").prefetch_related("assets")
    track = qs.filter(slug=slug).first()
    if track is None:
        return None
    if track.status == Track.Status.PUBLISHED:
        return track
    if user.is_authenticated and (track.creator.user_id == user.id or user.is_staff):
        return track
    return None


def track_similar(*, track: Track, limit: int = 6) -> list[Track]:
    """Published tracks nearest to `track` by meaning (its embedding), best first."""
    index = get_index()
    vector = index.vector(track.id)
    if vector is None:
        return []
    qs = _base().filter(status=Track.Status.PUBLISHED).exclude(pk=track.pk)
    ids, _ = _candidates(qs, None)
    ids, scores = index.scores(ids, vector)
    top = np.argsort(-scores, kind="stable")[:limit]
    return RankedTracks(ids[top], scores[top])[0:limit]


def track_is_favorite(*, user: User | AnonymousUser, track: Track) -> bool:
    return user.is_authenticated and Favorite.objects.filter(user=user, track=track).exists()


def annotate_favorites(tracks: list[Track], user: User | AnonymousUser) -> list[Track]:
    """Set `is_favorite` on each track of a page for `user`, in one query."""
    liked: set[int] = set()
    if user.is_authenticated and tracks:
        liked = set(
            Favorite.objects.filter(user=user, track_id__in=[t.id for t in tracks]).values_list(
                "track_id", flat=True
            )
        )
    for track in tracks:
        track.is_favorite = track.id in liked
    return tracks


def creator_get(*, slug: str) -> CreatorProfile | None:
    return (
        CreatorProfile.objects.filter(slug=slug)
        .annotate(published_count=Count("tracks", filter=Q(tracks__status=Track.Status.PUBLISHED)))
        .first()
    )


def creator_tracks(*, creator: CreatorProfile) -> QuerySet[Track]:
    return _base().filter(creator=creator, status=Track.Status.PUBLISHED).order_by("-published_at", "-id")


def favorites_of(*, user: User) -> QuerySet[Track]:
    """The user's favourite tracks that are still on sale, most recently liked first."""
    liked = Favorite.objects.filter(user=user, track=OuterRef("pk"))
    return (
        _base()
        .filter(favorited_by__user=user, status=Track.Status.PUBLISHED)
        .annotate(is_favorite=Exists(liked))
        .order_by("-favorited_by__created_at")
    )


def collections_of(*, user: User) -> QuerySet[Collection]:
    return Collection.objects.filter(owner=user).annotate(track_count=Count("items"))


def collection_get(*, pk: int, user: User | AnonymousUser) -> Collection | None:
    """A collection its owner may see, or anyone if it is public."""
    visible = Q(is_public=True)
    if user.is_authenticated:
        visible |= Q(owner=user)
    tracks = Prefetch(
        "items",
        queryset=CollectionItem.objects.select_related("track__creator").filter(
            track__status=Track.Status.PUBLISHED
        ),
    )
    return Collection.objects.filter(visible, pk=pk).select_related("owner").prefetch_related(tracks).first()
