"""Small builders for tests that need many attempts without running the scoring engine."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from interviews.models import Attempt, Question
from interviews.services.reviews import review_record


def make_attempt(
    *,
    user,
    question: Question,
    score: int,
    created: datetime | None = None,
    mode: str = "practice",
    key_points: list[tuple[str, bool]] = (),
    schedule: bool = True,
) -> Attempt:
    """An attempt as the service would keep it (and, with `schedule`, its review state moved)."""
    attempt = Attempt.objects.create(
        user=user,
        question=question,
        answer=f"An answer worth {score}.",
        score=score,
        band="strong" if score >= 85 else "good" if score >= 70 else "partial" if score >= 45 else "weak",
        feedback={"key_points": [{"label": label, "covered": covered, "matched": []} for label, covered in key_points]},
        scorer_version="test",
        mode=mode,
    )
    if created is not None:
        Attempt.objects.filter(pk=attempt.pk).update(created=created)
        attempt.created = created
    if schedule:
        review_record(user=user, attempt=attempt)
    return attempt


def now() -> datetime:
    return timezone.now()
