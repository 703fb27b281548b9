"""Where the rooms built on the catalog add to its track pages and API without the catalog importing them.

The dependencies point one way (catalog never imports licensing, payments or generation), yet a track's
page shows its license options and its custom-edit form, and its API detail carries its prices. A room
registers what it adds from its AppConfig.ready():

    extensions.track_panel("licensing/_track_panel.html", slot="actions", context=panel_context)
    extensions.track_field("prices", prices_by_tier)

Panels render in registration order inside their slot: "actions" (beside the player), "main" (the
main column) or "side" (the side column).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from catalog.models import Track

SLOTS = ("actions", "main", "side")

PanelContext = Callable[[HttpRequest, Track], dict[str, Any] | None]
FieldValue = Callable[[Track, HttpRequest | None], Any]


@dataclass(frozen=True)
class Panel:
    template: str
    slot: str
    context: PanelContext


_panels: list[Panel] = []
_fields: dict[str, FieldValue] = {}


def track_panel(template: str, *, slot: str, context: PanelContext) -> None:
    """Show `template` on every track page in `slot`; `context(request, track)` gives its variables
    (under `panel`), or None to leave the panel out for that track and viewer."""
    if slot not in SLOTS:
        raise ValueError(f"slot must be one of {', '.join(SLOTS)}")
    if any(p.template == template for p in _panels):
        return  # ready() may run twice (the test runner, autoreload)
    _panels.append(Panel(template=template, slot=slot, context=context))


def track_field(name: str, value: FieldValue) -> None:
    """Add `name` to the API's track detail, computed by `value(track, request)`."""
    _fields[name] = value


def panels_for(request: HttpRequest, track: Track) -> dict[str, list[dict]]:
    """The panels of one track page, by slot: [{"template": ..., "panel": context}, ...]."""
    shown: dict[str, list[dict]] = {slot: [] for slot in SLOTS}
    for panel in _panels:
        context = panel.context(request, track)
        if context is not None:
            shown[panel.slot].append({"template": panel.template, "panel": context})
    return shown


def fields_for(track: Track, request: HttpRequest | None) -> dict[str, Any]:
    return {name: value(track, request) for name, value in _fields.items()}
