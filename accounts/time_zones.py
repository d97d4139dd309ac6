"""The time zones a user can choose: IANA names, as browsers report them."""

from __future__ import annotations

import zoneinfo
from functools import cache
from zoneinfo import ZoneInfo


@cache
def names() -> frozenset[str]:
    """Every zone name the system knows, without the legacy aliases ("US/Pacific", "Etc/GMT+3")."""
    legacy = ("Etc/", "SystemV/", "US/", "posix", "right/")
    return frozenset(n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith(legacy)) | {"UTC"}


def choices() -> list[tuple[str, str]]:
    return [("", "The site's time zone")] + [(n, n.replace("_", " ")) for n in sorted(names())]


def zone(name: str) -> ZoneInfo | None:
    """The zone of a known name; None for blank or anything else."""
    return ZoneInfo(name) if name in names() else None
