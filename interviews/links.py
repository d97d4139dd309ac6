"""URLs of an interview's pages, cached per process (up to 8,192 of them).

Each answer renders a dozen of them (the open questions of the navigation, then answer, draft,
skip, flag and finish of the question shown), and `reverse()` costs about a tenth of a
millisecond each. The result depends only on the URLconf, fixed once loaded, and on the script
prefix, which is part of the cache key.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=8192)
def _reverse(script_prefix: str, name: str, args: tuple) -> str:
    return reverse(name, args=args)


def interview_url(name: str, interview_uuid: uuid.UUID, position: int | None = None) -> str:
    """`reverse("interviews:<name>")` of an interview's page, or of one of its questions with `position`."""
    args = (interview_uuid,) if position is None else (interview_uuid, position)
    return _reverse(get_script_prefix(), f"interviews:{name}", args)
