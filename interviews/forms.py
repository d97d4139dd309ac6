from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing

from interviews.models import Difficulty

_STARTED_SALT = "interviews.answer-started"


def sign_started(now: float | None = None) -> str:
    """A tamper-proof note of when the question was shown, so time taken is measured server-side."""
    return signing.dumps(int(now if now is not None else time.time()), salt=_STARTED_SALT)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        strip=False,
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "autofocus": True,
                "placeholder": "Answer in your own words, as you would in the interview.",
            }
        ),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"].replace("\r\n", "\n").replace("\x00", "")
        if not answer.strip():
            raise forms.ValidationError("Write an answer before submitting: an empty answer can't be scored.")
        limit = settings.ANSWER_MAX_CHARS
        if len(answer) > limit:
            raise forms.ValidationError(
                f"Your answer is {len(answer):,} characters long; the limit is {limit:,}. Shorten it and submit again."
            )
        return answer

    def clean_started(self) -> int | None:
        """Seconds since the question was shown, or None when unknown (never trust the client's clock)."""
        token = self.cleaned_data.get("started")
        if not token:
            return None
        try:
            started = signing.loads(token, salt=_STARTED_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            return None
        return max(0, int(time.time()) - int(started))


class ContestForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Optional: why you think the answer deserves more."}
        ),
    )


class QuestionFilterForm(forms.Form):
    topic = forms.SlugField(required=False)
    difficulty = forms.ChoiceField(choices=[("", "Any difficulty"), *Difficulty.choices], required=False)
    q = forms.CharField(required=False, max_length=100, label="Search")
