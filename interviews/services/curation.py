"""Curation writes: flags, accepting a contested answer, bulk edits, admin imports, the curator role.

Every write a curator makes outside the admin's own forms is recorded as an admin LogEntry, so
the "recent changes" list shows who changed what and when, whichever path the change took.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from accounts.models import User
from interviews.formats import Bundle
from interviews.models import Attempt, Flag, FlagStatus, Question, QuestionStatus, ReferenceAnswer, Topic
from interviews.services.bank_import import ImportReport, bank_import

CURATOR_GROUP = "curator"
# What a curator may do in the admin: edit the bank, work the flag queue, read attempts and the
# change log. Nothing in accounts or auth: only superusers manage users.
CURATOR_PERMISSIONS = {
    "interviews": {
        "topic": ("add", "change", "delete", "view"),
        "question": ("add", "change", "delete", "view"),
        "referenceanswer": ("add", "change", "delete", "view"),
        "keypoint": ("add", "change", "delete", "view"),
        "flag": ("change", "view"),
        "attempt": ("view",),
    },
    "admin": {"logentry": ("view",)},
}


def _log(*, user: User, objects: Iterable, action_flag: int, message: str | list) -> None:
    objects = list(objects)
    if objects:
        LogEntry.objects.log_actions(user.pk, objects, action_flag, message)


# --- flags ------------------------------------------------------------------------------------


def flag_create(*, user: User, question: Question, reason: str, comment: str = "") -> Flag:
    """Report a problem with a question. A user's second report while the first is open updates it."""
    with transaction.atomic():
        flag = Flag.objects.filter(user=user, question=question, status=FlagStatus.OPEN).first()
        if flag is None:
            return Flag.objects.create(user=user, question=question, reason=reason, comment=comment.strip())
        flag.reason, flag.comment = reason, comment.strip()
        flag.save(update_fields=["reason", "comment"])
        return flag


def flag_resolve(*, flag: Flag, curator: User, status: str = FlagStatus.RESOLVED, note: str = "") -> Flag:
    """Close a flag as resolved or dismissed, noting who closed it and why."""
    if status not in (FlagStatus.RESOLVED, FlagStatus.DISMISSED):
        raise ValueError(f"a flag is closed as resolved or dismissed, not {status!r}")
    with transaction.atomic():
        flag.status = status
        flag.resolved_by = curator
        flag.resolved_at = timezone.now()
        flag.resolution_note = note.strip()
        flag.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
        message = flag.get_status_display() + (f": {flag.resolution_note}" if flag.resolution_note else "")
        _log(user=curator, objects=[flag], action_flag=CHANGE, message=message)
    return flag


# --- disagreements ----------------------------------------------------------------------------


def accept_answer_as_reference(*, attempt: Attempt, curator: User, text: str) -> ReferenceAnswer:
    """Add a contested answer (as the curator edited it) to its question's reference answers.

    The new reference changes the bank version, so the next answer is scored by a refitted
    engine; the contested attempt itself keeps its score and scorer version.
    """
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValueError("a reference answer can't be empty")
    with transaction.atomic():
        question = attempt.question
        last = question.references.aggregate(last=Max("position"))["last"]
        reference = ReferenceAnswer.objects.create(
            question=question, text=text, position=0 if last is None else last + 1
        )
        _log(
            user=curator,
            objects=[question],
            action_flag=CHANGE,
            message=[{"added": {"name": "reference answer", "object": str(reference)}}],
        )
        _log(user=curator, objects=[attempt], action_flag=CHANGE, message=f"Accepted as reference {reference.pk}")
    return reference


def contest_dismiss(*, attempt: Attempt, curator: User, note: str = "") -> Attempt:
    """Mark a contested attempt as reviewed without changing the bank (the log records it)."""
    with transaction.atomic():
        _log(user=curator, objects=[attempt], action_flag=CHANGE, message=f"Contest dismissed. {note}".strip())
    return attempt


# --- bulk edits -------------------------------------------------------------------------------


def _bulk_update(*, questions: QuerySet[Question], curator: User, message: str, **fields) -> int:
    ids = list(questions.values_list("pk", flat=True))  # the selection may be annotated or distinct
    with transaction.atomic():
        changed = list(Question.objects.filter(pk__in=ids).select_for_update())
        # update() skips auto_now: set `updated` so the change shows in the bank version.
        count = Question.objects.filter(pk__in=[q.pk for q in changed]).update(updated=timezone.now(), **fields)
        _log(user=curator, objects=changed, action_flag=CHANGE, message=message)
    return count


def questions_publish(*, questions: QuerySet[Question], curator: User) -> int:
    return _bulk_update(
        questions=questions.exclude(status=QuestionStatus.PUBLISHED),
        curator=curator,
        message="Published (bulk action).",
        status=QuestionStatus.PUBLISHED,
    )


def questions_unpublish(*, questions: QuerySet[Question], curator: User) -> int:
    return _bulk_update(
        questions=questions.exclude(status=QuestionStatus.DRAFT),
        curator=curator,
        message="Unpublished (bulk action).",
        status=QuestionStatus.DRAFT,
    )


def questions_move(*, questions: QuerySet[Question], topic: Topic, curator: User) -> int:
    return _bulk_update(
        questions=questions.exclude(topic=topic),
        curator=curator,
        message=f"Moved to topic {topic.slug} (bulk action).",
        topic=topic,
    )


# --- import -----------------------------------------------------------------------------------


def bank_import_logged(*, bundle: Bundle, curator: User, source: str, only_new: bool = False) -> ImportReport:
    """The import command's code path, plus a log entry per created or updated question."""
    with transaction.atomic():
        report = bank_import(bundle=bundle, only_new=only_new)
        for slugs, flag, verb in ((report.created, ADDITION, "Imported"), (report.updated, CHANGE, "Updated")):
            _log(
                user=curator,
                objects=Question.objects.filter(slug__in=slugs),
                action_flag=flag,
                message=f"{verb} from {source}.",
            )
    return report


# --- roles ------------------------------------------------------------------------------------


def curator_group_ensure() -> Group:
    """Create or repair the "curator" group with exactly its permissions (safe to run again)."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=CURATOR_GROUP)
        wanted = []
        for app_label, models in CURATOR_PERMISSIONS.items():
            for model, actions in models.items():
                codenames = [f"{action}_{model}" for action in actions]
                found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
                if len(found) != len(codenames):
                    missing = set(codenames) - {p.codename for p in found}
                    raise LookupError(f"permissions missing (run migrate first): {sorted(missing)}")
                wanted += found
        group.permissions.set(wanted)
    return group
