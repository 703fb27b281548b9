"""`seed_demo`: the demo users with their roles, published demo cues, and a second run that adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from catalog.models import Track
from common.vocabulary import GENRES
from generation import demo
from generation.engine import parse_prompt


@pytest.fixture
def seeded(db):
    made = demo.seed(count=2, duration=6, report=lambda line: None)
    return made


def test_it_creates_the_four_demo_users_with_their_roles(seeded):
    users = {u.email: u for u in User.objects.all()}
    assert set(users) == {demo.BUYER, demo.CREATOR, demo.REVIEWER, demo.ADMIN}
    for user in users.values():
        assert user.check_password(demo.PASSWORD)
    assert users[demo.CREATOR].creator_profile.slug == "aurora-cue-lab"
    assert users[demo.REVIEWER].has_perm("catalog.review_track")
    assert not users[demo.BUYER].has_perm("catalog.review_track")
    assert users[demo.ADMIN].is_staff and users[demo.ADMIN].is_superuser
    assert not users[demo.BUYER].is_staff


def test_it_publishes_engine_made_cues_with_provenance(seeded):
    assert seeded == 2
    tracks = Track.objects.order_by("id")
    assert [t.title for t in tracks] == [demo.CUES[0].title, demo.CUES[1].title]
    for track, cue in zip(tracks, demo.CUES, strict=False):
        assert track.status == Track.Status.PUBLISHED
        assert track.published_at is not None
        assert track.disclosure_label == Track.Disclosure.AI_GENERATED
        assert track.description == cue.description
        assert track.provenance.engine == "procedural"
        assert track.provenance.prompt == cue.prompt
        assert track.assets.filter(kind="master").exists()


def test_a_second_run_adds_nothing(seeded):
    assert demo.seed(count=2, duration=6, report=lambda line: None) == 0
    assert Track.objects.count() == 2
    assert User.objects.count() == 4


def test_review_cues_wait_in_the_review_queue(db):
    from catalog import selectors as catalog_selectors

    assert demo.seed(count=0, in_review=1, duration=6, report=lambda line: None) == 1
    track = Track.objects.get()
    assert track.title == demo.REVIEW_CUES[0].title
    assert track.status == Track.Status.IN_REVIEW and track.submitted_at is not None
    assert list(catalog_selectors.review_queue()) == [track]
    assert demo.seed(count=0, in_review=1, duration=6, report=lambda line: None) == 0


def test_the_demo_covers_every_genre_with_at_least_24_cues():
    assert len(demo.CUES) >= 24
    assert len({cue.title for cue in demo.CUES}) == len(demo.CUES)
    genres = {parse_prompt(cue.prompt).genre for cue in demo.CUES}
    assert genres == set(GENRES)


def test_the_command_refuses_a_track_count_out_of_range(db):
    with pytest.raises(CommandError, match="--tracks"):
        call_command("seed_demo", tracks=999)
