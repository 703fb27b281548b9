"""Reads for the licensee's library: their licenses with what each delivers, in a fixed number of
queries, and one license of theirs by code."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from licensing import codes, delivery, selectors
from licensing.models import License


@dataclass(frozen=True)
class DownloadLink:
    fmt: str
    label: str
    url: str


@dataclass(frozen=True)
class LibraryEntry:
    license: License
    formats: list[str]
    downloads: list[DownloadLink]  # empty unless the license is active
    verify_url: str

    @property
    def active(self) -> bool:
        return self.license.status == License.Status.ACTIVE


def _with_files(qs: QuerySet[License]) -> QuerySet[License]:
    return qs.select_related("track__provenance").prefetch_related(
        "track__assets", "track__edits", "channels"
    )


def licenses_for_library(*, user: User) -> QuerySet[License]:
    """The licenses `user` holds, newest first, with their files and channels loaded with them."""
    return _with_files(selectors.licenses_of(user=user))


def license_owned(*, user: User, code: str) -> License | None:
    """One license of `user` by its code (as typed), or None: other people's licenses do not exist here."""
    canonical = codes.normalize(code)
    if canonical is None or not user.is_authenticated:
        return None
    return _with_files(selectors.licenses_of(user=user)).filter(code=canonical).first()


def entry(license: License, request: HttpRequest | None = None) -> LibraryEntry:
    """A license as the library shows it: its formats and, while active, signed download links."""
    links = delivery.download_links(license=license, request=request)
    return LibraryEntry(
        license=license,
        formats=delivery.deliverable_formats(license),
        downloads=[DownloadLink(fmt=f, label=delivery.LABELS[f], url=url) for f, url in links.items()],
        verify_url=delivery.verify_url(license),
    )
