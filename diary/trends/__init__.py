"""Trends: what the diary says over time, as JSON and as a page."""
