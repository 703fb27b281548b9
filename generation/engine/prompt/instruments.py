"""Instruments named in the text: aliases and families, negation ("no drums"), and solo."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..brief import INSTRUMENT_ROLES
from ..errors import BriefError
from ..vocabulary import GENERIC_INSTRUMENTS, INSTRUMENT_NAMES, ROLE_WORDS
from .values import _by_role

_ALIASES: dict[str, tuple[str, ...]] = {
    **{name: GENERIC_INSTRUMENTS[name] for name in GENERIC_INSTRUMENTS},
    **{alias: (inst,) for inst, names in INSTRUMENT_NAMES.items() for alias in names},
}
_ALIAS_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(a) for a in sorted(_ALIASES, key=lambda a: (-len(a), a)))
    + r")(?:e?s)?(?![\w-])",
    re.I,
)
_NEGATION_RE = re.compile(
    r"\b(?:no|without|minus|sans|zero)\s+(?:any\s+|the\s+)?(?P<what>[\w#-]+(?:\s+[\w-]+)?)", re.I
)
_SOLO_RE = re.compile(r"\bsolo\s+(?P<what>[\w-]+(?:\s+[\w-]+)?)", re.I)


@dataclass
class _Parts:
    rest: str
    named: list[tuple[str, ...]] = field(default_factory=list)  # each: one instrument, or a family
    removed_roles: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    solo: bool = False


def _read_instruments(text: str) -> _Parts:
    parts = _Parts(rest=text)
    for match in _NEGATION_RE.finditer(text):
        words = [(w.end(), w[0].lower()) for w in re.finditer(r"\S+", match["what"])]
        for size in range(len(words), 0, -1):
            phrase = " ".join(word for _, word in words[:size])
            alias = _ALIAS_RE.fullmatch(phrase)
            singular = phrase[:-1] if phrase.endswith("s") else phrase
            if singular in ROLE_WORDS or phrase in ROLE_WORDS:
                parts.removed_roles.update(ROLE_WORDS.get(phrase) or ROLE_WORDS[singular])
            elif alias:
                parts.removed.update(_ALIASES[alias[1].lower()])
            else:
                continue
            end = match.start("what") + words[size - 1][0]
            parts.rest = parts.rest[: match.start()] + " " * (end - match.start()) + parts.rest[end:]
            break
    if re.search(r"\bdrumless\b", text, re.I):
        parts.removed_roles.add("drums")
    if (solo := _SOLO_RE.search(parts.rest)) and _ALIAS_RE.match(solo["what"]):
        parts.solo = True
    parts.named = [_ALIASES[m[1].lower()] for m in _ALIAS_RE.finditer(parts.rest)]
    return parts


def _arrange(
    defaults: tuple[str, ...], parts: _Parts, by_meaning: tuple[str, ...], genre: str
) -> tuple[str, ...]:
    named: list[str] = []
    for family in parts.named:
        member = next((name for name in family if name in defaults), family[0])
        named.append(member)
    named.extend(by_meaning)
    named = [name for name in dict.fromkeys(named) if name not in parts.removed]
    chosen = [] if parts.solo else [name for name in defaults if name not in parts.removed]
    for name in named:
        if name in chosen:
            continue
        role = INSTRUMENT_ROLES[name][0]
        same = [
            i for i, other in enumerate(chosen) if other not in named and INSTRUMENT_ROLES[other][0] == role
        ]
        if same:
            chosen[same[-1]] = name  # the least essential default of that role makes way
        else:
            chosen.append(name)
    chosen = [name for name in chosen if not set(INSTRUMENT_ROLES[name][:1]) & parts.removed_roles]
    if not chosen:
        raise BriefError("instruments", f"the prompt removes every instrument of a {genre} cue")
    return _by_role(chosen)
