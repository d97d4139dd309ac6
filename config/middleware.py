"""Project-wide middleware.

- One log line per request: method, path, status, duration, user. Errors are logged by Django
  itself (logger django.request, with the traceback).
- htmx requests that need a login get a 401 instead of a redirect to the log-in page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

logger = logging.getLogger("mlprep.request")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - start) * 1000, 1)
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "htmx": request.headers.get("HX-Request") == "true",
            },
        )
        return response


class HtmxLoginRequiredMiddleware:
    """An htmx request that needs a login gets a 401, not the redirect to the log-in page.

    htmx would follow that redirect and swap the log-in form into the page, over the answer being
    typed. A 401 swaps nothing: the text stays in its box and the page says why (static/js/app.js).
    Sits after django-htmx's middleware, which sets `request.htmx`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.htmx and response.status_code == 302 and _is_sent_to_log_in(response.get("Location", "")):
            return HttpResponse("Log in again to continue; nothing was saved.", status=401, content_type="text/plain")
        return response


def _is_sent_to_log_in(location: str) -> bool:
    """A redirect to the log-in page that comes back afterwards (`login_required`'s), not e.g.
    the log-in page shown after logging out."""
    url = urlsplit(location)
    return url.path == resolve_url(settings.LOGIN_URL) and "next" in parse_qs(url.query)
