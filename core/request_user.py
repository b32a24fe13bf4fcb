"""Whether the request's user is being read from the session (by core.middleware's authentication).

A module of its own: the user model reads it, and the middleware imports django.contrib.auth, which needs
the user model.
"""

from contextvars import ContextVar

# True while the request's user is read from the session, so that the user model can read the user's
# office area in the same query (accounts.models.StaffManager): every page shows it in the navigation bar.
loading_request_user: ContextVar[bool] = ContextVar("loading_request_user", default=False)
