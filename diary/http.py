"""Helpers for the edge: parse a body with a schema, answer JSON, document a route."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, request
from marshmallow import Schema
from werkzeug.exceptions import BadRequest

from diary.errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])


class MalformedBody(DomainError):
    status = 400
    title = "Malformed JSON"


def json_body() -> Any:
    """Return the parsed JSON body; 400 when it is missing or not valid JSON."""
    if not request.get_data(cache=True):
        raise MalformedBody("This request needs a JSON body.")
    try:
        return request.get_json(force=True, silent=False)
    except BadRequest as error:
        raise MalformedBody("The body is not valid JSON.") from error


def load_json(schema: Schema, *, partial: bool = False) -> Any:
    """Parse and validate the JSON body; marshmallow's errors become 422.

    `partial` makes the top-level fields optional (an edit); fields inside nested
    objects keep their own required rules.
    """
    return schema.load(json_body(), partial=top_level(schema) if partial else False)


def top_level(schema: Schema) -> tuple[str, ...]:
    """The schema's own field names: marshmallow's partial=True would reach into nested ones."""
    return tuple(schema.fields)


def form_data() -> dict[str, Any]:
    """The posted form as a plain dict (lists where a field repeats)."""
    data: dict[str, Any] = {}
    for key in request.form:
        if key == "csrf_token":
            continue
        values = request.form.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    return data


def dump(
    schema: Schema, obj: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Serialise obj with the schema into a JSON response."""
    response = jsonify(schema.dump(obj))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """Return target only when it is a path on this site; otherwise default."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\\"):
        return default
    return target


def body_limit(setting: str) -> Callable[[F], F]:
    """Let this view take bodies up to the config `setting` in bytes, not MAX_CONTENT_LENGTH."""

    def decorate(view: F) -> F:
        view.body_limit_setting = setting  # type: ignore[attr-defined]
        return view

    return decorate


def register_body_limits(app: Flask) -> None:
    """Apply a view's own body limit before any other hook reads the body (CSRF reads forms)."""

    def apply() -> None:
        view = app.view_functions.get(request.endpoint or "")
        setting = getattr(view, "body_limit_setting", None)
        if setting is not None:
            request.max_content_length = app.config[setting]
            request.max_form_memory_size = app.config[setting]

    app.before_request_funcs.setdefault(None, []).insert(0, apply)


@dataclass
class RouteDoc:
    """What the OpenAPI document says of one view function."""

    summary: str
    tags: list[str]
    body: type[Schema] | Schema | None = None
    responses: dict[int, type[Schema] | Schema | str | None] = field(default_factory=dict)
    query: type[Schema] | None = None
    public: bool = False
    # A body that is not JSON: {media type: OpenAPI schema}.
    media: dict[str, Any] | None = None


def doc(
    summary: str,
    *,
    tags: list[str],
    body: type[Schema] | Schema | None = None,
    responses: dict[int, type[Schema] | Schema | str | None] | None = None,
    query: type[Schema] | None = None,
    public: bool = False,
    media: dict[str, Any] | None = None,
) -> Callable[[F], F]:
    """Attach OpenAPI facts to a view; diary.openapi reads them from the URL map."""

    def decorate(view: F) -> F:
        view.openapi = RouteDoc(  # type: ignore[attr-defined]
            summary, tags, body, dict(responses or {}), query, public, media
        )
        return view

    return decorate
