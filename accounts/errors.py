"""What the accounts room refuses, each error naming the input at fault so a form or API can show it."""

from __future__ import annotations

from common.errors import FieldError


class AccountsError(FieldError):
    """A request the accounts room turns down. `field` is the input to blame, or None for the whole."""


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
