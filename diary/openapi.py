"""The OpenAPI 3 document, generated from the URL map and the marshmallow schemas."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter, IntegerConverter, UUIDConverter

from diary.http import RouteDoc, doc
from diary.openapi_rules import (
    at_least_one_field,
    questionnaire_variants,
    register_rules,
    use_questionnaire_variants,
)

API_PREFIX = "/api/v1"

bp = Blueprint("openapi", __name__, url_prefix=API_PREFIX)

PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
}

# `{pid}` names a patient: their user id, or `me` for the one signed in.
PATIENT_ID = {
    "anyOf": [{"type": "string", "enum": ["me"]}, {"type": "string", "format": "uuid"}],
    "description": "A patient's user id, or `me`.",
}

_CONVERTER = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _openapi_path(rule: str) -> str:
    return _CONVERTER.sub(r"{\1}", rule)


def _path_schema(name: str, converter: BaseConverter) -> dict[str, Any]:
    """What the URL map accepts in a path segment, as a JSON schema."""
    if name == "pid":
        return PATIENT_ID
    if isinstance(converter, UUIDConverter):
        return {"type": "string", "format": "uuid"}
    if isinstance(converter, IntegerConverter):
        schema: dict[str, Any] = {"type": "integer", "minimum": converter.min or 0}
        if converter.max is not None:
            schema["maximum"] = converter.max
        return schema
    return {"type": "string"}


def _operation(info: RouteDoc, method: str, params: dict[str, BaseConverter]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": info.summary, "tags": info.tags, "responses": {}}
    parameters: list[dict[str, Any]] = [
        {"in": "path", "name": name, "required": True, "schema": _path_schema(name, converter)}
        for name, converter in sorted(params.items())
    ]
    if info.query is not None:
        parameters.append({"in": "query", "schema": info.query})
    if parameters:
        op["parameters"] = parameters
    if info.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": info.body}},
        }
    if info.media is not None:
        op["requestBody"] = {
            "required": True,
            "content": {media: {"schema": schema} for media, schema in info.media.items()},
        }
    problem_content = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    for status, answer in info.responses.items():
        response: dict[str, Any] = {"description": str(status)}
        if isinstance(answer, str):
            response["description"] = answer
        elif answer is not None:
            response["content"] = {"application/json": {"schema": answer}}
        op["responses"][str(status)] = response
    errors = {400: "Malformed JSON", 422: "Invalid fields", 429: "Too many requests"}
    if method in ("post", "put", "patch", "delete"):
        errors[403] = "CSRF token missing, or the action is not allowed"
    if not info.public:
        errors[401] = "Not signed in"
        errors[404] = "Not found, or not yours to see"
    errors[503] = "The database is unreachable"
    for status, text in errors.items():
        op["responses"].setdefault(str(status), {"description": text, "content": problem_content})
    if not info.public:
        op["security"] = [{"cookieSession": []}]
    return op


def build_spec(app: Flask) -> dict[str, Any]:
    """Walk the URL map and describe every documented /api/v1 route."""
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="Pain Diary API",
        version="1",
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": "The JSON API of Pain Diary. Errors are application/problem+json."},
    )
    register_rules(plugin)
    spec.components.schema("Problem", PROBLEM)
    spec.components.security_scheme(
        "cookieSession", {"type": "apiKey", "in": "cookie", "name": "diary_session"}
    )
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIX):
            continue
        info = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if info is None:
            continue
        path = _openapi_path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                info,
                method.lower(),
                rule._converters,  # werkzeug keeps the converters only here
            )
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    questionnaire_variants(spec)
    document = spec.to_dict()
    at_least_one_field(document)
    use_questionnaire_variants(document)
    return document


@bp.get("/openapi.json")
@doc("This document", tags=["meta"], responses={200: "The OpenAPI 3 document"}, public=True)
def openapi_json() -> ResponseReturnValue:
    spec = current_app.extensions.get("diary.openapi")
    if spec is None:
        spec = current_app.extensions["diary.openapi"] = build_spec(current_app)
    return jsonify(spec)
