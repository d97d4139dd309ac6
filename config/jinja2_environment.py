"""The Jinja2 environment of the templates under templates/jinja2/ (settings.TEMPLATES, "jinja2").

Only the interview stage (and the flag button inside it) is a Jinja2 template: the fragment every
interview answer, skip and jump returns, so the one template on the answer's clock. Inside the answer
request, Django's engine rendered it in 1.9-2.2 ms of CPU and Jinja2 renders the same HTML in 0.95 ms
(bench/README.md), a tenth of the answer's CPU. Every other page stays a Django template.

What those templates use of Django's, with Django's meaning: `item_url` (as the `{% item_url %}`
tag) and the `time` filter, given the value in the current time zone as Django's template engine
does for its date and time filters. The backend itself adds `request`, `csrf_input` and
`csrf_token`, and escapes every value (autoescape).
"""

from __future__ import annotations

from datetime import datetime

from django.template import defaultfilters
from django.utils.timezone import template_localtime
from jinja2 import Environment

from interviews.templatetags.interview_urls import item_url


def time(value: datetime | None, arg: str | None = None) -> str:
    """Django's `time` filter, in the current time zone (`{{ when|time("H:i:s") }}`)."""
    return defaultfilters.time(template_localtime(value), arg)


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - the backend passes autoescape=True
    env.globals["item_url"] = item_url
    env.filters["time"] = time
    return env
