from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing

from interviews.models import AttemptMode, Difficulty, FlagReason, InterviewMode, TimingMode, Topic
from interviews.selectors.questions import STANDINGS

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
    # One key per rendered form: a double click or a retry records a single attempt.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"].replace("\r\n", "\n")
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
    standing = forms.ChoiceField(choices=[("", "Any"), *STANDINGS], required=False, label="My questions")
    # A key point's label, from "Key points you keep missing" (progress): the questions that test it.
    concept = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)


class InterviewStartForm(forms.Form):
    preset = forms.CharField(required=False, widget=forms.HiddenInput)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for questions from every topic.",
    )
    count = forms.IntegerField(min_value=1, max_value=30, initial=5, label="Number of questions")
    difficulty = forms.ChoiceField(choices=[("", "Any difficulty"), *Difficulty.choices], required=False)
    timing = forms.ChoiceField(choices=TimingMode.choices, initial=TimingMode.WHOLE, widget=forms.RadioSelect)
    minutes = forms.IntegerField(
        min_value=1, max_value=240, initial=15, label="Time limit (minutes)",
        help_text="For the whole interview, or for each question.",
    )
    mode = forms.ChoiceField(choices=InterviewMode.choices, initial=InterviewMode.INTERVIEW, widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        timing, minutes, count = data.get("timing"), data.get("minutes"), data.get("count")
        if timing == TimingMode.PER_QUESTION and minutes and minutes > 30:
            self.add_error("minutes", "A time limit per question can be at most 30 minutes.")
        if timing == TimingMode.WHOLE and minutes and count and minutes * 60 < count * 30:
            self.add_error("minutes", f"{minutes} minutes is too short for {count} questions (allow 30 s each).")
        return data


class DraftForm(forms.Form):
    answer = forms.CharField(strip=False, required=False, max_length=settings.ANSWER_MAX_CHARS)


class HistoryFilterForm(forms.Form):
    topic = forms.SlugField(required=False)
    mode = forms.ChoiceField(choices=[("", "Any mode"), *AttemptMode.choices], required=False)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    min_score = forms.IntegerField(required=False, min_value=0, max_value=100, label="Score from")
    max_score = forms.IntegerField(required=False, min_value=0, max_value=100, label="Score to")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_score"), data.get("max_score")
        if low is not None and high is not None and low > high:
            self.add_error("max_score", "The highest score must be at least the lowest.")
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=FlagReason.choices, label="What is wrong?")
    comment = forms.CharField(
        required=False,
        max_length=2000,
        label="Comment (optional)",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What should a curator look at?"}),
    )
