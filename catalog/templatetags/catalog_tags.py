"""Template filters for catalog pages: cue lengths, vocabulary labels, disclosure explanations."""

from __future__ import annotations

from django import template

from catalog import pages
from catalog.taxonomy import label

register = template.Library()


@register.filter
def mmss(seconds: float | None) -> str:
    return pages.duration_text(seconds)


@register.filter
def vocab(value: str) -> str:
    return label(value) if value else ""


@register.filter
def vocab_list(values: list[str] | None) -> str:
    return ", ".join(label(v) for v in values or ())


@register.filter
def disclosure_help(value: str) -> str:
    return pages.DISCLOSURE_HELP.get(value, "")
