"""My history: the list of my attempts, one attempt's page, and contesting a score."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from interviews.forms import ContestForm
from interviews.selectors import attempts as attempt_selectors
from interviews.services import attempts as attempt_services


@login_required
def history(request: HttpRequest) -> HttpResponse:
    attempts = attempt_selectors.attempts_for_user(user=request.user)
    page = Paginator(attempts, 25).get_page(request.GET.get("page"))
    return render(request, "interviews/history.html", {"page": page})


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_selectors.attempt_for_user(user=request.user, pk=pk)
    return render(
        request,
        "interviews/attempt_detail.html",
        {"attempt": attempt, "question": attempt.question, "contest_form": ContestForm()},
    )


@login_required
@require_POST
def attempt_contest(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_selectors.attempt_for_user(user=request.user, pk=pk)
    form = ContestForm(request.POST)
    if form.is_valid():
        attempt_services.attempt_contest(attempt=attempt, note=form.cleaned_data["note"])
    if request.htmx:
        return render(request, "interviews/_contest.html", {"attempt": attempt, "contest_form": form})
    messages.success(request, "Thanks: a curator will review this score. Your score is unchanged meanwhile.")
    return redirect(attempt)
