"""The class next to the dashboard: ``merger-sim dashboard --class`` serves both on one port.

The dashboard's server is solara's (a process of its own, :mod:`sim.presentation.dashboard.server`).
When ``merger-sim dashboard --class`` started it, the class's settings arrive in the environment
(:data:`~sim.presentation.live.setup.ENV_CLASS`); when solara imports the dashboard's page, the
class's application (:func:`sim.presentation.live.web.create_app`, the very one ``merger-sim class``
serves) is mounted at :data:`PREFIX` in front of solara's routes. Only ``/class/...`` reaches it,
and it reaches nothing of the dashboard: the join page and its API see the one class session.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Final

from sim.presentation.live.setup import ENV_CLASS, ClassSettings, new_session

PREFIX: Final[str] = "/class"
"""Where the class lives on the dashboard's server: /class/join, /class/teacher."""

logger = logging.getLogger(__name__)


def class_settings() -> ClassSettings | None:
    """The class this server was asked to serve (None: the dashboard alone)."""
    text = os.environ.get(ENV_CLASS, "")
    return ClassSettings.from_env(text) if text else None


def mount_class(app: Any) -> bool:
    """Mount the class (if asked for) at :data:`PREFIX` of a Starlette ``app``, before its
    catch-all routes; idempotent. Returns whether a class is served."""
    from starlette.routing import Mount

    from sim.presentation.live.web import create_app

    settings = class_settings()
    if settings is None:
        return False
    if any(getattr(route, "path", None) == PREFIX for route in app.router.routes):
        return True
    session = new_session(settings)
    app.router.routes.insert(0, Mount(PREFIX, app=create_app(session, settings.key)))
    logger.info("participatory class %s served at %s", session.code, PREFIX)
    return True


def mount_on_solara() -> bool:
    """Mount the class on solara's server application (called as solara imports the page)."""
    from solara.server import starlette as solara_starlette

    return mount_class(solara_starlette.app)
