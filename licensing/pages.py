"""What the licensing pages show, shaped from tiers: the tier comparison table."""

from __future__ import annotations

from dataclasses import dataclass

from licensing.models import LicenseTier
from licensing.rights import TERMS

# Rows of the comparison table: the media a tier covers, in the words of a buyer's checklist.
MEDIA_ROWS = (
    ("personal", "Personal projects"),
    ("online_video", "Online video, monetised channels included"),
    ("social_media", "Social media"),
    ("podcast", "Podcasts"),
    ("client_work", "Work for clients"),
    ("paid_online_ads", "Paid online advertising"),
    ("apps_games", "Apps and games"),
    ("tv", "TV broadcast"),
    ("radio", "Radio broadcast"),
    ("cinema", "Cinema and theatrical release"),
    ("paid_media_unlimited", "Paid media of every kind, without limit"),
)
MODIFICATION_WORDS = {
    "none": "As delivered",
    "edit_for_sync": "Cut, loop, remix to fit",
    "full": "Any change",
}
ATTRIBUTION_WORDS = {"not_required": "Not required", "appreciated": "Appreciated", "required": "Required"}


@dataclass(frozen=True)
class Cell:
    text: str
    yes: bool | None = None  # None: a value, not a yes/no


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


def _yes_no(value: bool) -> Cell:
    return Cell(text="Included" if value else "Not included", yes=bool(value))


def comparison_rows(tiers: list[LicenseTier]) -> list[Row]:
    """The comparison table's rows, one cell per tier, from each tier's rights document."""
    rows = [Row(label, [_yes_no(key in t.rights["media"]) for t in tiers]) for key, label in MEDIA_ROWS]

    def values(label: str, cell) -> Row:
        return Row(label, [cell(t.rights) for t in tiers])

    rows += [
        values(
            "Audience",
            lambda r: Cell("Unlimited" if r["audience_cap"] is None else f"Up to {r['audience_cap']:,}"),
        ),
        values("Term", lambda r: Cell("Perpetual" if TERMS[r["term"]] is None else TERMS[r["term"]])),
        values(
            "Territory",
            lambda r: Cell("Worldwide" if r["territory"] == "worldwide" else ", ".join(r["territory"])),
        ),
        values("Content ID clearance", lambda r: _yes_no(r["content_id_clearance"])),
        values("Exclusive: the track leaves the catalog", lambda r: _yes_no(r["exclusive"])),
        values("Edits", lambda r: Cell(MODIFICATION_WORDS[r["modification"]])),
        values("Credit to the creator", lambda r: Cell(ATTRIBUTION_WORDS[r["attribution"]])),
        values("Sublicensing", lambda r: _yes_no(r["sublicensing"])),
        values("Training AI models", lambda r: Cell("Never allowed")),
    ]
    return rows
