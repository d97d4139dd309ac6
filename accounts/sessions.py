"""Sessions kept in the database exactly as Django keeps them, read through `interviews.statements`.

Every signed-in request starts by reading its session. Through the ORM that one-row lookup costs
several times what the database spends on it (bench/README.md, "Load and faults"), so this store
reads the row with a statement built once per process. Everything else (writes, expiry, clearing,
the `clearsessions` command) is Django's database store; the table and the cookie are the same, so
the setting can change either way without logging anyone out.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from interviews import statements


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        with connection.cursor() as cursor:
            found = statements.select(cursor, self.model, None, where={"session_key": self.session_key})
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None  # as Django's store: unknown or expired, a new key on the next save
        return None
