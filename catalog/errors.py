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
