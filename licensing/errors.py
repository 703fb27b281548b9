"""What the licensing room refuses, each error naming the input at fault so a form or API can show it."""

from __future__ import annotations

from common.errors import FieldError


class LicensingError(FieldError):
    """A request the licensing room turns down. `field` is the input to blame, or None for the whole."""


class NotOnSale(LicensingError):
    """The track, or this tier of it, cannot be bought now (unpublished, withdrawn, not offered...)."""


class ExclusiveTaken(NotOnSale):
    """The track's exclusive buyout was sold already: there can be only one."""

    field = "tier"
