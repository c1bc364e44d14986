"""The import page (placeholder while it is written)."""

from flask import Blueprint

bp = Blueprint("exports", __name__)
