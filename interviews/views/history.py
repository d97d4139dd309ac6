"""My history: the list of my attempts, one attempt's page, and contesting a score."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from interviews import charts
from interviews.forms import ContestForm, HistoryFilterForm
from interviews.selectors import attempts as attempt_selectors
from interviews.selectors import questions as question_selectors
from interviews.services import attempts as attempt_services


@login_required
def history(request: HttpRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} if form.is_valid() else {}
    attempts = attempt_selectors.attempt_history(user=request.user, **filters)
    page = Paginator(attempts, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "topics": question_selectors.topics_with_counts(),
        "filtered": bool(filters),
        "query": query.urlencode(),
    }
    return render(request, "interviews/_history_results.html" if request.htmx else "interviews/history.html", context)


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_selectors.attempt_for_user(user=request.user, pk=pk)
    others = attempt_selectors.attempts_at_question(user=request.user, question_id=attempt.question_id)
    context = {
        "attempt": attempt,
        "question": attempt.question,
        "contest_form": ContestForm(),
        "others": others,
        "others_chart": charts.trend_line(
            [(f"{a.created:%d %b}", a.score) for a in others],
            title="Your scores on this question over time",
            chart_id="question-trend",
            label_every=max(1, len(others) // 6),
        )
        if len(others) > 1
        else None,
    }
    return render(request, "interviews/attempt_detail.html", context)


@login_required
@require_POST
def attempt_contest(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_selectors.attempt_for_user(user=request.user, pk=pk)
    form = ContestForm(request.POST)
    try:
        if form.is_valid():
            attempt_services.attempt_contest(attempt=attempt, note=form.cleaned_data["note"])
    except attempt_services.NothingToContest as exc:
        if request.htmx:
            return render(request, "interviews/_contest.html", {"attempt": attempt}, status=400)
        messages.error(request, str(exc))
        return redirect(attempt)
    if request.htmx:
        return render(request, "interviews/_contest.html", {"attempt": attempt, "contest_form": form})
    messages.success(request, "Thanks: a curator will review this score. Your score is unchanged meanwhile.")
    return redirect(attempt)
