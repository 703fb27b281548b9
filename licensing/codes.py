"""License codes: LIC-7K2M-9QXD-4HTV. Twelve characters from an alphabet without 0/O and 1/I, so a
code read aloud or typed from paper cannot be misread; 32**12 (about 10**18) codes, drawn by `secrets`,
so they cannot be guessed or enumerated."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "LIC"
GROUPS = 3
GROUP_LENGTH = 4
_BODY = re.compile(f"[{ALPHABET}]{{{GROUPS * GROUP_LENGTH}}}")


def _format(body: str) -> str:
    groups = [body[i : i + GROUP_LENGTH] for i in range(0, len(body), GROUP_LENGTH)]
    return "-".join([PREFIX, *groups])


def new_code() -> str:
    """A fresh random code (the caller makes sure it is not taken)."""
    return _format("".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH)))


def normalize(raw: str) -> str | None:
    """The canonical spelling of a code as a person may type it (any case, spaces or dashes, with or
    without the LIC prefix), or None when it cannot be a code at all."""
    body = re.sub(r"[\s\-–—]", "", str(raw or "")).upper()
    if body.startswith(PREFIX):  # the body never starts with "LI": I is not in the alphabet
        body = body[len(PREFIX) :]
    if not _BODY.fullmatch(body):
        return None
    return _format(body)
