"""The diary: log pain, list, edit, delete and restore entries (pages and API)."""
