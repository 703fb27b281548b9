"""Meaning: the free words of a prompt mapped onto genre, moods and instruments, by embeddings or lexically."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from common import embeddings as embed

from ..brief import GENRES, INSTRUMENTS, MOODS
from ..vocabulary import (
    GENRE_PROFILES,
    HIGH_ENERGY_WORDS,
    INSTRUMENT_NAMES,
    LEXICAL_SYNONYMS,
    LOW_ENERGY_WORDS,
    MOOD_PROFILES,
)
from .instruments import _ALIAS_RE

NEUTRAL_PROMPT = "background music"

# Tuned on the prompts in tests/engine/test_prompt.py: cosine similarities of MiniLM sit around
# 0.2 for unrelated text and 0.5-1.0 for a good match.
GENRE_KEYWORD_BONUS = 0.15
MOOD_NAME_BONUS = 0.1
MOOD_AFFINITY_WEIGHT = 0.5  # a prompt that only names a mood still leans to the genres of that mood
GENRE_MOOD_PRIOR = 0.08  # and a genre with no mood words gets its own typical moods
MOOD_MARGIN = 0.07
MOOD_CONFIDENT = 0.45
INSTRUMENT_THRESHOLD = 0.72
INSTRUMENT_GAP = 0.05
CHUNK_WEIGHT = 0.9


@dataclass(frozen=True)
class Meaning:
    """What the free words of a prompt mean: the nearest genre, 1-3 moods, and instruments named by meaning."""

    genre: str
    moods: tuple[str, ...]
    valence: float
    arousal: float
    instruments: tuple[str, ...] = ()


def matcher_name() -> str:
    """The matcher `parse_prompt` uses in this process: "embeddings" or "lexical"."""
    return "embeddings" if embed.available() else "lexical"


_CHUNK_RE = re.compile(r"[,;.!?]+")
_INSTRUMENT_CHUNK_RE = re.compile(r"[,;.!?&+]+|\b(?:and|with|plus|featuring|feat)\b", re.I)


def _match(text: str) -> Meaning:
    # A prompt of numbers only ("90 bpm, 30 s") still needs a genre: the most neutral one.
    text = text if re.search(r"[^\W\d_]", text) else NEUTRAL_PROMPT
    return embedding_match(text) if embed.available() else lexical_match(text)


def _chunks(text: str, splitter: re.Pattern[str]) -> list[str]:
    return [chunk for chunk in (" ".join(c.split()) for c in splitter.split(text)) if chunk]


@lru_cache(maxsize=1)
def _phrase_table() -> tuple[tuple[str, ...], dict[str, np.ndarray]]:
    """Every phrase of the vocabulary in one tuple, and per kind the index where each entry's phrases start."""
    groups = {
        "genre": [p.phrases for p in GENRE_PROFILES.values()],
        "mood": [p.phrases for p in MOOD_PROFILES.values()],
        "instrument": [INSTRUMENT_NAMES[name] for name in INSTRUMENTS],
    }
    phrases: list[str] = []
    starts: dict[str, np.ndarray] = {}
    for kind, entries in groups.items():
        offsets = []
        for entry in entries:
            offsets.append(len(phrases))
            phrases.extend(entry)
        starts[kind] = np.array([*offsets, len(phrases)])
    return tuple(phrases), starts


def _best_per_entry(scores: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    return np.maximum.reduceat(scores[:, bounds[0] : bounds[-1]], bounds[:-1] - bounds[0], axis=1)


@lru_cache(maxsize=512)
def embedding_match(text: str) -> Meaning:
    """Map free text onto genre, moods and instruments by sentence-embedding similarity (one batch)."""
    phrases, bounds = _phrase_table()
    vocabulary = embed.embed_constant(phrases)
    whole = " ".join(text.split()) or NEUTRAL_PROMPT
    chunks = [c for c in _chunks(text, _CHUNK_RE) if c != whole]
    pieces = _chunks(text, _INSTRUMENT_CHUNK_RE)
    queries = list(dict.fromkeys([whole, *chunks, *pieces]))
    scores = embed.embed(queries) @ vocabulary.T
    described = scores[: 1 + len(chunks)]
    weights = np.array([1.0] + [CHUNK_WEIGHT] * len(chunks))[:, None]
    genre = (_best_per_entry(described, bounds["genre"]) * weights).max(axis=0)
    mood = (_best_per_entry(described, bounds["mood"]) * weights).max(axis=0)
    # Only pieces that name no instrument outright, and only clear winners: "gritty bass" is no
    # particular bass, and the genre's own bass should play it.
    unnamed = [p for p in pieces if not _ALIAS_RE.search(p)]
    named: list[str] = []
    if unnamed:
        rows = _best_per_entry(scores[[queries.index(p) for p in unnamed]], bounds["instrument"])
        for row in np.round(rows, 4):
            second, best = np.sort(row)[-2:]
            if best >= INSTRUMENT_THRESHOLD and best - second >= INSTRUMENT_GAP:
                named.append(INSTRUMENTS[int(np.argmax(row))])
    return _resolve(text, genre, mood, MOOD_MARGIN, bonuses=True, instruments=tuple(dict.fromkeys(named)))


_STOPWORDS = frozenset(
    re.findall(
        r"\S+",
        "a an the and or of to for with in on at by from into some my our your this that it its is be "
        "music track song tune piece cue sound sounds vibe style feel like very",
    )
)


def _tokens(text: str) -> list[str]:
    lowered = text.lower()
    for pattern, replacement in (
        (r"\blo[\s-]?fi\b", "lofi"),
        (r"\bhip[\s-]?hop\b", "hiphop"),
        (r"\bhi[\s-]?hats?\b", "hihat"),
    ):
        lowered = re.sub(pattern, replacement, lowered)
    words = re.findall(r"[a-z0-9]+", lowered)
    stems = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]
    return [w for w in stems if w not in _STOPWORDS]


@lru_cache(maxsize=1)
def _lexical_index() -> dict[str, list[set[str]]]:
    genres = [
        set(_tokens(" ".join((p.name, *p.phrases, *p.keywords, *LEXICAL_SYNONYMS[p.name]))))
        for p in GENRE_PROFILES.values()
    ]
    moods = [
        set(_tokens(" ".join((m.name, *m.phrases, *LEXICAL_SYNONYMS[m.name]))))
        for m in MOOD_PROFILES.values()
    ]
    return {"genre": genres, "mood": moods}


def _lexical_scores(words: list[str], entries: list[set[str]]) -> np.ndarray:
    # A word shared by many entries says little about any one of them.
    scores = np.zeros(len(entries))
    for word in dict.fromkeys(words):
        holders = [i for i, entry in enumerate(entries) if word in entry]
        for i in holders:
            scores[i] += 1.0 / len(holders)
    return scores


def lexical_match(text: str) -> Meaning:
    """Map free text onto genre and moods by word and synonym overlap; the matcher without embeddings."""
    index = _lexical_index()
    words = _tokens(text)
    genre = _lexical_scores(words, index["genre"])
    mood = _lexical_scores(words, index["mood"])
    return _resolve(text, genre, mood, None, bonuses=False, instruments=())


def _resolve(
    text: str,
    genre: np.ndarray,
    mood: np.ndarray,
    margin: float | None,
    *,
    bonuses: bool,
    instruments: tuple[str, ...],
) -> Meaning:
    lowered = " ".join(_tokens(text)) + " " + text.lower()
    genre, mood = genre.astype(np.float64), mood.astype(np.float64)
    if bonuses:
        for i, profile in enumerate(GENRE_PROFILES.values()):
            if any(re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", lowered) for k in profile.keywords):
                genre[i] += GENRE_KEYWORD_BONUS
        mood += MOOD_NAME_BONUS * np.array([bool(re.search(rf"\b{m}\b", lowered)) for m in MOODS])
    affinity = np.array([max(mood[MOODS.index(m)] for m in p.moods) for p in GENRE_PROFILES.values()])
    total = np.round(genre + MOOD_AFFINITY_WEIGHT * affinity, 4)
    chosen_genre = GENRES[int(np.argmax(total))]  # argmax keeps the first of equals: GENRES order breaks ties
    # The weaker the prompt's own mood words, the more the genre's usual moods count.
    prior = GENRE_MOOD_PRIOR + (max(0.0, MOOD_CONFIDENT - float(mood.max())) if margin is not None else 0.0)
    usual = np.array([m in GENRE_PROFILES[chosen_genre].moods for m in MOODS])
    mood = np.round(mood + prior * usual, 4)
    rank = {name: i for i, name in enumerate(GENRE_PROFILES[chosen_genre].moods)}
    order = sorted(range(len(MOODS)), key=lambda i: (-mood[i], rank.get(MOODS[i], len(MOODS)), i))
    best = mood[order[0]]
    floor = best - margin if margin is not None else 0.75 * best
    chosen = [i for i in order[:3] if mood[i] >= floor]
    weights = np.maximum(mood[chosen], 1e-3)
    profiles = [MOOD_PROFILES[MOODS[i]] for i in chosen]
    valence = float(np.dot(weights, [p.valence for p in profiles]) / weights.sum())
    arousal = float(np.dot(weights, [p.arousal for p in profiles]) / weights.sum())
    low = any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text.lower()) for w in LOW_ENERGY_WORDS)
    high = any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text.lower()) for w in HIGH_ENERGY_WORDS)
    if low != high:
        arousal = min(arousal, 0.25) if low else max(arousal, 0.8)
    return Meaning(
        genre=chosen_genre,
        moods=tuple(MOODS[i] for i in chosen),
        valence=valence,
        arousal=arousal,
        instruments=instruments,
    )
