"""The rules: plain functions that take a session and values, flush and never commit."""
