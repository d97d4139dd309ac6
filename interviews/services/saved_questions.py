"""Questions a user saved to come back to later."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from interviews.models import Question, SavedQuestion


def question_save(*, user: User, question: Question, saved: bool) -> bool:
    """Save the question for the user (`saved`) or take it off their list; returns the new state.

    Idempotent: saving twice (a double click, two tabs) keeps one row; removing what is not saved
    does nothing.
    """
    if not saved:
        SavedQuestion.objects.filter(user=user, question=question).delete()
        return False
    try:
        with transaction.atomic():
            SavedQuestion.objects.create(user=user, question=question)
    except IntegrityError:
        pass  # saved already, by an earlier click or another tab
    return True
