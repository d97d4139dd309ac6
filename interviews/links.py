"""URLs of an interview's pages, built from one `reverse()` per page name and script prefix.

Each answer renders a dozen of them (the open questions of the navigation, then answer, draft,
skip, flag and finish of the question shown), and `reverse()` costs about 30 µs each, against
3.5 µs here. A cache of finished URLs would miss most of the time under load (about 70 % in a
simulation of the load test's answers: every interview has its own URLs, and each worker process
sees only some of an interview's requests). So each page's URL is reversed once, with placeholder
arguments, and the interview's UUID and the question's position are put in their places. The
result depends only on the URLconf, fixed once loaded, and on the script prefix, which is part of
the cache key.
"""

from __future__ import annotations

import uuid
from functools import cache

from django.urls import get_script_prefix, reverse

# Placeholders that the reversed URL must hold exactly once each (checked when it is cut). Only
# the placeholder URL is ever searched; real UUIDs and positions are only put in.
_UUID = uuid.UUID(int=0)
_POSITION = 32767  # the largest position (a small integer column)


@cache
def _template(script_prefix: str, name: str, with_position: bool) -> tuple[str, ...]:
    """The reversed URL cut around its placeholders: (before, between, after) or (before, after)."""
    args = (_UUID, _POSITION) if with_position else (_UUID,)
    url = reverse(f"interviews:{name}", args=args)
    head, _, rest = _split_once(url, str(_UUID))
    if not with_position:
        return head, rest
    between, _, tail = _split_once(rest, str(_POSITION))
    return head, between, tail


def _split_once(url: str, placeholder: str) -> tuple[str, str, str]:
    before, found, after = url.partition(placeholder)
    if not found or placeholder in after:
        raise ValueError(f"{url!r} does not hold {placeholder!r} exactly once")
    return before, found, after


def interview_url(name: str, interview_uuid: uuid.UUID, position: int | None = None) -> str:
    """`reverse("interviews:<name>")` of an interview's page, or of one of its questions with `position`."""
    parts = _template(get_script_prefix(), name, position is not None)
    if position is None:
        return f"{parts[0]}{interview_uuid}{parts[1]}"
    return f"{parts[0]}{interview_uuid}{parts[1]}{int(position)}{parts[2]}"
