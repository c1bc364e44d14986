"""The SQLAlchemy models, one module per aggregate; importing this registers them all."""

from diary.models.accounts import User, UserSession

__all__ = ["User", "UserSession"]
