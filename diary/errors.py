"""Domain errors, and the handlers that turn every error into problem+json or a page."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from diary.extensions import login_manager

log = logging.getLogger(__name__)

FieldErrors = Mapping[str, Sequence[str] | Mapping[str, Any]]


class DomainError(Exception):
    """A rule said no; the status and title say how the edge should answer."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title


class ValidationFailed(DomainError):
    """Input broke a rule; `errors` says which field and why."""

    status = 422
    title = "Some fields need attention"

    def __init__(self, errors: FieldErrors, detail: str | None = None) -> None:
        super().__init__(detail or "Please correct the fields listed in errors.")
        self.errors = errors


class NotFound(DomainError):
    """Absent, or not this person's to see (never say which)."""

    status = 404
    title = "Not found"


class Forbidden(DomainError):
    """Visible, but this person may not do that to it."""

    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    """The request clashes with what is already stored."""

    status = 409
    title = "Conflict"


def wants_problem_json() -> bool:
    """API routes answer problem+json; pages answer HTML."""
    return request.path.startswith("/api/")


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: FieldErrors | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build an RFC 9457 problem+json response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _page(status: int, title: str, detail: str, headers: Mapping[str, str] | None = None) -> Any:
    html = render_template("error.html", status=status, title=title, detail=detail)
    return html, status, dict(headers or {})


def _answer(
    status: int,
    title: str,
    detail: str,
    errors: FieldErrors | None = None,
    headers: Mapping[str, str] | None = None,
) -> Any:
    if wants_problem_json():
        return problem(status, detail, title=title, errors=errors, headers=headers)
    return _page(status, title, detail, headers)


_FRIENDLY = {
    400: "The request could not be understood.",
    401: "Please sign in to continue.",
    403: "You are not allowed to do that.",
    404: "There is nothing here. The address may be mistyped, or the page was removed.",
    405: "That method is not allowed here.",
    413: "That was more data than we accept in one request.",
    429: "Too many attempts. Please wait a little and try again.",
}


def handle_http(error: HTTPException) -> Any:
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() not in ("content-type",)}
    if status == 429 and "Retry-After" not in headers:
        headers["Retry-After"] = "60"
    detail = _FRIENDLY.get(status, error.description or "")
    return _answer(status, HTTPStatus(status).phrase, detail, headers=headers)


def handle_csrf(error: CSRFError) -> Any:
    detail = "The form or request was missing its security token. Reload the page and try again."
    if wants_problem_json():
        detail = "Send the token from GET /api/v1/auth/csrf in the X-CSRFToken header."
    return _answer(403, "CSRF token missing or invalid", detail)


def handle_domain(error: DomainError) -> Any:
    errors = error.errors if isinstance(error, ValidationFailed) else None
    return _answer(error.status, error.title, error.detail, errors=errors)


def _string_keys(messages: Any) -> Any:
    """marshmallow keys list items by index; JSON objects need string keys."""
    if isinstance(messages, dict):
        return {str(key): _string_keys(value) for key, value in messages.items()}
    return messages


def handle_validation(error: ValidationError) -> Any:
    # A check outside a schema names its field (field_name), else marshmallow's "_schema".
    messages = (
        error.messages
        if isinstance(error.messages, dict)
        else {error.field_name or "_schema": error.messages}
    )
    messages = _string_keys(messages)
    return _answer(
        422, ValidationFailed.title, "Please correct the fields listed in errors.", messages
    )


# The database is down, unreachable, or every pooled connection is busy for too long.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)


def handle_database_down(error: Exception) -> Any:
    log.warning("database unavailable: %s", getattr(error, "orig", None) or error)
    # The user loader may be what failed: answer as nobody rather than ask the database
    # again from the page's navigation or the request log (Flask-Login's request cache).
    g._login_user = login_manager.anonymous_user()
    return _answer(
        503,
        "Service unavailable",
        "The diary's database cannot be reached just now. Nothing was saved; please retry.",
        headers={"Retry-After": "5"},
    )


def handle_unexpected(error: Exception) -> Any:
    route = request.url_rule.rule if request.url_rule else "(no route)"
    current_app.logger.exception("unhandled error on %s %s", request.method, route)
    return _answer(500, "Internal server error", "Something went wrong on our side.")


def register_errorhandlers(app: Flask) -> None:
    """Route every error through one place."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(ValidationError, handle_validation)
    for error in DATABASE_DOWN:
        app.register_error_handler(error, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
