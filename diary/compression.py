"""gzip for our static text files (CSS, JS, SVG), compressed once per file version.

Only static files: an HTML page or an API answer carries a CSRF token or health data next to
text a third party may influence, and compressing those invites BREACH-style guessing. A
reverse proxy in front may compress as well; it then sees `Content-Encoding` and leaves these be.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

COMPRESSIBLE = frozenset(
    {
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
        "application/json",
        "text/plain",
        "text/markdown",
    }
)
MIN_SIZE = 1024
_CACHE_KEY = "diary.gzip_cache"


def _gzipped(path: Path) -> bytes:
    """The file's gzip, kept per (path, mtime, size) so an edited file is compressed anew."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    cache: dict[str, tuple[tuple[str, int, int], bytes]] = current_app.extensions.setdefault(
        _CACHE_KEY, {}
    )
    hit = cache.get(str(path))
    if hit is not None and hit[0] == key:
        return hit[1]
    # mtime=0 makes the bytes depend on the content alone (stable across restarts).
    body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
    cache[str(path)] = (key, body)
    return body


def compress_static(response: Response) -> Response:
    """Swap a static file's body for its gzip when the client takes it."""
    if request.endpoint != "static" or response.status_code != 200:
        return response
    if response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:
        return response
    filename = (request.view_args or {}).get("filename", "")
    full = safe_join(current_app.static_folder or "", filename)
    if full is None or not Path(full).is_file() or Path(full).stat().st_size < MIN_SIZE:
        return response
    body = _gzipped(Path(full))
    response.close()  # the file send_file opened
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)  # ranges would be of the file, not the gzip
    etag, _ = response.get_etag()
    if etag:
        # Another representation of the same file: a weak validator (as nginx does), which
        # If-None-Match still matches, so revalidation keeps answering 304.
        response.set_etag(etag, weak=True)
    return response


def register_compression(app: Flask) -> None:
    app.after_request(compress_static)
