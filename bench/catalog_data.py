"""A large fake catalog for the search benchmark: creators and tracks made in bulk, no audio.

Tracks are drawn from a few thousand distinct "templates" (genre, moods, instruments, energy, title,
description, prompt) whose words are embedded with the real sentence model; every row reuses one
template's embedding with a little random noise, so rankings look like a real catalog's without
embedding every row. Distributions lean on the engine's genre profiles (tempo ranges, typical moods and
instruments), so facet filters select realistic shares. Everything is seeded: two runs make the same
catalog.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import CreatorProfile, User
from catalog import services
from catalog.models import Track
from catalog.taxonomy import instrument_bits, mood_bits
from common import embeddings
from common.vocabulary import GENRES, INSTRUMENTS, MOODS, PITCH_CLASSES
from generation.engine.vocabulary import GENRE_PROFILES, MOOD_PROFILES

GENRE_WEIGHTS = {
    "cinematic": 16,
    "corporate": 14,
    "ambient": 10,
    "lofi": 10,
    "piano": 8,
    "synthwave": 7,
    "house": 7,
    "rock": 7,
    "folk": 6,
    "trap": 6,
    "jazz": 5,
    "world": 4,
}
# Uses a buyer might search for, by the genres that usually serve them.
USES = {
    "cinematic": ("a heist scene", "a fantasy battle", "a horror trailer", "a nature documentary"),
    "ambient": ("a meditation app", "a yoga class", "a space documentary", "a spa"),
    "lofi": ("a study session", "a coffee shop", "a rainy evening vlog", "a cooking channel"),
    "corporate": ("a product launch", "a tech explainer", "a startup pitch", "a real estate tour"),
    "house": ("a fashion show", "a fitness workout", "a festival aftermovie", "a club night"),
    "synthwave": ("a night drive", "a retro game", "a sci-fi trailer", "a car commercial"),
    "rock": ("a sports highlight reel", "an extreme sports video", "a racing game", "a road trip"),
    "folk": ("a travel vlog", "a wedding film", "a farm to table story", "a family holiday video"),
    "jazz": ("a late night bar", "a romantic dinner", "a detective story", "a cooking show"),
    "trap": ("a boss fight", "a street fashion ad", "a sneaker launch", "a gaming montage"),
    "piano": ("a sad farewell", "a memorial video", "a love letter", "a reflective documentary"),
    "world": ("a travel documentary", "a market in Marrakesh", "a safari film", "a food festival"),
}
# Every genre of the vocabulary gets tracks, so a facet on any of them has something to find.
assert set(GENRE_WEIGHTS) == set(USES) == set(GENRES)
# fmt: off
ADJECTIVES = (
    "Neon", "Golden", "Silent", "Midnight", "Broken", "Electric", "Velvet", "Distant", "Crimson", "Hidden",
    "Endless", "Faded", "Wild", "Frozen", "Burning", "Hollow", "Lucky", "Lonely", "Quiet", "Restless",
    "Rising", "Secret", "Silver", "Summer", "Sunny", "Wandering", "Winter", "Amber", "Blue", "Cosmic",
    "Dusty", "Gentle", "Glass", "Iron", "Little", "Lost", "Paper", "Rainy", "Shadow", "Solar",
)
NOUNS = (
    "Heist", "Horizon", "Drive", "Garden", "Echo", "Harbour", "Signal", "Skyline", "Voyage", "Ember",
    "River", "Market", "Circuit", "Lantern", "Meadow", "Mirage", "Orbit", "Parade", "Pulse", "Railway",
    "Shore", "Static", "Tide", "Tunnel", "Valley", "Waves", "Window", "Compass", "Canyon", "Carnival",
    "Chase", "Dawn", "Empire", "Festival", "Frontier", "Harvest", "Legend", "Motel", "Nightfall", "Postcard",
)
FIRST_NAMES = (
    "Ada", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lee",
    "Max", "Nia", "Oli", "Pia", "Raj", "Sam", "Tia", "Uma", "Vic", "Wes", "Xia", "Zoe",
)
LAST_NAMES = (
    "Hart", "Moss", "Reyes", "Quinn", "Lowe", "Park", "Stone", "Vale",
    "Frost", "Wren", "Shaw", "Blake", "Cole", "Dune", "Lark", "Marsh",
)
# fmt: on
STATUSES = {
    Track.Status.PUBLISHED: 0.95,
    Track.Status.DRAFT: 0.02,
    Track.Status.IN_REVIEW: 0.015,
    Track.Status.REJECTED: 0.005,
    Track.Status.WITHDRAWN: 0.007,
    Track.Status.TAKEN_DOWN: 0.003,
}
DISCLOSURES = {
    Track.Disclosure.AI_GENERATED: 0.85,
    Track.Disclosure.AI_ASSISTED: 0.1,
    Track.Disclosure.HUMAN_MADE: 0.05,
}
NOISE = 0.01  # per-dimension noise on a reused embedding: cosine to its template about 0.98
BATCH = 5000


@dataclass(frozen=True)
class Template:
    title: str
    description: str
    genre: str
    moods: list[str]
    instruments: list[str]
    energy: str
    prompt: str


def _pick(rng: np.random.Generator, weights: dict) -> list:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=np.float64)
    return keys, p / p.sum()


def _label(value: str) -> str:
    return value.replace("_", " ")


def make_template(rng: np.random.Generator, index: int) -> Template:
    genres, genre_p = _pick(rng, GENRE_WEIGHTS)
    genre = str(rng.choice(genres, p=genre_p))
    profile = GENRE_PROFILES[genre]
    moods: list[str] = []
    for _ in range(int(rng.choice([1, 2, 3], p=[0.35, 0.45, 0.2]))):
        pool = profile.moods if rng.random() < 0.7 else MOODS
        mood = str(rng.choice(pool))
        if mood not in moods:
            moods.append(mood)
    count = int(rng.integers(3, 8))
    core = list(rng.permutation(profile.instruments))[: int(rng.integers(1, len(profile.instruments) + 1))]
    instruments = [str(i) for i in core[:count]]
    while len(instruments) < count:
        extra = str(rng.choice(INSTRUMENTS))
        if extra not in instruments:
            instruments.append(extra)
    arousal = float(np.mean([MOOD_PROFILES[m].arousal for m in moods])) + rng.normal(0, 0.12)
    energy = "low" if arousal < 0.35 else "medium" if arousal < 0.65 else "high"
    use = str(rng.choice(USES[genre]))
    phrase = str(rng.choice(profile.phrases))
    title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if index % 3 == 0:
        title += f" {rng.choice(NOUNS)}"
    return Template(
        title=title,
        description=f"{moods[0].capitalize()} {phrase} for {use}.",
        genre=genre,
        moods=moods,
        instruments=instruments,
        energy=energy,
        prompt=f"{', '.join(moods)} {phrase} with {' and '.join(_label(i) for i in instruments[:2])}",
    )


def make_creators(rng: np.random.Generator, count: int) -> list[CreatorProfile]:
    """`count` creators (a user and a profile each), with unusable passwords."""
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"creator{i}@bench.invalid", password=password) for i in range(count)]
    )
    profiles = []
    for i, user in enumerate(users):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        profiles.append(CreatorProfile(user=user, display_name=name, slug=f"{slugify(name)}-{i}"))
    return CreatorProfile.objects.bulk_create(profiles)


def embed_templates(templates: list[Template]) -> np.ndarray:
    """The real sentence embedding of each template's words, as the catalog would store them."""
    texts = [
        services.track_text(
            title=t.title,
            description=t.description,
            genre=t.genre,
            moods=t.moods,
            prompt=t.prompt,
        )
        for t in templates
    ]
    vectors = [embeddings.embed(texts[i : i + 512]) for i in range(0, len(texts), 512)]
    return np.concatenate(vectors)


def _key(genre: str, draws: np.ndarray) -> tuple[str, str]:
    """A key and mode for one track: the genre's usual mode and keys mostly, any key sometimes."""
    profile = GENRE_PROFILES[genre]
    mode = profile.mode if draws[0] < 0.65 else ("major" if profile.mode == "minor" else "minor")
    if draws[1] < 0.3:
        return PITCH_CLASSES[int(draws[2] * len(PITCH_CLASSES))], mode
    keys = profile.major_keys if mode == "major" else profile.minor_keys
    return keys[int(draws[2] * len(keys))], mode


def make_tracks(
    rng: np.random.Generator,
    count: int,
    creators: list[CreatorProfile],
    templates: list[Template],
    vectors: np.ndarray,
    progress=None,
) -> None:
    """Insert `count` tracks with bulk_create, `BATCH` rows at a time."""
    creator_p = 1 / np.arange(1, len(creators) + 1) ** 0.8  # a few prolific creators, a long tail
    creator_p /= creator_p.sum()
    statuses, status_p = _pick(rng, STATUSES)
    disclosures, disclosure_p = _pick(rng, DISCLOSURES)
    bits = [(mood_bits(t.moods), instrument_bits(t.instruments)) for t in templates]
    now = timezone.now()
    for start in range(0, count, BATCH):
        n = min(BATCH, count - start)
        which = rng.integers(0, len(templates), n)
        noisy = vectors[which] + rng.normal(0, NOISE, (n, vectors.shape[1])).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        noisy = noisy.astype("<f4")
        owner = rng.choice(len(creators), n, p=creator_p)
        status = rng.choice(statuses, n, p=status_p)
        disclosure = rng.choice(disclosures, n, p=disclosure_p)
        age_days = rng.uniform(0, 3 * 365, n)
        cut = rng.random(n) < 0.2
        duration = np.where(cut, rng.choice([15.0, 30.0, 60.0], n), np.round(rng.uniform(45, 300, n), 1))
        draws = rng.random((n, 4))
        rows = []
        for j in range(n):
            t = templates[which[j]]
            low, high = GENRE_PROFILES[t.genre].bpm_range
            key, mode = _key(t.genre, draws[j])
            bpm = int(np.clip(low - 8 + int(draws[j, 3] * (high - low + 17)), 60, 180))
            made = now - timedelta(days=float(age_days[j]))
            live = status[j] in (Track.Status.PUBLISHED, Track.Status.WITHDRAWN, Track.Status.TAKEN_DOWN)
            rows.append(
                Track(
                    slug=f"{slugify(t.title)}-{start + j:06x}",
                    title=t.title,
                    creator=creators[owner[j]],
                    description=t.description,
                    genre=t.genre,
                    moods=t.moods,
                    instruments=t.instruments,
                    mood_bits=bits[which[j]][0],
                    instrument_bits=bits[which[j]][1],
                    bpm=bpm,
                    key=key,
                    mode=mode,
                    duration=float(duration[j]),
                    energy=t.energy,
                    status=str(status[j]),
                    disclosure_label=str(disclosure[j]),
                    embedding=noisy[j].tobytes(),
                    created_at=made,
                    published_at=made + timedelta(hours=6) if live else None,
                )
            )
        with transaction.atomic():
            Track.objects.bulk_create(rows, batch_size=1000)
        if progress:
            progress(start + n)


def build(*, tracks: int, texts: int, creators: int, seed: int, log) -> dict:
    """Make the catalog and return how long each step took (seconds)."""
    rng = np.random.default_rng(seed)
    timings: dict = {}
    started = time.perf_counter()
    profiles = make_creators(rng, creators)
    timings["creators_s"] = time.perf_counter() - started

    started = time.perf_counter()
    templates = [make_template(rng, i) for i in range(texts)]
    vectors = embed_templates(templates)
    timings["embed_texts_s"] = time.perf_counter() - started
    log(f"setup: {texts} texts embedded in {timings['embed_texts_s']:.1f} s")

    started = time.perf_counter()
    step = max(BATCH, tracks // 10 // BATCH * BATCH)

    def progress(done: int) -> None:
        if done % step == 0 or done == tracks:
            log(f"setup: {done} tracks inserted")

    make_tracks(rng, tracks, profiles, templates, vectors, progress=progress)
    timings["insert_tracks_s"] = time.perf_counter() - started
    services.search_index_touch()
    return timings
