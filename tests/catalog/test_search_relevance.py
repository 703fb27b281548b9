"""Relevance weighs a track's tagged moods beside the meaning of its words."""

import numpy as np
import pytest

from catalog.search.index import MOOD_WEIGHT, VectorIndex, embed_query
from catalog.taxonomy import mood_bits
from common import embeddings

pytestmark = pytest.mark.skipif(not embeddings.available(), reason="sentence embeddings are not installed")


def index_of(mood_sets: list[list[str]]) -> VectorIndex:
    # Every row has the same words, so only the moods can tell them apart.
    words = embeddings.embed(["a cue for a film scene"])[0]
    vectors = np.tile(words, (len(mood_sets), 1))
    bits = np.array([mood_bits(moods) for moods in mood_sets], dtype=np.int64)
    return VectorIndex(1, np.arange(1, len(mood_sets) + 1, dtype=np.int64), vectors, bits)


def test_a_track_tagged_with_the_asked_mood_ranks_above_one_with_an_opposite_mood():
    index = index_of([["calm", "happy"], ["tense", "dark"]])
    scores = index.relevance(np.arange(2), embed_query("music for a tense heist scene"))
    assert scores[1] > scores[0]


def test_the_best_fitting_mood_of_a_track_is_what_counts():
    index = index_of([["tense"], ["tense", "happy"]])
    scores = index.relevance(np.arange(2), embed_query("tense standoff"))
    assert scores[0] == pytest.approx(scores[1])


def test_a_track_without_moods_is_scored_by_its_words_alone():
    index = index_of([[]])
    query = embed_query("a cue for a film scene")
    text = float(index.vectors[0] @ query)
    assert index.relevance(np.arange(1), query)[0] == pytest.approx((1 - MOOD_WEIGHT) * text, abs=1e-6)
