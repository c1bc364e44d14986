"""The service worker at /sw.js, the manifest, and the two pages it keeps for offline use."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

bp = Blueprint("pwa", __name__)

THEME = "#2f5d62"
BACKGROUND = "#f5f3ee"
WORKER_SOURCE = "js/sw.js"
# The static part of the app shell, under static/. Chart.js is left out: the trends page needs
# the server anyway, so caching 200 kB for it would only cost phones space.
SHELL_STATIC = (
    "css/app.css",
    "css/bodymap.css",
    "css/treatments.css",
    "js/app.js",
    "js/outbox.js",
    "js/bodymap.js",
    "js/log.js",
    "js/outbox-page.js",
    "icons/icon.svg",
    "icons/icon-192.png",
)
# Pages cached as a whole. None carries diary data: /offline and /outbox are filled from this
# phone's own queue, and the log page is a blank form (its "same as last time" variant,
# /entries/new?same=1, is never cached).
SHELL_PAGES = ("pwa.offline", "pwa.outbox")
LOG_PAGE = "entries.new"
# Templates whose change must reach phones that have the shell cached.
SHELL_TEMPLATES = ("base.html", "pwa/offline.html", "pwa/outbox.html")


def _sources(app: Flask) -> list[Path]:
    static = Path(app.static_folder or "")
    templates = Path(app.root_path).parent / "templates"
    return [
        static / WORKER_SOURCE,
        *(static / name for name in SHELL_STATIC),
        *(templates / name for name in SHELL_TEMPLATES),
    ]


def shell_version(app: Flask) -> str:
    """A digest of everything the shell is made of: a new one makes phones re-cache it."""
    sources = _sources(app)
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sources)
    cached = app.extensions.get("diary.shell_version")
    if cached is not None and cached[0] == stamp:
        return str(cached[1])
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    version = digest.hexdigest()[:16]
    app.extensions["diary.shell_version"] = (stamp, version)
    return version


def _worker_settings() -> dict[str, object]:
    return {
        "version": shell_version(current_app),
        "precache": [
            *(url_for("static", filename=name) for name in SHELL_STATIC),
            url_for("pwa.manifest"),
            *(url_for(endpoint) for endpoint in SHELL_PAGES),
        ],
        "logPage": url_for(LOG_PAGE),
        "offlinePage": url_for("pwa.offline"),
        "outboxScript": url_for("static", filename="js/outbox.js"),
        "icon": url_for("static", filename="icons/icon-192.png"),
    }


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    source = Path(current_app.static_folder or "", WORKER_SOURCE).read_text(encoding="utf-8")
    settings = json.dumps(_worker_settings(), separators=(",", ":"))
    body = f"self.DIARY_SHELL = {settings};\n{source}"
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    icon = "icons/icon-{}.png"
    body = {
        "id": "/",
        "name": "Pain Diary",
        "short_name": "Pain Diary",
        "description": "Log your pain in seconds, see what helps, share it on your terms.",
        "lang": "en",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {
                "src": url_for("static", filename=icon.format(192)),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": url_for("static", filename=icon.format(512)),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": url_for("static", filename="icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {
                "src": url_for("static", filename="icons/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            },
        ],
        "shortcuts": [
            {
                "name": "Log pain",
                "url": url_for(LOG_PAGE),
                "icons": [
                    {"src": url_for("static", filename=icon.format(192)), "sizes": "192x192"}
                ],
            },
        ],
    }
    response = Response(json.dumps(body, indent=1), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline() -> ResponseReturnValue:
    return render_template("pwa/offline.html", offline_shell=True)


@bp.get("/outbox")
def outbox() -> ResponseReturnValue:
    return render_template("pwa/outbox.html", offline_shell=True)
