"""Account services: exporting my attempts, deleting my account, throttling password-reset emails.

The exports stream (a generator of text chunks) so 100,000 attempts never sit in memory at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator

from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from interviews.models import Attempt

EXPORT_FIELDS = (
    "id",
    "created",
    "question",
    "topic",
    "prompt",
    "mode",
    "score",
    "band",
    "late",
    "time_taken_seconds",
    "contested_at",
    "contest_note",
    "scorer_version",
    "answer",
    "key_points_covered",
    "key_points_missed",
)


def _export_rows(*, user: User) -> Iterator[dict]:
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("question", "question__topic")
        .order_by("created", "id")
        .iterator(chunk_size=2000)
    )
    for a in attempts:
        points = (a.feedback or {}).get("key_points") or ()
        yield {
            "id": a.pk,
            "created": a.created.isoformat(),
            "question": a.question.slug,
            "topic": a.question.topic.slug,
            "prompt": a.question.prompt,
            "mode": a.mode,
            "score": a.score,
            "band": a.band,
            "late": a.late,
            "time_taken_seconds": a.time_taken_seconds,
            "contested_at": a.contested_at.isoformat() if a.contested_at else None,
            "contest_note": a.contest_note,
            "scorer_version": a.scorer_version,
            "answer": a.answer,
            "key_points_covered": [p.get("label", "") for p in points if p.get("covered")],
            "key_points_missed": [p.get("label", "") for p in points if not p.get("covered")],
        }


def _csv_safe(value: object) -> object:
    """Neutralise spreadsheet formulas in free text (CSV injection): a leading = + - @ becomes text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(*, user: User) -> Iterator[str]:
    """My attempts as CSV, one row per attempt, oldest first; key points joined with " | "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for row in _export_rows(user=user):
        for key in ("key_points_covered", "key_points_missed"):
            row[key] = " | ".join(row[key])
        writer.writerow([_csv_safe(row[field]) for field in EXPORT_FIELDS])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_json(*, user: User) -> Iterator[str]:
    """My attempts as one JSON document: {"user": ..., "attempts": [...]}, oldest first."""
    yield json.dumps({"user": user.username, "email": user.email})[:-1] + ', "attempts": ['
    for i, row in enumerate(_export_rows(user=user)):
        yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def account_delete(*, user: User) -> None:
    """Delete the account and everything that is only mine: attempts, reviews, interviews.

    Flags I raised stay for the curators, without my name (their user becomes empty).
    """
    with transaction.atomic():
        user.delete()


# Password-reset emails sent per hour, per email address and per client address. Counted in the
# cache: shared by every app server when REDIS_URL is set, per process otherwise.
RESET_EMAILS_PER_ADDRESS = 3
RESET_EMAILS_PER_CLIENT = 20
RESET_WINDOW_SECONDS = 60 * 60


def password_reset_allowed(*, email: str, client_ip: str | None) -> bool:
    """Count one request for a reset link; False once the address or the client asked too often.

    Both counters move on every request, refused ones too, so hammering the form never reopens it.
    The cache keys hold a hash of the email address, never the address itself.
    """
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    counts = [
        (_count(f"password-reset:email:{digest}"), RESET_EMAILS_PER_ADDRESS),
        (_count(f"password-reset:client:{client_ip or 'unknown'}"), RESET_EMAILS_PER_CLIENT),
    ]
    return all(count <= limit for count, limit in counts)


# Accounts created per hour from one client address, counted in the cache the same way.
SIGNUPS_PER_CLIENT = 10
SIGNUP_WINDOW_SECONDS = 60 * 60


def signup_allowed(*, client_ip: str | None) -> bool:
    """Count one account about to be created; False once the client made too many this hour.

    Only a valid form is counted (a typo costs nothing). A refused one counts too, as above.
    """
    return _count(f"signup:client:{client_ip or 'unknown'}", SIGNUP_WINDOW_SECONDS) <= SIGNUPS_PER_CLIENT


def _count(key: str, window: int = RESET_WINDOW_SECONDS) -> int:
    cache.add(key, 0, timeout=window)  # starts the window; a no-op if it is running
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.add(key, 1, timeout=window)
        return 1
