"""Who a request comes from, and the time zone it runs in (User.time_zone, or the site's)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts import backends, time_zones


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, but while Django's `get_user` runs, `UserBackend` may take the user the session
    read along with itself (`accounts.sessions`): a signed-in request reads both in one statement.
    Which backend, and whether the session still fits the user's password, Django decides as always."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


def _get_user(request: HttpRequest):
    if not hasattr(request, "_cached_user"):  # Django's own cache of the user (auth.middleware.get_user)
        with backends.users_read_with(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class UserTimeZoneMiddleware:
    """After AuthenticationMiddleware. Reads the user only for a request that has a session, so
    anonymous requests (the health checks among them) never touch the database here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.session.session_key else None
        zone = time_zones.zone(user.time_zone) if user is not None and user.is_authenticated else None
        if zone is not None:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
