"""The compressed bytes of a first visit to a page: the HTML and every asset it names.

Each file is fetched with `Accept-Encoding: gzip`. When the server compresses, the bytes on
the wire count; when it sends identity, the bench counts gzip -6 of the body (what a proxy
in front of gunicorn would send), and says so. Images and fonts that are already compressed
count as they are. Headers are not counted. CSS `url()` references are followed one level.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.client import Client
from bench.context import Context
from bench.outcome import NOT_BUILT, Outcome, Spec

PRECOMPRESSED = (".png", ".jpg", ".jpeg", ".webp", ".avif", ".woff", ".woff2", ".gif")
LINK_RELS = {"stylesheet", "icon", "manifest", "modulepreload", "preload", "apple-touch-icon"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag in ("script", "img") and named.get("src"):
            self.found.append(str(named["src"]))
        rels = set((named.get("rel") or "").lower().split())
        if tag == "link" and rels & LINK_RELS and named.get("href"):
            self.found.append(str(named["href"]))


def _same_site(path: str) -> str | None:
    parts = urlsplit(path)
    if parts.scheme in ("", "http") and parts.hostname in (None, "127.0.0.1"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return None


def _weight(client: Client, path: str) -> tuple[int, bytes, bool]:
    """(bytes counted, decoded body, whether the server compressed)."""
    answer = client.get(path, headers={"Accept-Encoding": "gzip"})
    if answer.status != 200:
        raise RuntimeError(f"{path} answered {answer.status}")
    if answer.headers.get("Content-Encoding", "").lower() == "gzip":
        return len(answer.body), gzip.decompress(answer.body), True
    if path.split("?")[0].lower().endswith(PRECOMPRESSED):
        return len(answer.body), answer.body, False
    return len(gzip.compress(answer.body, compresslevel=6)), answer.body, False


def measure(ctx: Context, spec: Spec) -> Outcome:
    outcome = Outcome(spec.key, spec.name, rules=spec.rules)
    key, page = spec.key, spec.page
    client = ctx.client("main")
    probe = client.get(page)
    if probe.status in (404, 405):
        outcome.status = NOT_BUILT
        return outcome
    total, html, compressed = _weight(client, page)
    parser = _Assets()
    parser.feed(html.decode("utf-8", "replace"))
    seen: set[str] = set()
    modes = {compressed}
    queue = [urljoin(page, ref) for ref in parser.found]
    while queue:
        path = _same_site(queue.pop(0))
        if path is None or path in seen:
            continue
        seen.add(path)
        size, body, compressed = _weight(client, path)
        total += size
        modes.add(compressed)
        if path.split("?")[0].endswith(".css"):
            text = body.decode("utf-8", "replace")
            queue += [urljoin(path, ref) for ref in CSS_URL.findall(text) if "data:" not in ref]
    how = {True: "sent gzip by the server", False: "gzip computed by the bench (identity sent)"}
    outcome.value = total
    outcome.value_text = f"{total / 1000:.1f} KB"
    outcome.notes.append(
        f"{key}: {page} + {len(seen)} assets = {total:,} bytes, "
        + " / ".join(how[m] for m in sorted(modes, reverse=True))
    )
    return outcome
