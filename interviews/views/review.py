"""Review now: the next question the spaced-repetition schedule wants, answered like any other."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from interviews.forms import AnswerForm, ContestForm, sign_started
from interviews.models import AttemptMode, Question
from interviews.selectors import questions as question_selectors
from interviews.selectors import reviews as review_selectors
from interviews.services import attempts as attempt_services


def _page_context(request: HttpRequest, *, topic: str, form: AnswerForm, question: Question | None = None) -> dict:
    queue = review_selectors.review_queue(user=request.user, topic=topic)
    item = queue.next
    if question is not None:  # the question just answered, shown again with its form errors
        item = next((i for i in queue.items if i.question.pk == question.pk), None)
        item = item or review_selectors.ReviewItem(question=question, state=None)
    return {
        "queue": queue,
        "item": item,
        "question": item.question if item else None,
        "topic": topic,
        "topics": question_selectors.topics_with_counts(),
        "form": form,
    }


@login_required
def review(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic", "")[:80]
    form = AnswerForm(initial={"started": sign_started(), "submission_key": uuid.uuid4()})
    context = _page_context(request, topic=topic, form=form)
    return render(request, "interviews/_review_item.html" if request.htmx else "interviews/review.html", context)


@login_required
@require_POST
def review_answer(request: HttpRequest, slug: str) -> HttpResponse:
    question = question_selectors.published_question(slug=slug)
    topic = request.POST.get("topic", "")[:80]
    form = AnswerForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, "interviews/_review_form.html", {"form": form, "question": question, "topic": topic})
        context = _page_context(request, topic=topic, form=form, question=question)
        return render(request, "interviews/review.html", context)
    attempt = attempt_services.attempt_submit(
        user=request.user,
        question=question,
        answer=form.cleaned_data["answer"],
        time_taken_seconds=form.cleaned_data["started"],
        mode=AttemptMode.REVIEW,
        submission_key=form.cleaned_data["submission_key"],
    )
    if not request.htmx:
        return redirect(attempt)
    context = {"attempt": attempt, "question": question, "contest_form": ContestForm(), "topic": topic}
    return render(request, "interviews/_review_feedback.html", context)
