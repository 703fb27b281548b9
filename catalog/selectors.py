"""Reads of the catalog, shaped for pages and the API: each costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from accounts.models import CreatorProfile, User
from accounts.selectors import is_reviewer
from catalog.models import (
    Collection,
    CollectionItem,
    DuplicateFinding,
    Favorite,
    ReviewDecision,
    Track,
    TrackEdit,
)
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
        qs = qs.alias(_moods=F("mood_bits").bitand(bits)).filter(_moods=bits)
    if params.get("instrument"):
        bits = instrument_bits(params["instrument"])
        qs = qs.alias(_instruments=F("instrument_bits").bitand(bits)).filter(_instruments=bits)
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


class RankedTracks(Sequence):
    """Tracks ranked by meaning: ids and scores in memory, rows fetched one page at a time.

    The order is given by `keys` (numpy.lexsort keys, the last one primary), or is that of `ids` when
    there are none. Only as much of it is sorted as the pages asked for need: a first page out of
    100,000 matches costs a partition and a sort of a few hundred, not a sort of them all.
    Behaves like a sliceable, countable list, so Django's and DRF's paginators page it like a queryset.
    """

    def __init__(self, ids: np.ndarray, scores: np.ndarray, keys: tuple[np.ndarray, ...] = ()) -> None:
        self.ids = ids
        self.scores = scores
        self.keys = keys

    def count(self) -> int:  # type: ignore[override]  # the paginator's protocol, not list.count
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def _first(self, stop: int) -> np.ndarray:
        """Positions in `ids` of the first `stop` tracks in rank order."""
        if not self.keys or stop <= 0:
            return np.arange(min(max(stop, 0), len(self.ids)))
        if stop * 4 >= len(self.ids):
            return np.lexsort(self.keys)[:stop]
        # Whatever can be among the first `stop` has a primary key no greater than the stop-th
        # smallest; sorting just those (in their original order, as lexsort is stable) gives the same
        # order as sorting everything.
        primary = self.keys[-1]
        bound = np.partition(primary, stop - 1)[stop - 1]
        near = np.flatnonzero(primary <= bound)
        return near[np.lexsort(tuple(key[near] for key in self.keys))][:stop]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, step = index.indices(len(self.ids))
        positions = self._first(stop)[start:stop:step] if step > 0 else self._first(len(self.ids))[index]
        ids = [int(i) for i in self.ids[positions]]
        scores = dict(zip(ids, (float(s) for s in self.scores[positions]), strict=True))
        rows = {t.id: t for t in _base().filter(id__in=ids)}
        page = []
        for track_id in ids:
            track = rows.get(track_id)
            if track is not None:
                track.score = round(scores[track_id], 4)
                page.append(track)
        return page


class PagedTracks(Sequence):
    """A filtered queryset read one page at a time: the rows whose ids are that page of the filter.

    The page's ids are picked in a subquery that, on PostgreSQL, reads the facet index alone (an
    index-only scan that stops after the page), so a page never reads and sorts every matching row of
    the wide track table; only its own rows are read. Pages like a queryset for Django's and DRF's
    paginators, in the same number of queries.
    """

    def __init__(self, qs: QuerySet[Track], ordering: tuple[str, ...]) -> None:
        self.qs = qs.order_by(*ordering)
        self.ordering = ordering
        self._count: int | None = None

    def count(self) -> int:  # type: ignore[override]  # the paginator's protocol, not list.count
        if self._count is None:
            self._count = self.qs.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return list(_base().filter(id__in=self.qs.values("id")[index]).order_by(*self.ordering))

    def __iter__(self):
        return iter(self[:])


# A sort column as PostgreSQL hands it over in bulk: float8, dates as epoch seconds.
_AS_FLOAT8 = {"published_at": "extract(epoch from published_at)", "bpm": "bpm", "duration": "duration"}


def _candidates(qs: QuerySet[Track], column: str | None) -> tuple[np.ndarray, np.ndarray | None]:
    """The ids of every track the filters admit, in one query, and, if asked, one sort column as
    float64: dates as timestamps, NaN where the value is missing (drafts have no publication date)."""
    fields = ("id",) if column is None else ("id", column)
    sql, params = qs.order_by().values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Often most of the catalog: as one bytea per column the driver makes one Python object
            # rather than one per row and value (a third of the time at 100,000 tracks).
            select = "string_agg(int8send(id), ''::bytea)"
            if column:
                value = f"coalesce(({_AS_FLOAT8[column]})::float8, 'NaN')"
                select += f", string_agg(float8send({value}), ''::bytea)"
            cursor.execute(f"SELECT {select} FROM ({sql}) AS found", params)
            blobs = cursor.fetchone()
            ids = np.frombuffer(blobs[0] or b"", dtype=">i8").astype(np.int64)
            return ids, np.frombuffer(blobs[1] or b"", dtype=">f8").astype(np.float64) if column else None
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    if column is None:
        return ids, None
    values = [r[1] for r in rows]
    if any(isinstance(v, datetime) for v in values):
        # SQLite hands dates back naive, in UTC
        values = [v if v is None else (v if v.tzinfo else v.replace(tzinfo=UTC)).timestamp() for v in values]
    return ids, np.array(values, dtype=np.float64)  # None becomes NaN


def track_search(
    *, params: dict, user: User | AnonymousUser, min_score: float
) -> QuerySet[Track] | PagedTracks | RankedTracks:
    """Tracks matching validated search parameters, in the requested order.

    Without a query: one SQL query per page (plus the count). With a query: facets narrow in SQL, then
    the in-memory index ranks what is left by relevance to the query (`VectorIndex.relevance`), keeping
    matches scoring at least `min_score`. Without the embedding model, the query matches words instead.
    """
    qs = _filter(_base(), params, user)
    ordering = params.get("ordering") or ("relevance" if params.get("q") else "newest")
    q = params.get("q")
    if not q:
        return PagedTracks(qs, SORT_FIELDS.get(ordering, SORT_FIELDS["newest"]))
    if not semantic_available():
        for word in q.split():
            qs = qs.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(genre__icontains=word)
            )
        return qs.order_by(*SORT_FIELDS.get(ordering, SORT_FIELDS["newest"]))

    column = None if ordering == "relevance" else SORT_FIELDS[ordering][0].lstrip("-")
    ids, sort_values = _candidates(qs, column)
    if column is None:
        ids = np.sort(ids)  # looked up in the index's sorted ids several times faster in order
    index = get_index()
    query = embed_query(q)
    rows, found = index.rows(ids)
    scores = index.relevance(rows, query)
    ids = ids[found]
    keep = scores >= min_score
    ids, scores = ids[keep], scores[keep]
    if ordering == "relevance":
        return RankedTracks(ids, scores, keys=(ids, -scores))
    values = sort_values[found][keep]
    descending = SORT_FIELDS[ordering][0].startswith("-")
    # By value, best match first among equal values; rows without a value (drafts have no publication
    # date) go last.
    key = np.where(np.isnan(values), np.inf, -values if descending else values)
    return RankedTracks(ids, scores, keys=(-scores, key))


def track_get(*, slug: str, user: User | AnonymousUser) -> Track | None:
    """One track by slug as `user` may see it (unpublished ones only for their creator, staff and
    reviewers), or None."""
    qs = _base().select_related("provenance", "creator__user").prefetch_related("assets")
    track = qs.filter(slug=slug).first()
    if track is None:
        return None
    if track.status == Track.Status.PUBLISHED:
        return track
    if user.is_authenticated and (track.creator.user_id == user.id or user.is_staff or is_reviewer(user)):
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


def track_by_source_key(key: str) -> Track | None:
    """The track made from the output that `key` names, if it was stored already."""
    return Track.objects.filter(source_key=key).first()


def edit_by_source_key(key: str) -> TrackEdit | None:
    return TrackEdit.objects.filter(source_key=key).first()


def creator_library(*, creator: CreatorProfile, status: str | None = None) -> QuerySet[Track]:
    """A creator's own tracks in every status, newest first, for their studio."""
    qs = Track.objects.filter(creator=creator).select_related("creator", "provenance")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def creator_status_counts(*, creator: CreatorProfile) -> dict[str, int]:
    rows = Track.objects.filter(creator=creator).values_list("status").annotate(n=Count("id"))
    counts = dict.fromkeys(Track.Status.values, 0)
    counts.update(dict(rows))
    return counts


# --- the review desk -------------------------------------------------------------------------------

# A finding against a track that was rejected no longer counts: that copy never went on sale.
_LIVE_MATCH = ~Q(match__status=Track.Status.REJECTED)


def review_queue() -> QuerySet[Track]:
    """Tracks in review, the longest waiting first, with what a reviewer needs on one page: creator,
    provenance, files, duplicate findings (with the matching tracks) and earlier decisions."""
    findings = Prefetch(
        "duplicate_findings",
        queryset=DuplicateFinding.objects.filter(_LIVE_MATCH).select_related("match__creator"),
    )
    decisions = Prefetch("review_decisions", queryset=ReviewDecision.objects.select_related("by"))
    return (
        Track.objects.filter(status=Track.Status.IN_REVIEW)
        .select_related("creator", "provenance")
        .prefetch_related("assets", findings, decisions)
        .order_by("submitted_at", "id")
    )


def review_history(*, track: Track) -> list[ReviewDecision]:
    """Every decision about the track, newest first."""
    return list(ReviewDecision.objects.filter(track=track).select_related("by"))


# Decisions whose reason the creator must read: what to change, or why the track is not on sale.
_NOTED = (
    ReviewDecision.Decision.REQUEST_CHANGES,
    ReviewDecision.Decision.REJECT,
    ReviewDecision.Decision.TAKE_DOWN,
)


def review_note(*, track: Track) -> ReviewDecision | None:
    """The latest decision the creator should read: changes requested, a rejection or a takedown (with
    the reason); None once the track has moved on from it (submitted again, say)."""
    latest = ReviewDecision.objects.filter(track=track).first()
    if latest is None or latest.decision not in _NOTED or latest.status_after != track.status:
        return None
    return latest


def duplicate_findings(*, track: Track) -> list[DuplicateFinding]:
    """The other tracks of the catalog that hold the same audio as `track`, either way round."""
    found = DuplicateFinding.objects.filter(Q(track=track) | Q(match=track)).select_related(
        "track__creator", "match__creator"
    )
    out = []
    for finding in found:
        other = finding.match if finding.track_id == track.pk else finding.track
        if other.status != Track.Status.REJECTED:
            finding.other = other
            out.append(finding)
    return out


def track_has_near_duplicates(*, track: Track) -> bool:
    """Whether another live track of the catalog holds the same or nearly the same audio: an exclusive
    buyout of either could not be honoured, so licensing does not offer it."""
    rejected = Track.Status.REJECTED
    return DuplicateFinding.objects.filter(
        (Q(track=track) & ~Q(match__status=rejected)) | (Q(match=track) & ~Q(track__status=rejected))
    ).exists()
