"""Users flag a problem with a question (wrong reference, unclear, typo, duplicate) for the curators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from interviews.forms import FlagForm
from interviews.selectors import questions as question_selectors
from interviews.services import curation as curation_services

# Where the form sits on a page; it names the element htmx swaps, so only known values are used.
PLACES = ("question", "feedback")


@login_required
@require_http_methods(["GET", "POST"])
def question_flag(request: HttpRequest, slug: str) -> HttpResponse:
    question = question_selectors.published_question(slug=slug)
    form = FlagForm(request.POST or None)
    place = request.POST.get("place") or request.GET.get("place")
    flag = None
    if request.method == "POST" and form.is_valid():
        flag = curation_services.flag_create(user=request.user, question=question, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, "Thanks for the flag: a curator will look at this question.")
            return redirect(question)
    context = {"question": question, "flag_form": form, "flag": flag, "place": place if place in PLACES else PLACES[0]}
    template = "interviews/_flag_form.html" if request.htmx else "interviews/flag.html"
    return render(request, template, context)
