"""Errors of the generation room. Each names the field a person should fix."""

from __future__ import annotations

from common.errors import FieldError


class GenerationError(FieldError):
    """A request the generation room turns down."""


class QuotaExceeded(GenerationError):
    """The owner asked for more than their quota allows; nothing was queued."""


class JobStateError(GenerationError):
    """The job is not in a state that allows the action (cancel a finished job, retry a running one)."""


class JobCancelled(Exception):
    """Raised inside a render when its job was cancelled, to stop the work between stages."""
