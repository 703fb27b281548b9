"""Errors the engine raises. Each names the input it refuses, so callers can show it by field."""


class EngineError(Exception):
    """Base class for every error the engine raises on purpose."""


class BriefError(EngineError, ValueError):
    """An input that cannot become a Brief: an empty prompt, a tempo out of range, an unknown key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class OutputError(EngineError):
    """The output folder cannot be written."""
