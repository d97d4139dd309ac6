"""Authentication: Django's ModelBackend, with the user of each signed-in request read with its
session (`accounts.sessions`) or, failing that, by a statement built once per process
(`interviews.statements`) instead of an ORM query.

Every signed-in request reads its user: through the ORM that primary-key lookup costs about three
times the CPU of the statement itself (bench/README.md). Logging in, passwords and permissions are
ModelBackend's own. A session names the backend that logged it in, so sessions made before this
backend existed keep naming ModelBackend, which stays in `AUTHENTICATION_BACKENDS` after this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from accounts.models import User
from interviews import statements

# The session store whose user Django's `get_user` is looking for (accounts.middleware), if any.
_session = ContextVar("accounts_session_of_get_user", default=None)


@contextmanager
def users_read_with(session) -> Iterator[None]:
    """Inside the block `UserBackend.get_user` takes the user `session` read along with itself
    (`accounts.sessions.SessionStore.user`) when it is the one asked for."""
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


class UserBackend(ModelBackend):
    def get_user(self, user_id) -> User | None:
        user = getattr(_session.get(), "user", None)
        if user is None or str(user.pk) != str(user_id):  # the session keeps the key as a string
            with connection.cursor() as cursor:
                found = statements.select(cursor, User, None, where={"id": user_id})
            user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
