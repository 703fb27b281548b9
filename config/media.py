"""Public media served by the app itself (SERVE_MEDIA), for one-machine installs.

Two things Django's static `serve` view lacks here: the folder is read from settings on every request
(so it follows MEDIA_ROOT wherever it is moved), and byte ranges are answered, without which browsers
cannot seek in an audio preview.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.views.static import serve

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_BLOCK = 64 * 1024


class _Unsatisfiable(Exception):
    pass


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single range, or None when the header asks for no usable range."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            raise _Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise _Unsatisfiable
    return start, end


def _chunks(path: Path, start: int, end: int):
    with open(path, "rb") as fh:
        fh.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            block = fh.read(min(_BLOCK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block


def _release(response: HttpResponse) -> None:
    # Only the file: response.close() would also signal the end of the request (and close the
    # database connection) while this request is still being answered.
    opened = getattr(response, "file_to_stream", None)
    if opened is not None:
        opened.close()


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code != 200:
        return response
    response["Accept-Ranges"] = "bytes"
    header = request.headers.get("Range")
    if not header:
        return response
    size = int(response["Content-Length"])
    try:
        wanted = _byte_range(header, size)
    except _Unsatisfiable:
        _release(response)
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    if wanted is None:
        return response
    _release(response)
    start, end = wanted
    full_path = Path(safe_join(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/")))
    partial = StreamingHttpResponse(_chunks(full_path, start, end), status=206)
    for name in ("Content-Type", "Last-Modified", "Accept-Ranges"):
        if name in response:
            partial[name] = response[name]
    partial["Content-Length"] = str(end - start + 1)
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    return partial
