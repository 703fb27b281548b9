"""The in-process vector index: every track's embedding in one float32 matrix, ranked with one product.

Each process keeps its own copy and checks a one-row version counter (one indexed query) before use;
when another process has changed searchable data, the copy is reloaded. Facet filters are never
re-implemented here: SQL decides which tracks qualify and the index only scores them.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
from django.db import connection

from catalog.models import SearchIndexState, Track
from catalog.taxonomy import label
from common import embeddings
from common.vocabulary import MOODS

# How much a track's tagged moods count in its relevance, beside the meaning of its words.
MOOD_WEIGHT = 0.3


def mood_vectors() -> np.ndarray:
    """One embedding per mood of the vocabulary ("tense music", ...), in its order."""
    return embeddings.embed_constant(tuple(f"{label(m).lower()} music" for m in MOODS))


class VectorIndex:
    def __init__(
        self, version: int, ids: np.ndarray, vectors: np.ndarray, mood_bits: np.ndarray | None = None
    ) -> None:
        self.version = version
        self.ids = ids  # sorted ascending
        self.vectors = vectors
        # Tracks share few distinct mood sets: keep each set once and, per row, which set it has.
        bits = np.zeros(len(ids), dtype=np.int64) if mood_bits is None else mood_bits
        mood_sets, self.mood_set_of_row = np.unique(bits, return_inverse=True)
        self.mood_sets = (mood_sets[:, None] >> np.arange(len(MOODS))) & 1 == 1  # (sets, moods) bool

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers of `ids` in the matrix, and a mask of which ids have a row at all."""
        if not len(self.ids):
            return np.zeros(0, dtype=np.int64), np.zeros(len(ids), dtype=bool)
        pos = np.searchsorted(self.ids, ids)
        pos = np.minimum(pos, len(self.ids) - 1)
        found = self.ids[pos] == ids
        return pos[found], found

    def scores(self, ids: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ids that have an embedding, their cosine similarity to `query`)."""
        rows, found = self.rows(ids)
        return ids[found], self.row_scores(rows, query)

    def row_scores(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Cosine similarity to `query` of the given matrix rows."""
        if len(rows) * 4 > len(self.ids):
            # Scoring every row, then picking, reads the matrix once; picking first would copy most of
            # it (150 MB at 100,000 tracks) before the product.
            return (self.vectors @ query)[rows]
        return self.vectors[rows] @ query

    def relevance(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """How well the given rows answer a search query: mostly the meaning of the track's words, partly
        how close its best-fitting mood is to the query. A buyer asking for "a tense heist scene" wants
        tense tracks first, even where a description's wording happens to sit nearer to the query."""
        text = self.row_scores(rows, query)
        closeness = mood_vectors() @ query  # (moods,)
        per_set = np.where(self.mood_sets, closeness, -np.inf).max(axis=1)
        per_set[~np.isfinite(per_set)] = 0.0  # a track without moods gains nothing
        mood = per_set[self.mood_set_of_row[rows]]
        return ((1.0 - MOOD_WEIGHT) * text + MOOD_WEIGHT * mood).astype(np.float32)

    def vector(self, track_id: int) -> np.ndarray | None:
        rows, found = self.rows(np.array([track_id], dtype=np.int64))
        return self.vectors[rows[0]] if found[0] else None


_lock = threading.Lock()
_current: VectorIndex | None = None


def current_version() -> int:
    state = SearchIndexState.objects.filter(pk=1).values_list("version", flat=True).first()
    return state or 0


def get_index() -> VectorIndex:
    """This process's index, reloaded first if the catalog changed since it was loaded."""
    global _current
    version = current_version()
    index = _current
    if index is not None and index.version == version:
        return index
    with _lock:
        if _current is None or _current.version != version:
            _current = _load(version)
        return _current


def _load(version: int) -> VectorIndex:
    table = Track._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, mood_bits, embedding FROM {table} WHERE embedding IS NOT NULL ORDER BY id"
        )
        rows = cursor.fetchall()
    dims = embeddings.DIMENSIONS
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    mood_bits = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    vectors = np.empty((len(rows), dims), dtype=np.float32)
    for i, (_, _, blob) in enumerate(rows):
        vectors[i] = np.frombuffer(bytes(blob), dtype="<f4", count=dims)
    return VectorIndex(version, ids, vectors, mood_bits)


@lru_cache(maxsize=512)
def embed_query(text: str) -> np.ndarray:
    """A search query's embedding; repeated queries (pagination, facet changes) are served from memory."""
    vector = embeddings.embed([text])[0]
    vector.setflags(write=False)
    return vector


def semantic_available() -> bool:
    return embeddings.available()
