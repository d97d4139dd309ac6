"""Timed mock interviews. Every view touches the interview first, so expired time is settled."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from interviews.forms import AnswerForm, DraftForm, InterviewStartForm
from interviews.models import Interview, InterviewItem, InterviewMode, InterviewStatus, TimingMode
from interviews.selectors import mock_interviews as selectors
from interviews.services import mock_interviews as services


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _report_url(interview: Interview) -> str:
    return reverse("interviews:interview_report", args=[interview.uuid])


@login_required
@require_http_methods(["GET", "POST"])
def interview_start(request: HttpRequest) -> HttpResponse:
    presets = {p.key: p for p in services.PRESETS}
    data = request.POST or None
    if data and data.get("preset") in presets:
        preset = presets[data["preset"]]
        data = {
            "count": preset.count,
            "timing": preset.timing,
            "minutes": preset.time_limit_seconds // 60,
            "mode": preset.mode,
            "preset": preset.key,
        }
    form = InterviewStartForm(data)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        preset = presets.get(cleaned.get("preset") or "")
        try:
            interview = services.interview_start(
                user=request.user,
                count=cleaned["count"],
                timing=cleaned["timing"],
                time_limit_seconds=cleaned["minutes"] * 60,
                mode=cleaned["mode"],
                topics=list(cleaned["topics"]),
                difficulty=cleaned["difficulty"],
                title=preset.title if preset else "",
            )
        except services.NotEnoughQuestions as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(interview)
    context = {
        "form": form,
        "presets": services.PRESETS,
        "unfinished": selectors.unfinished_interviews(user=request.user),
        "finished": selectors.finished_interviews(user=request.user)[:10],
    }
    return render(request, "interviews/interview_start.html", context)


def _stage_context(
    request: HttpRequest,
    interview: Interview,
    items: list[InterviewItem] | None = None,
    item: InterviewItem | None = None,
) -> dict:
    """`items` and the current `item`, when the caller has them already (the answer just moved on)."""
    if items is None:
        # The navigation shows states only: the attempts (and their feedback JSON) stay unloaded.
        items = selectors.items_with_questions(interview=interview, with_attempts=False)
        item = services.current_item(interview=interview, items=items)
    return {
        "interview": interview,
        "item": item,
        "items": items,
        "navigation": selectors.interview_navigation(interview=interview, items=items, current=item),
        "remaining": services.remaining_seconds(interview, item),
        # The answer form's values (the template writes its own inputs): the draft, and a new key.
        "answer_text": item.draft if item else "",
        "answer_errors": [],
        "submission_key": uuid.uuid4(),
    }


# Jinja2 templates (config/jinja2_environment.py): the stage is rendered on every answer.
STAGE_TEMPLATE = "interviews/_interview_stage.html"
FLAG_TEMPLATE = "interviews/_interview_flag.html"


def _render_stage_page(request: HttpRequest, context: dict) -> HttpResponse:
    """The stage fragment for htmx, the whole interview page (around the same fragment) otherwise."""
    if request.htmx:
        return render(request, STAGE_TEMPLATE, context, using="jinja2")
    stage = render_to_string(STAGE_TEMPLATE, context, request, using="jinja2")
    # Jinja2 escaped every value in it (autoescape); its result is a plain str, not Django's SafeString.
    return render(request, "interviews/interview_detail.html", context | {"stage": mark_safe(stage)})  # noqa: S308


@never_cache  # htmx swaps its stage as the interview goes on: Back must not show the page as first served
@login_required
def interview_detail(request: HttpRequest, interview_uuid: uuid.UUID) -> HttpResponse:
    interview = selectors.interview_for_user(user=request.user, interview_uuid=interview_uuid)
    return _render_stage(request, interview)


def _render_stage(request: HttpRequest, interview: Interview) -> HttpResponse:
    """The current question (full page, or the stage fragment for htmx), or the report when done."""
    services.interview_touch(interview=interview)
    if interview.status == InterviewStatus.FINISHED:
        return _redirect(request, _report_url(interview))
    context = _stage_context(request, interview)
    if context["item"] is None:
        services.interview_finish(interview=interview)
        return _redirect(request, _report_url(interview))
    return _render_stage_page(request, context)


@login_required
@require_POST
def item_draft(request: HttpRequest, interview_uuid: uuid.UUID, position: int) -> HttpResponse:
    item = selectors.item_for_user(user=request.user, interview_uuid=interview_uuid, position=position)
    services.interview_touch(interview=item.interview)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return render(request, "interviews/_draft_status.html", {"error": form.errors["answer"][0]})
    if not services.draft_save(item=item, text=form.cleaned_data["answer"]):
        return _redirect(request, item.interview.get_absolute_url())
    return render(request, "interviews/_draft_status.html", {"saved_at": item.draft_saved_at})


@login_required
@require_POST
def item_answer(request: HttpRequest, interview_uuid: uuid.UUID, position: int) -> HttpResponse:
    item = selectors.item_for_user(user=request.user, interview_uuid=interview_uuid, position=position)
    interview = item.interview
    form = AnswerForm(request.POST)
    if not form.is_valid() and "answer" in form.errors and len(request.POST.get("answer", "")) > 0:
        # Too long: keep the text in the box and say why; nothing is submitted.
        rejected = {
            "answer_text": request.POST["answer"],
            "answer_errors": form.errors["answer"],
            "submission_key": request.POST.get("submission_key") or uuid.uuid4(),
        }
        return _render_stage_page(request, _stage_context(request, interview) | rejected)
    text = request.POST.get("answer", "").replace("\r\n", "\n").replace("\x00", "")
    key = form.cleaned_data.get("submission_key") if "submission_key" not in form.errors else None
    if interview.mode == InterviewMode.INTERVIEW and request.htmx:
        # One transaction answers and moves on; the next stage comes from the items it loaded.
        answered = services.item_answer_and_next(item=item, text=text, submission_key=key)
        if answered.moved_on and answered.current is None:
            return _redirect(request, _report_url(interview))
        if answered.moved_on:
            context = _stage_context(request, interview, items=answered.items, item=answered.current)
            return render(request, STAGE_TEMPLATE, context, using="jinja2")
        attempt = answered.attempt
    else:
        attempt = services.item_answer(item=item, text=text, submission_key=key)
    if attempt.late:
        messages.warning(
            request, "Time was up: the answer saved in time was submitted; the late one is kept but not counted."
        )
    remaining = services.remaining_seconds(interview, None)  # the services keep `interview` up to date
    if interview.timing == TimingMode.WHOLE and remaining == 0:
        services.interview_finish(interview=interview)
    if interview.status == InterviewStatus.FINISHED:
        return _redirect(request, _report_url(interview))
    if interview.mode == InterviewMode.PRACTICE and not attempt.late and request.htmx:
        context = {"interview": interview, "attempt": attempt, "question": attempt.question}
        return render(request, "interviews/_interview_feedback.html", context)
    return _render_stage(request, interview) if request.htmx else redirect(interview)


@login_required
@require_POST
def item_skip(request: HttpRequest, interview_uuid: uuid.UUID, position: int) -> HttpResponse:
    item = selectors.item_for_user(user=request.user, interview_uuid=interview_uuid, position=position)
    services.interview_touch(interview=item.interview)
    draft = DraftForm(request.POST)
    if draft.is_valid() and "answer" in request.POST:
        services.draft_save(item=item, text=draft.cleaned_data["answer"])
    services.item_skip(item=item)
    return _render_stage(request, item.interview) if request.htmx else redirect(item.interview)


@login_required
@require_POST
def item_flag(request: HttpRequest, interview_uuid: uuid.UUID, position: int) -> HttpResponse:
    item = selectors.item_for_user(user=request.user, interview_uuid=interview_uuid, position=position)
    services.item_toggle_flag(item=item)
    if request.htmx:
        return render(request, FLAG_TEMPLATE, {"item": item, "interview": item.interview}, using="jinja2")
    return redirect(item.interview)


@login_required
@require_POST
def item_goto(request: HttpRequest, interview_uuid: uuid.UUID, position: int) -> HttpResponse:
    item = selectors.item_for_user(user=request.user, interview_uuid=interview_uuid, position=position)
    services.interview_touch(interview=item.interview)
    services.item_goto(interview=item.interview, position=position)
    return _render_stage(request, item.interview) if request.htmx else redirect(item.interview)


@login_required
@require_POST
def interview_finish(request: HttpRequest, interview_uuid: uuid.UUID) -> HttpResponse:
    interview = selectors.interview_for_user(user=request.user, interview_uuid=interview_uuid)
    services.interview_finish(interview=interview, now=timezone.now())
    return _redirect(request, _report_url(interview))


@login_required
def interview_report(request: HttpRequest, interview_uuid: uuid.UUID) -> HttpResponse:
    interview = selectors.interview_for_user(user=request.user, interview_uuid=interview_uuid)
    services.interview_touch(interview=interview)
    if interview.status != InterviewStatus.FINISHED:
        messages.info(request, "The report is ready when the interview is finished.")
        return redirect(interview)
    report = selectors.interview_report(interview=interview)
    return render(request, "interviews/interview_report.html", {"report": report, "interview": interview})
