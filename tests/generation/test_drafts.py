"""From a draft: edit its words, submit it, make more like it, regenerate it."""

from __future__ import annotations

import pytest

from catalog import services as catalog_services
from catalog.errors import CatalogError
from catalog.models import Track
from generation import services
from generation.errors import GenerationError


@pytest.mark.django_db
def test_a_creator_edits_the_words_of_a_draft_but_not_how_it_was_made(make_track):
    draft = make_track("heist", publish=False)

    edited = catalog_services.track_update_draft(
        track=draft,
        title="  Vault Run ",
        description="Safe-cracking pulse.",
        moods=["tense", "dark", "tense"],
    )

    assert (edited.title, edited.description, edited.moods) == (
        "Vault Run",
        "Safe-cracking pulse.",
        ["tense", "dark"],
    )
    assert edited.disclosure_label == Track.Disclosure.AI_GENERATED
    assert edited.status == Track.Status.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": " "}, "title"), ({"title": "x" * 121}, "title"), ({"moods": ["grumpy"]}, "moods")],
)
def test_bad_words_are_refused_naming_the_field(make_track, changes, field):
    draft = make_track("heist", publish=False)
    values = {"title": "Vault Run", "description": "", "moods": ["tense"], **changes}

    with pytest.raises(CatalogError) as refused:
        catalog_services.track_update_draft(track=draft, **values)

    assert refused.value.field == field
    draft.refresh_from_db()
    assert draft.title == "Night Vault"


@pytest.mark.django_db
def test_submitting_a_draft_puts_it_in_the_review_queue(make_track):
    draft = make_track("heist", publish=False)

    submitted = catalog_services.track_submit(track=draft)

    assert submitted.status == Track.Status.IN_REVIEW and submitted.submitted_at
    assert submitted.published_at is None
    with pytest.raises(CatalogError):
        catalog_services.track_submit(track=submitted)
    with pytest.raises(CatalogError):
        catalog_services.track_update_draft(track=submitted, title="New", description="", moods=[])


@pytest.mark.django_db
def test_more_like_this_keeps_the_prompt_and_parameters_with_new_seeds(make_track, creator):
    draft = make_track("heist", publish=False)

    job = services.draft_more_like_this(track=draft, owner=creator.user)

    brief = draft.provenance.parameters["brief"]
    assert job.prompt == draft.provenance.prompt and job.variations == 4
    assert job.parameters["bpm"] == brief["bpm"] and job.parameters["key"] == brief["key"]
    assert job.parameters["duration"] == brief["duration_s"]


@pytest.mark.django_db
def test_regenerate_renders_once_more_under_the_same_title(make_track, creator):
    draft = make_track("heist", publish=False)

    job = services.draft_regenerate(track=draft, owner=creator.user)

    assert job.variations == 1 and job.title == draft.title


@pytest.mark.django_db
def test_nobody_else_can_regenerate_a_creators_draft(make_track, stranger):
    draft = make_track("heist", publish=False)

    with pytest.raises(GenerationError):
        services.draft_regenerate(track=draft, owner=stranger)
