"""Each request runs in its user's time zone (User.time_zone), or the site's."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts import time_zones


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
