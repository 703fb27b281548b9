"""What the accounts room refuses, each error naming the input at fault so a form or API can show it."""

from __future__ import annotations


class AccountsError(Exception):
    """A request the accounts room turns down. `field` is the input to blame, or None for the whole."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class EmailTaken(AccountsError):
    field = "email"


class WeakPassword(AccountsError):
    field = "password"

    def __init__(self, messages: list[str], *, field: str | None = None) -> None:
        super().__init__(" ".join(messages), field=field)
        self.messages = messages


class InvalidCredentials(AccountsError):
    pass


class SlugTaken(AccountsError):
    field = "slug"


class AvatarInvalid(AccountsError):
    field = "avatar"
