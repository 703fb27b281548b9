"""The demo catalog: four demo users, a few dozen published cues made by the engine and two in review.

Used only by `manage.py seed_demo`; nothing else creates the demo users.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts import services as accounts_services
from accounts.models import CreatorProfile, User
from catalog import services as catalog_services
from catalog.models import Track
from generation.engine import generate, parse_prompt

PASSWORD = "demo-pass-123"
BUYER, CREATOR, REVIEWER, ADMIN = (
    "buyer@example.com",
    "creator@example.com",
    "reviewer@example.com",
    "admin@example.com",
)


@dataclass(frozen=True)
class DemoCue:
    title: str
    prompt: str
    description: str
    duration: float = 45.0


CUES = (
    DemoCue(
        "Night Vault",
        "tense heist scene, dark pulsing synth bass and ticking percussion, 100 bpm in D minor",
        "A slow-burning heist bed: pulsing bass, ticking hats and a held breath before the break-in.",
    ),
    DemoCue(
        "Glass Horizon",
        "epic cinematic trailer with strings, brass and taiko drums building to a climax",
        "Builds from a low string ostinato to full brass and taiko hits for trailers and reveals.",
    ),
    DemoCue(
        "Still Water",
        "calm ambient pad drone, dreamy and slow, for meditation",
        "Weightless pads that breathe slowly; sits under narration without ever getting in the way.",
    ),
    DemoCue(
        "Northern Lights",
        "mysterious ambient textures with celesta and soft drone, night sky",
        "Twinkling celesta over a deep drone for space, science and night-time scenes.",
    ),
    DemoCue(
        "Rainy Window",
        "lofi hip hop beat with electric piano, vinyl warmth, relaxed study session",
        "Dusty drums and warm keys for study streams, cafés and cosy vlogs.",
    ),
    DemoCue(
        "Late Bus Home",
        "nostalgic lofi beat, mellow guitar and soft drums, 78 bpm",
        "A mellow guitar loop for late-night edits and reflective montages.",
    ),
    DemoCue(
        "Quarterly Bright",
        "uplifting corporate background with piano, claps and light guitar",
        "Clean, optimistic and unobtrusive: product demos, explainers and presentations.",
    ),
    DemoCue(
        "Forward Motion",
        "hopeful corporate pop with plucked synth and steady beat for a startup video",
        "Steady momentum for onboarding videos, app launches and team stories.",
    ),
    DemoCue(
        "Warehouse Lights",
        "energetic deep house groove with sub bass and synth stabs, 124 bpm",
        "Four-on-the-floor drive for fashion, nightlife and fast social cuts.",
    ),
    DemoCue(
        "Sunset Terrace",
        "happy summery house with piano chords and bright synths",
        "Feel-good house for travel reels, summer campaigns and rooftop scenes.",
    ),
    DemoCue(
        "Neon Drive",
        "synthwave night drive with arpeggiated synths and gated drums, nostalgic 80s",
        "Retro arpeggios and gated drums for night drives and 80s-tinged titles.",
    ),
    DemoCue(
        "Chrome Skyline",
        "dark synthwave chase, aggressive synth bass, fast",
        "A driving retro chase cue with a hard-edged bassline.",
    ),
    DemoCue(
        "Loud Hearts",
        "energetic rock with distorted guitars and live drums for sports highlights",
        "Big guitars and live drums for sports, action and extreme-sport edits.",
    ),
    DemoCue(
        "Garage Sun",
        "playful indie rock with electric guitar and bass, upbeat",
        "Jangly, upbeat indie rock for lifestyle and youth brands.",
    ),
    DemoCue(
        "Harvest Road",
        "warm folk with acoustic guitar, banjo and hand claps, happy",
        "Front-porch acoustic warmth for food, farming and family stories.",
    ),
    DemoCue(
        "River Stones",
        "gentle melancholic folk with acoustic guitar and violin",
        "Tender guitar and violin for documentaries and quiet human moments.",
    ),
    DemoCue(
        "Blue Room",
        "smooth late night jazz trio with brushes, upright bass and piano",
        "Brushed drums, walking bass and piano for bars, dinners and noir scenes.",
    ),
    DemoCue(
        "Café Society",
        "playful swing jazz with saxophone and brushes, bright",
        "A light-footed swing tune for comedy, cooking and retro spots.",
    ),
    DemoCue(
        "Concrete Crown",
        "hard trap beat with 808 sub bass and dark piano, aggressive",
        "Heavy 808s and a dark piano hook for sports, gaming and street-wear edits.",
    ),
    DemoCue(
        "Gold Rush",
        "triumphant trap with brass stabs and rolling hi-hats",
        "Victory-lap trap with brass for hype reels and launches.",
    ),
    DemoCue(
        "First Snow",
        "calm solo piano, sad and reflective, slow",
        "Spare, reflective piano for memorials, drama and quiet endings.",
    ),
    DemoCue(
        "Paper Boats",
        "hopeful romantic piano with soft strings",
        "A warm piano theme with strings for weddings, love stories and family films.",
    ),
    DemoCue(
        "Market Day",
        "bright world music with marimba, kalimba and hand percussion",
        "Sunlit marimba and kalimba over hand drums for travel and culture pieces.",
    ),
    DemoCue(
        "Desert Caravan",
        "mysterious world music with sitar, hand percussion and drone",
        "Sitar and drone over hand percussion for desert crossings and ancient places.",
    ),
    DemoCue(
        "Pixel Quest",
        "playful chiptune-style synth lead for a retro video game level, energetic",
        "Bouncy synth leads for indie games, explainer animations and kids' content.",
    ),
    DemoCue(
        "Deep Dive",
        "dark tense cinematic underscore with cello and low drone for a thriller",
        "Low cello and drone that tighten the screws under thriller dialogue.",
    ),
)


def ensure_users() -> dict[str, User]:
    """The four demo users (created once; an existing user is left as it is)."""
    users = {}
    for email in (BUYER, CREATOR, REVIEWER, ADMIN):
        user = User.objects.filter(email=email).first()
        if user is None:
            if email == ADMIN:
                user = User.objects.create_superuser(email, PASSWORD)
            else:
                user = User.objects.create_user(email, PASSWORD)
        users[email] = user
    if not CreatorProfile.objects.filter(user=users[CREATOR]).exists():
        accounts_services.creator_profile_save(
            user=users[CREATOR],
            display_name="Aurora Cue Lab",
            slug="aurora-cue-lab",
            bio="Prompt-made cues for editors in a hurry: trailers, vlogs, podcasts and games.",
        )
    accounts_services.reviewer_grant(user=users[REVIEWER])
    return users


# Submitted to the review desk rather than published, so the demo reviewer has a queue to work through.
REVIEW_CUES = (
    DemoCue(
        "Harbor Lights",
        "warm lo-fi hip hop with mellow electric piano and vinyl crackle, relaxed",
        "Late-evening lo-fi with a mellow electric piano for study streams and cafe scenes.",
    ),
    DemoCue(
        "Summit Push",
        "uplifting energetic rock with driving drums and electric guitar for a sports montage",
        "Driving drums and bright guitars for climbs, finals and the last mile.",
    ),
)


def _make(creator: CreatorProfile, cue: DemoCue, seed: int, duration: float | None, publish: bool) -> Track:
    brief = parse_prompt(cue.prompt, duration=duration or cue.duration)
    with tempfile.TemporaryDirectory(prefix="demo-") as tmp:
        out_dir = Path(tmp) / "out"
        generate(brief, seed=seed, out_dir=out_dir)
        return catalog_services.track_create_from_output(
            creator=creator, out_dir=out_dir, title=cue.title, description=cue.description, publish=publish
        )


def seed(
    *,
    count: int | None = None,
    duration: float | None = None,
    in_review: int | None = None,
    report: Callable[[str], None] = print,
) -> int:
    """Make the demo users, publish the demo cues and submit the review cues not yet in the catalog;
    returns how many tracks were made.

    `count` takes only the first cues (and, unless `in_review` says otherwise, no review cues) and
    `duration` shortens them (both for quick checks).
    """
    with transaction.atomic():
        users = ensure_users()
    creator = CreatorProfile.objects.get(user=users[CREATOR])
    existing = set(Track.objects.filter(creator=creator).values_list("title", flat=True))
    cues = CUES if count is None else CUES[:count]
    if in_review is None:
        in_review = len(REVIEW_CUES) if count is None else 0
    work = [(cue, True) for cue in cues] + [(cue, False) for cue in REVIEW_CUES[:in_review]]
    made = 0
    for number, (cue, publish) in enumerate(work, start=1):
        if cue.title in existing:
            continue
        report(f"[{number:2d}/{len(work)}] {cue.title}{'' if publish else ' (for review)'}")
        track = _make(creator, cue, number, duration, publish)
        if not publish:
            catalog_services.track_submit(track=track)
        made += 1
    return made
