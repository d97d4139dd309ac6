"""Sessions in the database as Django's store keeps them, in a table that also names the session's
user (`accounts.models.Session`), read through `interviews.statements`.

Every signed-in request starts by reading its session, then its user. Here one statement reads
both (the session's row joined to its user's); Django's `get_user` then takes that user from
`UserBackend` instead of reading it again (`accounts.middleware.AuthenticationMiddleware`), and
checks it as always (the backend named by the session, the password's hash). Through the ORM each
of the two lookups cost several times what the database spends on it (bench/README.md, "Load and
faults"). Everything else (writes, expiry, clearing, the `clearsessions` command) is Django's
database store.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import Session, User
from interviews import statements


class SessionStore(db.SessionStore):
    # The user read with the session: Django's `get_user` asks for it next (None: nobody, or not read).
    user: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict) -> Session:
        session = super().create_model_instance(data)
        session.user_id = _user_key(data.get(SESSION_KEY))
        return session

    def _get_session_from_db(self) -> Session | None:
        self.user = None
        with connection.cursor() as cursor:
            found = statements.select_with_parent(
                cursor, Session, "user", where={"session_key": self.session_key}, outer=True
            )
        if found and found[0][0].expire_date > timezone.now():
            session, self.user = found[0]
            return session
        self._session_key = None  # as Django's store: unknown or expired, a new key on the next save
        return None


def _user_key(value: object) -> object:
    """The user's key as the session's data keeps it (a string), as the column takes it; None when
    there is none or it is not a key."""
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None
