"""Structured logs: one JSON line per request, with a request id; never a note, token or password.

What keeps secrets out: the request line names the route's rule (/r/<token>), never the
path or the query string; SQL errors are logged without their parameters
(hide_parameters); bodies are never logged.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request
from flask_login import current_user

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
LOGGER = "diary"
request_log = logging.getLogger("diary.request")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    started = g.get("request_started")
    user = current_user.get_id() if current_user and current_user.is_authenticated else None
    request_log.info(
        "request",
        extra={
            "fields": {
                "request_id": g.get("request_id"),
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else "(no route)",
                "status": response.status_code,
                "duration_ms": round(1000 * (time.perf_counter() - started), 1)
                if started
                else None,
                "user_id": user,
            }
        },
    )
    return response


def register_logging(app: Flask) -> None:
    """JSON lines on stderr for the app's loggers; the dev server's path lines off."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # werkzeug's own request lines carry the full path, and paths can carry tokens.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app.before_request(_start)
    app.after_request(_finish)
