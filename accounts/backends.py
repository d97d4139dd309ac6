"""Logging in with the username or the email address of an account."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User


def canonical_username(identifier: str | None) -> str | None:
    """The username an identifier names: the account's with that email address (any case), else
    the identifier itself. Usernames cannot contain "@" (the sign-up form refuses it)."""
    if identifier and "@" in identifier:
        match = User._default_manager.filter(email__iexact=identifier.strip()).values_list("username", flat=True)
        return match.first() or identifier
    return identifier


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username=canonical_username(username), password=password, **kwargs)


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """What django-axes counts failed log-ins against: the account, however it was named, so that
    "alice", "alice@example.com" and "ALICE@example.com" share one count of five."""
    raw = credentials.get("username") if credentials else request.POST.get("username")
    return canonical_username(raw)
