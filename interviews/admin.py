"""Curation in the Django admin: the bank, the flag queue, disagreements, imports, the change log.

Writes beyond the admin's own model forms go through `interviews.services.curation`, which logs
them as LogEntry rows beside the admin's own, so "Recent changes" shows every path.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from interviews.formats import FormatError
from interviews.formats import registry as format_registry
from interviews.models import Attempt, Flag, FlagStatus, ImportUpload, KeyPoint, Question, ReferenceAnswer, Topic
from interviews.selectors import curation as curation_selectors
from interviews.selectors import questions as question_selectors
from interviews.selectors.questions import export_bundle
from interviews.services import curation as curation_services
from interviews.services.bank_import import bank_import

IMPORT_SESSION_KEY = "curation-import"
IMPORT_MAX_AGE_SECONDS = 24 * 3600


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "question_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_questions=Count("questions"))

    @admin.display(description="Questions", ordering="n_questions")
    def question_count(self, obj: Topic) -> int:
        return obj.n_questions


# --- question editing ---------------------------------------------------------------------------


class PhrasingsField(forms.CharField):
    """A key point's phrasings, edited one per line and stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return list(initial or []) != self.to_python(data)


class KeyPointForm(forms.ModelForm):
    phrasings = PhrasingsField(required=False, help_text="One wording per line.")

    class Meta:
        model = KeyPoint
        fields = ("label", "phrasings", "concept", "position")
        # Offers the bank's concepts as the curator types (the change page's <datalist>), so one
        # idea keeps one wording across questions.
        widgets = {"concept": forms.TextInput(attrs={"list": "keypoint-concepts", "autocomplete": "off"})}


class ReferenceAnswerInline(admin.StackedInline):
    model = ReferenceAnswer
    extra = 0
    fields = ("text", "position")


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    form = KeyPointForm
    extra = 0
    fields = ("label", "phrasings", "concept", "position")


class FlaggedFilter(admin.SimpleListFilter):
    title = "flagged"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "With open flags"), ("no", "No open flags")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return curation_selectors.flagged(queryset, flagged=self.value() == "yes")
        return queryset


class AgreementFilter(admin.SimpleListFilter):
    title = "agreement with users"
    parameter_name = "agreement"

    def lookups(self, request, model_admin):
        share = round(curation_selectors.LOW_AGREEMENT_SHARE * 100)
        return [("low", f"Low: {share}%+ of attempts contested")]

    def queryset(self, request, queryset):
        if self.value() == "low":
            return curation_selectors.low_agreement(queryset)
        return queryset


def _export_formats() -> list[str]:
    return sorted(name for name, codec in format_registry.CODECS.items() if hasattr(codec, "serialise"))


class QuestionActionForm(ActionForm):
    """The action bar, with the extra inputs that "move" and "export" need."""

    topic = forms.ModelChoiceField(Topic.objects.all(), required=False, label="Topic (move)", empty_label="—")
    export_format = forms.ChoiceField(
        choices=lambda: [(name, name) for name in _export_formats()], required=False, label="Format (export)"
    )


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A bank file in any supported format; nothing is written before you confirm.")
    format = forms.ChoiceField(
        required=False,
        choices=lambda: [("", "From the file name"), *((n, n) for n in sorted(format_registry.CODECS))],
    )
    only_new = forms.BooleanField(required=False, label="Only add questions not in the bank yet")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "topic",
        "difficulty",
        "status",
        "attempt_count",
        "average_score",
        "override_share",
        "open_flags",
    )
    list_filter = ("topic", "difficulty", "status", FlaggedFilter, AgreementFilter)
    search_fields = ("slug", "prompt", "references__text", "key_points__label")
    list_select_related = ("topic",)
    readonly_fields = ("uuid", "created", "updated")
    prepopulated_fields = {"slug": ("prompt",)}
    inlines = [ReferenceAnswerInline, KeyPointInline]
    fieldsets = (
        (None, {"fields": ("prompt", "topic", "difficulty", "status", "time_limit_seconds")}),
        ("Identity", {"fields": ("slug", "uuid", "source", "created", "updated")}),
    )
    action_form = QuestionActionForm
    actions = ["publish_selected", "unpublish_selected", "move_selected", "export_selected"]

    def get_queryset(self, request):
        return curation_selectors.with_curation_stats(super().get_queryset(request))

    def render_change_form(self, request, context, *args, **kwargs):
        context["concepts"] = question_selectors.concept_names()
        return super().render_change_form(request, context, *args, **kwargs)

    # --- live statistics ----------------------------------------------------------------------

    @admin.display(description="Attempts", ordering="n_attempts")
    def attempt_count(self, obj: Question) -> int:
        return obj.n_attempts

    @admin.display(description="Avg score", ordering="avg_score")
    def average_score(self, obj: Question) -> str:
        return "–" if obj.avg_score is None else f"{obj.avg_score:.0f}"

    @admin.display(description="“I was right”", ordering="contested_share")
    def override_share(self, obj: Question) -> str:
        if not obj.n_contested:
            return "–"
        url = reverse("admin:interviews_question_disagreements", args=[obj.pk])
        return format_html('<a href="{}">{}% ({})</a>', url, round(100 * obj.contested_share), obj.n_contested)

    @admin.display(description="Open flags", ordering="n_open_flags")
    def open_flags(self, obj: Question) -> str:
        if not obj.n_open_flags:
            return "–"
        url = reverse("admin:interviews_flag_changelist") + f"?question__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.n_open_flags)

    # --- bulk actions -------------------------------------------------------------------------

    def _action_input(self, request, name: str):
        """A value from the action bar's extra inputs, validated by the action form."""
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        return form.cleaned_data.get(name) if form.is_valid() else None

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish_selected(self, request, queryset):
        n = curation_services.questions_publish(questions=queryset, curator=request.user)
        self.message_user(request, f"{n} question(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected questions (back to draft)", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        n = curation_services.questions_unpublish(questions=queryset, curator=request.user)
        self.message_user(request, f"{n} question(s) unpublished.", messages.SUCCESS)

    @admin.action(description="Move selected questions to the topic chosen", permissions=["change"])
    def move_selected(self, request, queryset):
        topic = self._action_input(request, "topic")
        if topic is None:
            self.message_user(request, "Choose the topic to move the questions to.", messages.WARNING)
            return
        n = curation_services.questions_move(questions=queryset, topic=topic, curator=request.user)
        self.message_user(request, f"{n} question(s) moved to {topic}.", messages.SUCCESS)

    @admin.action(description="Export selected questions", permissions=["view"])
    def export_selected(self, request, queryset):
        fmt = self._action_input(request, "export_format") or "json"
        bundle = export_bundle(questions=Question.objects.filter(pk__in=queryset.values("pk")))
        text = format_registry.codec(fmt).serialise(bundle)
        extension = format_registry.FILE_EXTENSIONS[fmt]
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="questions{extension}"'
        return response

    # --- extra pages --------------------------------------------------------------------------

    def get_urls(self):
        info = "interviews_question"
        wrap = self.admin_site.admin_view
        return [
            path("try-scorer/", wrap(self.try_scorer_view), name=f"{info}_try_scorer_new"),
            path("<path:object_id>/try-scorer/", wrap(self.try_scorer_view), name=f"{info}_try_scorer"),
            path("<path:object_id>/disagreements/", wrap(self.disagreements_view), name=f"{info}_disagreements"),
            path("concepts/", wrap(self.concepts_view), name=f"{info}_concepts"),
            path("import/", wrap(self.import_view), name=f"{info}_import"),
            path("import/confirm/", wrap(self.import_confirm_view), name=f"{info}_import_confirm"),
            *super().get_urls(),
        ]

    def _question_or_404(self, request: HttpRequest, object_id: str) -> Question:
        question = self.get_object(request, unquote(object_id))
        if question is None:
            raise Http404("No such question.")
        return question

    def _posted_bank(self, request: HttpRequest, question: Question | None):
        """References and key points as posted by the change form (saved or not), and any errors."""
        instance = question or Question()
        references: list[tuple[int, str]] = []
        key_points: list[tuple[int, tuple[str, list[str]]]] = []
        errors: list[str] = []
        for inline in self.get_inline_instances(request, question):
            formset_class = inline.get_formset(request, question)
            formset = formset_class(data=request.POST, instance=instance, prefix=formset_class.get_default_prefix())
            if not formset.management_form.is_valid():
                continue
            for i, form in enumerate(formset.forms):
                if form.instance.pk is None and not form.has_changed():
                    continue  # an empty extra form
                if not form.is_valid():
                    errors += [f"{inline.model._meta.verbose_name} {i + 1}: {e}" for e in form.errors.values()]
                    continue
                if form.cleaned_data.get("DELETE"):
                    continue
                data = form.cleaned_data
                order = (data.get("position") or 0) * 1000 + i
                if inline.model is ReferenceAnswer and data.get("text", "").strip():
                    references.append((order, data["text"]))
                elif inline.model is KeyPoint and data.get("label", "").strip():
                    key_points.append((order, (data["label"], data.get("phrasings") or [])))
        return [t for _, t in sorted(references)], [k for _, k in sorted(key_points)], errors

    def try_scorer_view(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        """Score a sample answer against the change form's current, possibly unsaved, contents."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        question = self._question_or_404(request, object_id) if object_id else None
        allowed = self.has_change_permission(request, question) if question else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        answer = request.POST.get("try_answer", "")
        prompt = request.POST.get("prompt") or (question.prompt if question else "")
        references, key_points, errors = self._posted_bank(request, question)
        if not answer.strip():
            errors.append("Type a sample answer first.")
        elif len(answer) > settings.ANSWER_MAX_CHARS:
            errors.append(f"The sample answer is longer than the {settings.ANSWER_MAX_CHARS:,} characters allowed.")
        if not references:
            errors.append("Add at least one reference answer to score against.")
        result = None
        if not errors:
            result = curation_selectors.score_draft(
                key=str(question.uuid) if question else "new",
                prompt=prompt,
                references=references,
                key_points=key_points,
                answer=answer,
            )
        context = {"result": result, "errors": errors, "n_references": len(references), "n_key_points": len(key_points)}
        return TemplateResponse(request, "admin/interviews/question/_try_scorer_result.html", context)

    def disagreements_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The attempts users contested on this question; accept one (edited) as a reference, or dismiss it."""
        question = self._question_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, question):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request, question):
                raise PermissionDenied
            attempt_pk = request.POST.get("attempt", "")
            if not attempt_pk.isdigit():
                raise Http404("No such attempt.")
            attempt = get_object_or_404(Attempt, pk=int(attempt_pk), question=question, contested_at__isnull=False)
            if request.POST.get("decision") == "accept":
                text = request.POST.get("text", "")
                if text.strip():
                    curation_services.accept_answer_as_reference(attempt=attempt, curator=request.user, text=text)
                    self.message_user(request, "Added as a reference answer; the scorer refits on the next answer.")
                else:
                    self.message_user(request, "A reference answer can't be empty.", messages.ERROR)
            else:
                curation_services.contest_dismiss(
                    attempt=attempt, curator=request.user, note=request.POST.get("note", "")
                )
                self.message_user(request, "Contest dismissed; the score stands.")
            return redirect("admin:interviews_question_disagreements", question.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": question,
            "title": f"Disagreements on “{question}”",
            "contested": curation_selectors.contested_attempts(question=question),
            "can_change": self.has_change_permission(request, question),
        }
        return TemplateResponse(request, "admin/interviews/question/disagreements.html", context)

    # --- concepts -----------------------------------------------------------------------------

    def lookup_allowed(self, lookup, value, request=None):
        """The concepts page links each concept to the questions that name it."""
        return lookup == "key_points__concept" or super().lookup_allowed(lookup, value, request)

    def concepts_view(self, request: HttpRequest) -> HttpResponse:
        """Every concept the key points name, with its questions: one-question concepts and
        concepts spelled several ways first come to a curator's eye."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Concepts",
            "concepts": curation_selectors.concept_uses(),
        }
        return TemplateResponse(request, "admin/interviews/question/concepts.html", context)

    # --- import -------------------------------------------------------------------------------

    def _check_import_permission(self, request: HttpRequest) -> None:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def _import_context(self, request: HttpRequest, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": "Import questions", **extra}

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a file and see what it would change (a dry run); confirming is a second step."""
        self._check_import_permission(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        context = self._import_context(request, form=form)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(format_registry.MAX_BYTES + 1)
            fmt = form.cleaned_data["format"] or None
            only_new = form.cleaned_data["only_new"]
            try:
                bundle = format_registry.parse_bytes(data, upload.name, fmt)
                report = bank_import(bundle=bundle, dry_run=True, only_new=only_new)
            except FormatError as exc:
                context["problems"] = exc.problems
            else:
                _stash_upload(request, data=data, filename=upload.name, fmt=fmt, only_new=only_new)
                context.update(report=report, filename=upload.name)
        return TemplateResponse(request, "admin/interviews/question/import.html", context)

    def import_confirm_view(self, request: HttpRequest) -> HttpResponse:
        """Import the file the dry run showed, re-reading it: same code path as the command."""
        self._check_import_permission(request)
        if request.method != "POST":
            return redirect("admin:interviews_question_import")
        stashed = _unstash_upload(request)
        if stashed is None:
            self.message_user(request, "The upload expired; upload the file again.", messages.WARNING)
            return redirect("admin:interviews_question_import")
        data, meta = stashed
        try:
            bundle = format_registry.parse_bytes(data, meta["filename"], meta["fmt"])
            report = curation_services.bank_import_logged(
                bundle=bundle, curator=request.user, source=meta["filename"], only_new=meta["only_new"]
            )
        except FormatError as exc:
            context = self._import_context(request, form=ImportForm(), problems=exc.problems)
            return TemplateResponse(request, "admin/interviews/question/import.html", context)
        self.message_user(request, f"Imported {meta['filename']}: {report.summary()}", messages.SUCCESS)
        return redirect("admin:interviews_question_changelist")


def _stash_upload(request: HttpRequest, *, data: bytes, filename: str, fmt: str | None, only_new: bool) -> None:
    """Keep an upload between the dry run and the confirmation.

    The bytes go to the database (any app server can take the confirmation); the session holds only
    a random token, so a client can neither point the confirmation at another upload nor alter it.
    """
    ImportUpload.objects.filter(created__lt=timezone.now() - timedelta(seconds=IMPORT_MAX_AGE_SECONDS)).delete()
    _discard_upload(request)
    token = secrets.token_hex(16)
    ImportUpload.objects.create(
        token=token,
        user=request.user,
        filename=Path(filename).name,
        fmt=fmt or "",
        only_new=only_new,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    request.session[IMPORT_SESSION_KEY] = token


def _unstash_upload(request: HttpRequest) -> tuple[bytes, dict] | None:
    token = request.session.pop(IMPORT_SESSION_KEY, None)
    upload = ImportUpload.objects.filter(token=token, user=request.user).first() if isinstance(token, str) else None
    if upload is None:
        return None
    upload.delete()
    data = bytes(upload.data)
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        return None
    return data, {"filename": upload.filename, "fmt": upload.fmt or None, "only_new": upload.only_new}


def _discard_upload(request: HttpRequest) -> None:
    token = request.session.pop(IMPORT_SESSION_KEY, None)
    if isinstance(token, str):
        ImportUpload.objects.filter(token=token).delete()


# --- attempts -----------------------------------------------------------------------------------


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("question", "user", "score", "band", "scorer_version", "contested_at", "created")
    list_filter = ("band", "mode", "scorer_version", ("contested_at", admin.EmptyFieldListFilter))
    search_fields = ("question__slug", "user__username", "answer")
    list_select_related = ("question", "user")
    readonly_fields = [f.name for f in Attempt._meta.fields]
    date_hierarchy = "created"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # an attempt is kept as scored


# --- flags: the curators' queue -----------------------------------------------------------------


class FlagStatusFilter(admin.SimpleListFilter):
    """Status, showing the open flags (the queue) unless asked otherwise."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*FlagStatus.choices, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or FlagStatus.OPEN
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or FlagStatus.OPEN
        for value, title in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }


class FlagForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ("status", "resolution_note")


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    form = FlagForm
    list_display = ("question_link", "reason", "short_comment", "user", "status", "created", "resolved_by")
    list_filter = (FlagStatusFilter, "reason", ("question", admin.RelatedOnlyFieldListFilter))
    search_fields = ("question__slug", "comment", "resolution_note")
    list_select_related = ("question", "user", "resolved_by")
    readonly_fields = ("question_link", "user", "reason", "comment", "created", "resolved_by", "resolved_at")
    fields = (
        "question_link",
        "reason",
        "comment",
        "user",
        "created",
        "status",
        "resolution_note",
        "resolved_by",
        "resolved_at",
    )
    actions = ["resolve_selected", "dismiss_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # users raise flags from the question pages

    @admin.display(description="Question", ordering="question__slug")
    def question_link(self, obj: Flag) -> str:
        url = reverse("admin:interviews_question_change", args=[obj.question_id])
        return format_html('<a href="{}">{}</a>', url, obj.question)

    @admin.display(description="Comment")
    def short_comment(self, obj: Flag) -> str:
        return obj.comment if len(obj.comment) <= 80 else obj.comment[:79] + "…"

    def save_model(self, request, obj, form, change):
        if obj.status != FlagStatus.OPEN and {"status", "resolution_note"} & set(form.changed_data):
            curation_services.flag_resolve(flag=obj, curator=request.user, status=obj.status, note=obj.resolution_note)
            obj._logged_by_service = True
        else:
            super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        if getattr(obj, "_logged_by_service", False):
            return None
        return super().log_change(request, obj, message)

    def _close(self, request, queryset, status: str) -> int:
        flags = list(queryset.filter(status=FlagStatus.OPEN))
        for flag in flags:
            curation_services.flag_resolve(flag=flag, curator=request.user, status=status)
        return len(flags)

    @admin.action(description="Mark selected flags resolved", permissions=["change"])
    def resolve_selected(self, request, queryset):
        self.message_user(request, f"{self._close(request, queryset, FlagStatus.RESOLVED)} flag(s) resolved.")

    @admin.action(description="Dismiss selected flags", permissions=["change"])
    def dismiss_selected(self, request, queryset):
        self.message_user(request, f"{self._close(request, queryset, FlagStatus.DISMISSED)} flag(s) dismissed.")


# --- recent changes -----------------------------------------------------------------------------


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Who changed what, when: the admin's own edits and the services' (imports, bulk actions…)."""

    list_display = ("action_time", "user", "content_type", "object_link", "action_flag", "change_summary")
    list_filter = ("action_flag", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "change_message")
    date_hierarchy = "action_time"
    list_select_related = ("user", "content_type")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:  # curators see the bank's history, not account changes
            queryset = queryset.filter(content_type__app_label="interviews")
        return queryset

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Object", ordering="object_repr")
    def object_link(self, obj: LogEntry) -> str:
        url = obj.get_admin_url() if obj.action_flag != 3 else ""
        return format_html('<a href="{}">{}</a>', url, obj.object_repr) if url else obj.object_repr

    @admin.display(description="Change")
    def change_summary(self, obj: LogEntry) -> str:
        return obj.get_change_message()
