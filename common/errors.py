"""The base of every room's errors: a message a person can read, and the input to blame for it."""

from __future__ import annotations


class FieldError(Exception):
    """A request a room turns down. `field` names the input at fault (a form field, an API key), or is
    None when the request as a whole is refused; a subclass may fix it for every instance."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
