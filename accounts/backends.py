"""Authentication: Django's ModelBackend, with the user of each signed-in request read by a
statement built once per process (`interviews.statements`) instead of an ORM query.

Every signed-in request reads its user: through the ORM that primary-key lookup costs about three
times the CPU of the statement itself (bench/README.md). Logging in, passwords and permissions are
ModelBackend's own. A session names the backend that logged it in, so sessions made before this
backend existed keep naming ModelBackend, which stays in `AUTHENTICATION_BACKENDS` after this one.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from accounts.models import User
from interviews import statements


class UserBackend(ModelBackend):
    def get_user(self, user_id) -> User | None:
        with connection.cursor() as cursor:
            found = statements.select(cursor, User, None, where={"id": user_id})
        if found and self.user_can_authenticate(found[0]):
            return found[0]
        return None
