"""Unbound extension objects, bound to the app in create_app()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from diary.database import Base

# Objects stay readable after the request's one commit (no reload just to answer).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# mypy cannot follow db.Model as a base class; models subclass this alias instead.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
