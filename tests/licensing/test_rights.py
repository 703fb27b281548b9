"""licensing/rights.py: the rights schema, its checks, its words, and the canonical JSON of terms."""

from __future__ import annotations

import copy
import hashlib

import pytest
from jsonschema import Draft202012Validator

from licensing.defaults import DEFAULT_TIERS
from licensing.errors import LicensingError
from licensing.rights import (
    RIGHTS_SCHEMA,
    canonical_json,
    rights_in_words,
    sha256_hex,
    validate_rights,
)

CREATOR = DEFAULT_TIERS[0]["rights"]
EXCLUSIVE = DEFAULT_TIERS[3]["rights"]


def changed(doc: dict, **fields) -> dict:
    out = copy.deepcopy(doc)
    out.update(fields)
    return out


def refusal(doc) -> str:
    with pytest.raises(LicensingError) as caught:
        validate_rights(doc)
    assert caught.value.field == "rights"
    return caught.value.message


def test_it_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(RIGHTS_SCHEMA)
    assert RIGHTS_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_it_requires_every_right_the_licenses_state():
    assert set(RIGHTS_SCHEMA["required"]) == {
        "media",
        "paid_advertising",
        "broadcast",
        "theatrical",
        "audience_cap",
        "term",
        "territory",
        "exclusive",
        "content_id_clearance",
        "attribution",
        "modification",
        "sublicensing",
        "ai_training_prohibited",
    }


@pytest.mark.parametrize("spec", DEFAULT_TIERS, ids=lambda spec: spec["slug"])
def test_it_accepts_every_default_tier(spec):
    assert validate_rights(spec["rights"]) is spec["rights"]
    assert spec["rights"]["exclusive"] == spec["exclusive"]


def test_it_names_a_missing_right():
    doc = copy.deepcopy(CREATOR)
    del doc["term"]
    assert "'term' is a required property" in refusal(doc)


def test_it_names_an_unknown_medium_and_where_it_is():
    message = refusal(changed(CREATOR, media=["podcast", "hologram"]))
    assert message.startswith("rights.media[1]:") and "hologram" in message


def test_it_refuses_a_right_it_does_not_know():
    assert "'resale' was unexpected" in refusal(changed(CREATOR, resale=True))


def test_it_never_allows_training_ai_models():
    assert "rights.ai_training_prohibited" in refusal(changed(CREATOR, ai_training_prohibited=False))


@pytest.mark.parametrize("cap", [0, -5, 2.5, "many", True])
def test_it_refuses_an_audience_cap_that_is_not_a_positive_whole_number(cap):
    assert "audience_cap" in refusal(changed(CREATOR, audience_cap=cap))


def test_it_accepts_an_audience_cap_and_a_list_of_countries():
    doc = changed(CREATOR, audience_cap=100_000, territory=["US", "CA"])
    assert validate_rights(doc) is doc
    words = rights_in_words(doc)
    assert "For projects reaching up to 100,000 people (views, listeners or downloads)." in words
    assert "Valid in these countries: US, CA." in words


def test_it_refuses_a_territory_that_is_not_country_codes():
    assert "territory" in refusal(changed(CREATOR, territory=["usa"]))
    assert "territory" in refusal(changed(CREATOR, territory="europe"))


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"broadcast": True}, "rights.broadcast is true but media does not list radio or tv"),
        ({"paid_advertising": True}, "rights.paid_advertising is true but media does not list"),
        ({"media": [*CREATOR["media"], "cinema"]}, "rights.theatrical is false but media lists cinema"),
    ],
)
def test_it_refuses_flags_that_contradict_the_media(fields, says):
    assert says in refusal(changed(CREATOR, **fields))


@pytest.mark.parametrize("doc", [None, [], "perpetual", 3])
def test_it_refuses_a_document_that_is_not_an_object(doc):
    assert refusal(doc) == "The rights must be a JSON object."


def test_it_puts_each_right_in_words():
    words = rights_in_words(CREATOR)
    assert words[0] == (
        "Use the track in personal projects, online video (monetised channels included), "
        "social media and podcasts."
    )
    assert "Not for paid advertising (ads that are paid to be shown)." in words
    assert "Not for TV or radio broadcast." in words
    assert "Non-exclusive: other people may license the same track." in words
    assert "The license never expires." in words and "Valid worldwide." in words
    assert words[-1].startswith("You may not use the track, or any part of it, to train")
    assert len(words) == 13


def test_the_exclusive_words_say_the_track_leaves_and_earlier_licenses_stay():
    words = " ".join(rights_in_words(EXCLUSIVE))
    assert "Broadcast on television and radio is allowed." in words
    assert "the track leaves the catalog" in words and "licenses sold before stay valid" in words


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_unicode():
    data = canonical_json({"b": [1, {"z": "é", "a": None}], "a": True})
    assert data == '{"a":true,"b":[1,{"a":null,"z":"é"}]}'.encode()
    assert canonical_json({"a": 1, "b": 2}) == canonical_json({"b": 2, "a": 1})


def test_canonical_json_refuses_values_json_cannot_hold():
    with pytest.raises(ValueError):
        canonical_json({"price": float("nan")})


def test_sha256_hex_is_the_hex_digest():
    assert sha256_hex(b"terms") == hashlib.sha256(b"terms").hexdigest()
    assert len(sha256_hex(b"")) == 64
