"""Project-wide middleware.

- One log line per request: method, path, status, duration, user. Errors are logged by Django
  itself (logger django.request, with the traceback).
- The Content-Security-Policy headers, built once rather than for every response.
- htmx requests that need a login get a 401 instead of a redirect to the log-in page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import cache
from urllib.parse import parse_qs, urlsplit

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
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


# What a view can set on its response for a policy of its own (csp.decorators).
_OWN_POLICY = tuple(f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro"))


@cache
def _settings_headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, policy, the response attribute that exempts from it, the path prefixes it skips) for
    the policy and the report-only one, built by django-csp from the settings alone."""
    headers = []
    for header, setting, exempt, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
    ):
        prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
        headers.append((header, build_policy(report_only=report_only), exempt, prefixes))
    return tuple(headers)


@receiver(setting_changed)
def _policy_setting_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_headers.cache_clear()


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, which builds both policies from the settings for every response
    (about 65 us). A response without a policy of its own, to a request that used no nonce, gets
    the headers built once from the settings (`_settings_headers`), set by django-csp's rules (not
    over a header already there, not on an exempt response or an excluded path); any other goes
    through django-csp's own code."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in _OWN_POLICY):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, policy, exempt, prefixes in _settings_headers():
            wanted = policy and header not in response and not getattr(response, exempt, False)
            if wanted and not request.path_info.startswith(prefixes):
                response[header] = policy
        # As django-csp: a nonce asked for after this point raises instead of going unused.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
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
