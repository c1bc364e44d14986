"""marshmallow schemas: the API's shapes and its validation (no queries, no side effects)."""
