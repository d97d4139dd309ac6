"""Thin function views: validate, call a service or selector, render. No scoring here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interviews import selectors, services
from interviews.forms import AnswerForm, ContestForm, QuestionFilterForm, sign_started


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("interviews:question_list")
    return render(request, "interviews/home.html", {"topics": selectors.topics_with_counts()})


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    questions = selectors.question_list(
        topic=filters.get("topic", ""), difficulty=filters.get("difficulty", ""), search=filters.get("q", "")
    )
    page = Paginator(questions, 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "topics": selectors.topics_with_counts(), "filters": filters}
    template = "interviews/_question_results.html" if request.htmx else "interviews/question_list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def question_detail(request: HttpRequest, slug: str) -> HttpResponse:
    question = selectors.published_question(slug=slug)
    form = AnswerForm(request.POST or None, initial={"started": sign_started()})
    if request.method == "POST":
        if form.is_valid():
            attempt = services.attempt_submit(
                user=request.user,
                question=question,
                answer=form.cleaned_data["answer"],
                time_taken_seconds=form.cleaned_data["started"],
            )
            if not request.htmx:
                return redirect(attempt)
            context = {"attempt": attempt, "question": question, "contest_form": ContestForm()}
            return render(request, "interviews/_feedback.html", context)
        if request.htmx:
            return render(request, "interviews/_answer_form.html", {"form": form, "question": question})
    return render(request, "interviews/question_detail.html", {"question": question, "form": form})


@login_required
def history(request: HttpRequest) -> HttpResponse:
    attempts = selectors.attempts_for_user(user=request.user)
    page = Paginator(attempts, 25).get_page(request.GET.get("page"))
    return render(request, "interviews/history.html", {"page": page})


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for_user(user=request.user, pk=pk)
    return render(
        request,
        "interviews/attempt_detail.html",
        {"attempt": attempt, "question": attempt.question, "contest_form": ContestForm()},
    )


@login_required
@require_POST
def attempt_contest(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for_user(user=request.user, pk=pk)
    form = ContestForm(request.POST)
    if form.is_valid():
        services.attempt_contest(attempt=attempt, note=form.cleaned_data["note"])
    if request.htmx:
        return render(request, "interviews/_contest.html", {"attempt": attempt, "contest_form": form})
    messages.success(request, "Thanks: a curator will review this score. Your score is unchanged meanwhile.")
    return redirect(attempt)
