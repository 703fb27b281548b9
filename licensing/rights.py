"""Rights documents: what a license lets its holder do, as structured data with one schema.

A tier's `rights` and every license's frozen terms hold one of these documents. The schema below is the
contract (JSON Schema, Draft 2020-12); `validate_rights` adds the rules between fields that a schema
cannot say plainly, and `rights_in_words` turns a document into the sentences people read on the
certificate, the tier pages and the public verification page.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from licensing.errors import LicensingError

# Media a license may cover, in the order they are listed to people, with the words used for each.
MEDIA: dict[str, str] = {
    "personal": "personal projects",
    "online_video": "online video (monetised channels included)",
    "social_media": "social media",
    "podcast": "podcasts",
    "client_work": "work made for a client",
    "paid_online_ads": "paid online advertising",
    "apps_games": "apps and games",
    "tv": "television",
    "radio": "radio",
    "cinema": "cinema",
    "paid_media_unlimited": "paid media of every kind (broadcast, online, print and outdoor)",
}
PAID_AD_MEDIA = {"paid_online_ads", "paid_media_unlimited"}
BROADCAST_MEDIA = {"tv", "radio"}
THEATRICAL_MEDIA = {"cinema"}

TERMS = {"perpetual": None, "1_year": "1 year", "3_years": "3 years", "5_years": "5 years"}
ATTRIBUTION = ("not_required", "appreciated", "required")
MODIFICATION = ("none", "edit_for_sync", "full")

RIGHTS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Rights document",
    "description": "What a license lets its holder do with a track.",
    "type": "object",
    "additionalProperties": False,
    "required": [
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
    ],
    "properties": {
        "media": {
            "description": "Where the track may be used.",
            "type": "array",
            "items": {"enum": list(MEDIA)},
            "minItems": 1,
            "uniqueItems": True,
        },
        "paid_advertising": {
            "description": "Use in advertising that is paid to be shown.",
            "type": "boolean",
        },
        "broadcast": {"description": "Use on TV or radio.", "type": "boolean"},
        "theatrical": {"description": "Use in films shown in cinemas.", "type": "boolean"},
        "audience_cap": {
            "description": "Most people (views, listeners, downloads) a project may reach; null for no limit.",
            "type": ["integer", "null"],
            "minimum": 1,
        },
        "term": {"description": "How long the license lasts from purchase.", "enum": list(TERMS)},
        "territory": {
            "description": '"worldwide", or the ISO 3166-1 alpha-2 codes of the countries covered.',
            "oneOf": [
                {"const": "worldwide"},
                {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "minItems": 1,
                    "uniqueItems": True,
                },
            ],
        },
        "exclusive": {
            "description": "The buyer alone may license the track from now on; it leaves the catalog.",
            "type": "boolean",
        },
        "content_id_clearance": {
            "description": "Content ID claims on the licensee's registered channels are cleared.",
            "type": "boolean",
        },
        "attribution": {"description": "Whether the creator must be credited.", "enum": list(ATTRIBUTION)},
        "modification": {
            "description": "none: as delivered; edit_for_sync: cut, loop and remix to fit the project; "
            "full: any change, new works included.",
            "enum": list(MODIFICATION),
        },
        "sublicensing": {"description": "The rights may be passed on to others.", "type": "boolean"},
        "ai_training_prohibited": {
            "description": "The track may never train, fine-tune or test AI models. Always true.",
            "const": True,
        },
    },
}

_validator = Draft202012Validator(RIGHTS_SCHEMA)


def _where(path) -> str:
    where = "rights"
    for part in path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    return where


def validate_rights(doc: Any) -> dict:
    """Return `doc` when it is a valid rights document; raise LicensingError(field="rights") naming
    the first thing wrong otherwise."""
    if not isinstance(doc, dict):
        raise LicensingError("The rights must be a JSON object.", field="rights")
    error = best_match(_validator.iter_errors(doc))
    if error is not None:
        raise LicensingError(f"{_where(error.absolute_path)}: {error.message}", field="rights")
    if doc["audience_cap"] is not None and type(doc["audience_cap"]) is not int:
        raise LicensingError("rights.audience_cap: must be a whole number or null", field="rights")
    media = set(doc["media"])
    for flag, implied_by in (
        ("paid_advertising", PAID_AD_MEDIA),
        ("broadcast", BROADCAST_MEDIA),
        ("theatrical", THEATRICAL_MEDIA),
    ):
        listed = sorted(media & implied_by)
        if doc[flag] and not listed:
            names = " or ".join(sorted(implied_by))
            raise LicensingError(f"rights.{flag} is true but media does not list {names}", field="rights")
        if not doc[flag] and listed:
            raise LicensingError(f"rights.{flag} is false but media lists {listed[0]}", field="rights")
    return doc


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def rights_in_words(doc: dict) -> list[str]:
    """The rights document as plain sentences, one per right, in a fixed order."""
    media = [MEDIA[m] for m in MEDIA if m in doc["media"]]
    cap = doc["audience_cap"]
    term = TERMS[doc["term"]]
    territory = doc["territory"]
    broadcast = [MEDIA[m] for m in ("tv", "radio") if m in doc["media"]]
    return [
        f"Use the track in {_join(media)}.",
        "Paid advertising is allowed."
        if doc["paid_advertising"]
        else "Not for paid advertising (ads that are paid to be shown).",
        f"Broadcast on {_join(broadcast)} is allowed." if broadcast else "Not for TV or radio broadcast.",
        "Cinema and theatrical release is allowed."
        if doc["theatrical"]
        else "Not for cinema or theatrical release.",
        "No limit on audience, views or downloads."
        if cap is None
        else f"For projects reaching up to {cap:,} people (views, listeners or downloads).",
        "The license never expires." if term is None else f"The license lasts {term} from purchase.",
        "Valid worldwide."
        if territory == "worldwide"
        else f"Valid in these countries: {', '.join(territory)}.",
        "Exclusive: the track leaves the catalog and no one else can license it afterwards; "
        "licenses sold before stay valid."
        if doc["exclusive"]
        else "Non-exclusive: other people may license the same track.",
        "Content ID claims on the channels you register are cleared."
        if doc["content_id_clearance"]
        else "Content ID clearance is not included.",
        {
            "not_required": "No credit to the creator is required.",
            "appreciated": "Crediting the creator is appreciated but not required.",
            "required": "Credit the creator wherever your project lists credits.",
        }[doc["attribution"]],
        {
            "none": "Use the track as delivered, without edits.",
            "edit_for_sync": "You may cut, loop, fade and remix the track to fit your project, but not "
            "release it, edited or not, as music on its own.",
            "full": "You may change the track in any way, new works based on it included.",
        }[doc["modification"]],
        "You may pass these rights on to others (sublicense)."
        if doc["sublicensing"]
        else "No sublicensing: the rights cannot be passed on to others.",
        "You may not use the track, or any part of it, to train, fine-tune or test AI models.",
    ]


def canonical_json(obj: Any) -> bytes:
    """The one byte spelling of a JSON value that its hash is taken of: keys sorted, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
