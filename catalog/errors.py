"""The catalog's own exceptions. Each names the field at fault where there is one."""


class CatalogError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TrackFilesError(CatalogError):
    """An engine output (or upload) that cannot become a track: missing, unreadable or inconsistent."""


class CollectionError(CatalogError):
    pass


class ReviewError(CatalogError):
    """A review decision, takedown or withdrawal that cannot be made as asked."""


class NotAllowed(CatalogError):
    """The person asking does not hold the role the action needs (the API answers 403)."""


class UploadRejected(CatalogError):
    """An uploaded file or declaration that cannot become a track; nothing of it was kept."""
