"""Thin function views: validate, call a service or selector, render. No scoring here."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interviews.forms import AnswerForm, ContestForm, QuestionFilterForm, sign_started
from interviews.scheduling import WEAK_BELOW
from interviews.selectors import questions as question_selectors
from interviews.services import attempts as attempt_services
from interviews.services import saved_questions as saved_services


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("interviews:question_list")
    return render(request, "interviews/home.html", {"topics": question_selectors.topics_with_counts()})


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    questions = question_selectors.question_list(
        topic=filters.get("topic", ""),
        difficulty=filters.get("difficulty", ""),
        search=filters.get("q", ""),
        concept=filters.get("concept", ""),
        user=request.user,
        standing=filters.get("standing", ""),
    )
    page = Paginator(questions, 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "topics": question_selectors.topics_with_counts(),
        "filters": filters,
        "weak_below": WEAK_BELOW,
    }
    template = "interviews/_question_results.html" if request.htmx else "interviews/question_list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def question_detail(request: HttpRequest, slug: str) -> HttpResponse:
    question = question_selectors.published_question(slug=slug)
    form = AnswerForm(request.POST or None, initial={"started": sign_started(), "submission_key": uuid.uuid4()})
    if request.method == "POST":
        if form.is_valid():
            attempt = attempt_services.attempt_submit(
                user=request.user,
                question=question,
                answer=form.cleaned_data["answer"],
                time_taken_seconds=form.cleaned_data["started"],
                submission_key=form.cleaned_data["submission_key"],
            )
            if not request.htmx:
                return redirect(attempt)
            context = {"attempt": attempt, "question": question, "contest_form": ContestForm()}
            return render(request, "interviews/_feedback.html", context)
        if request.htmx:
            return render(request, "interviews/_answer_form.html", {"form": form, "question": question})
    saved = question_selectors.is_saved(user=request.user, question=question)
    return render(request, "interviews/question_detail.html", {"question": question, "form": form, "saved": saved})


@login_required
@require_POST
def question_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Save for later, or take off the list (`saved` is "1" or "0"): the button for htmx."""
    question = question_selectors.published_question(slug=slug)
    saved = saved_services.question_save(user=request.user, question=question, saved=request.POST.get("saved") == "1")
    if request.htmx:
        return render(request, "interviews/_save_button.html", {"question": question, "saved": saved})
    return redirect(question)
