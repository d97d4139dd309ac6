from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class User(AbstractUser):
    """A candidate. Staff users are the bank's curators.

    Custom from the first migration so fields can be added later without a painful swap.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    # An IANA name such as "Europe/Paris"; blank: the site's TIME_ZONE. Days (progress, the daily
    # review cap, history's date filters) start at midnight here (accounts.middleware).
    time_zone = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class Session(AbstractBaseSession):
    """A session as Django's database store keeps it, and the user signed in with it (None: nobody),
    which the store copies from the session's data each time it saves. A signed-in request then
    reads its session and its user in one statement (`accounts.sessions`), and deleting a user
    ends their sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
