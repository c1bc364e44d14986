"""Rules our validators enforce, written into the OpenAPI document so that it tells the truth.

apispec turns marshmallow's built-in validators (Length, Range, OneOf, Regexp) into JSON
schema keywords; our own validators are plain functions it cannot read. This module says
what each of them means in JSON schema, and reshapes the few bodies whose shape depends on
another field. What no JSON schema can say (a range of dates compared with the clock, a
cursor the server gave out) stays in the prose of the errors.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields, validate

from diary.schemas.common import (
    TrimmedString,
    known_timezones,
    no_duplicates,
    validate_plain_text,
    validate_timezone,
)
from diary.schemas.questionnaires import ANSWER_SCHEMAS
from diary.schemas.reminders import LocalTime

# validate_plain_text refuses control characters (Unicode Cc, but tab, LF and CR), as this
# pattern says in a syntax both ECMA-262 and Python read. It also refuses lone surrogates
# (Cs), which no encoder of real text sends; the pattern leaves them out because Hypothesis
# (and so schemathesis) stops honouring a negated class that names the surrogate range.
PLAIN_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _validator_keywords(self: Any, field: fields.Field[Any], **kwargs: Any) -> dict[str, Any]:
    """The JSON schema keywords for our own validators (an apispec attribute function)."""
    extra: dict[str, Any] = {}
    validators = list(getattr(field, "validators", []))
    if no_duplicates in validators:
        extra["uniqueItems"] = True
    if validate_plain_text in validators:
        extra["pattern"] = PLAIN_TEXT_PATTERN
    if validate_timezone in validators:
        extra["enum"] = sorted(known_timezones())
    for rule in validators:
        # apispec writes `minimum` even when the bound itself is refused.
        if isinstance(rule, validate.Range) and rule.min is not None and not rule.min_inclusive:
            extra["exclusiveMinimum"] = rule.min
        if isinstance(rule, validate.Range) and rule.max is not None and not rule.max_inclusive:
            extra["exclusiveMaximum"] = rule.max
    if isinstance(field, TrimmedString) and any(
        isinstance(rule, validate.Length) and (rule.min or rule.equal or 0) >= 1
        for rule in validators
    ):
        # Trimmed before its length is checked: white space alone is empty.
        extra["allOf"] = [{"pattern": r"\S"}]
    if isinstance(field, LocalTime):
        extra.update(type="string", pattern=LOCAL_TIME_PATTERN, example="20:00")
    return extra


def register_rules(plugin: MarshmallowPlugin) -> None:
    """Teach the plugin's converter our validators (call after APISpec(plugins=[plugin]))."""
    if plugin.converter is None:
        raise RuntimeError("make the APISpec with this plugin first")
    plugin.converter.add_attribute_function(_validator_keywords)  # type: ignore[no-untyped-call]  # apispec is untyped


def questionnaire_variants(spec: APISpec) -> None:
    """Describe a questionnaire body as one shape per instrument (answers follow instrument)."""
    variants = []
    for instrument, answers in ANSWER_SCHEMAS.items():
        name = answers.__name__
        spec.components.schema(name, schema=answers)
        # At least one item answered: present and not null.
        spec.components.schemas[name]["anyOf"] = [
            {"required": [item], "properties": {item: {"not": {"type": "null"}}}}
            for item in answers().fields
        ]
        variants.append(
            {
                "allOf": [{"$ref": "#/components/schemas/QuestionnaireIn"}],
                "properties": {
                    "instrument": {"const": instrument},
                    "answers": {"$ref": f"#/components/schemas/{name}"},
                },
            }
        )
    spec.components.schema("QuestionnaireAnswered", {"oneOf": variants})


def use_questionnaire_variants(document: dict[str, Any]) -> None:
    """Point the bodies that take a questionnaire at its per-instrument shapes."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            schema = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ).get("schema", {})
            if schema.get("$ref") == "#/components/schemas/QuestionnaireIn":
                schema["$ref"] = "#/components/schemas/QuestionnaireAnswered"


def at_least_one_field(document: dict[str, Any]) -> None:
    """An edit (PATCH) with nothing in it is refused: say so with minProperties."""
    schemas = document.get("components", {}).get("schemas", {})
    for operations in document.get("paths", {}).values():
        body = operations.get("patch", {}).get("requestBody")
        if body is None:
            continue
        ref = body["content"]["application/json"]["schema"].get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        if name in schemas:
            schemas[name]["minProperties"] = 1
