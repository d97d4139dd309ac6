from __future__ import annotations

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from interviews import bank
from interviews.formats import Bundle, QuestionData
from interviews.models import Attempt, Flag, FlagReason, FlagStatus, Question, QuestionStatus
from interviews.services import curation
from interviews.services.attempts import attempt_contest, attempt_submit

pytestmark = pytest.mark.django_db

PARAPHRASE = (
    "The error signal fades away as it travels back towards the input, so the first layers hardly update; "
    "picking activation functions that do not flatten out and adding shortcut paths around blocks keeps "
    "that signal alive."
)


def _log_messages(obj) -> list[str]:
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return [e.get_change_message() for e in entries.order_by("id")]


def test_a_flag_is_created_open(candidate, question):
    flag = curation.flag_create(user=candidate, question=question, reason=FlagReason.TYPO, comment=" tpyo ")
    assert (flag.status, flag.comment, flag.user) == (FlagStatus.OPEN, "tpyo", candidate)


def test_a_second_flag_by_the_same_user_updates_the_open_one(candidate, question):
    first = curation.flag_create(user=candidate, question=question, reason=FlagReason.TYPO)
    second = curation.flag_create(user=candidate, question=question, reason=FlagReason.UNCLEAR, comment="and unclear")
    assert first.pk == second.pk
    assert Flag.objects.get().reason == FlagReason.UNCLEAR


def test_resolving_a_flag_records_who_when_and_why_in_the_log(candidate, curator, question):
    flag = curation.flag_create(user=candidate, question=question, reason=FlagReason.WRONG_REFERENCE)
    curation.flag_resolve(flag=flag, curator=curator, note="Fixed the reference.")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED
    assert flag.resolved_by == curator and flag.resolved_at is not None
    assert flag.resolution_note == "Fixed the reference."
    entry = LogEntry.objects.get(object_id=str(flag.pk))
    assert entry.user == curator and "Fixed the reference." in entry.change_message


def test_a_flag_cannot_be_closed_as_open(candidate, curator, question):
    flag = curation.flag_create(user=candidate, question=question, reason=FlagReason.TYPO)
    with pytest.raises(ValueError):
        curation.flag_resolve(flag=flag, curator=curator, status=FlagStatus.OPEN)


def test_accepting_a_contested_answer_adds_a_reference_and_the_same_wording_then_scores_higher(
    candidate, curator, question
):
    before = attempt_submit(user=candidate, question=question, answer=PARAPHRASE)
    attempt_contest(attempt=before, note="I said the same thing in other words.")

    reference = curation.accept_answer_as_reference(attempt=before, curator=curator, text=PARAPHRASE)

    assert reference.question == question
    assert list(question.references.values_list("text", flat=True))[-1] == PARAPHRASE
    after = attempt_submit(user=candidate, question=question, answer=PARAPHRASE)
    assert after.score > before.score
    kept = Attempt.objects.get(pk=before.pk)
    assert (kept.score, kept.scorer_version) == (before.score, before.scorer_version)
    assert _log_messages(question) == [f"Added reference answer “{reference}”."]
    assert _log_messages(before) == [f"Accepted as reference {reference.pk}"]


def test_accepting_uses_the_curators_edited_text_and_appends_it_last(candidate, curator, question):
    attempt = attempt_submit(user=candidate, question=question, answer="relu fixes it lol")
    reference = curation.accept_answer_as_reference(
        attempt=attempt, curator=curator, text="  ReLU activations keep gradients from shrinking.\r\n"
    )
    assert reference.text == "ReLU activations keep gradients from shrinking."
    assert reference.position == 1


def test_an_empty_reference_is_refused(candidate, curator, question):
    attempt = attempt_submit(user=candidate, question=question, answer="relu")
    with pytest.raises(ValueError):
        curation.accept_answer_as_reference(attempt=attempt, curator=curator, text="   ")
    assert question.references.count() == 1


def test_a_new_reference_gives_a_new_bank_version_and_a_refitted_engine(candidate, curator, question):
    engine = bank.get_engine()
    attempt = attempt_submit(user=candidate, question=question, answer=PARAPHRASE)
    curation.accept_answer_as_reference(attempt=attempt, curator=curator, text=PARAPHRASE)
    assert bank.get_engine() is not engine


def test_bulk_publish_changes_only_drafts_and_logs_each_one(curator, question, other_question):
    Question.objects.filter(pk=other_question.pk).update(status=QuestionStatus.DRAFT)
    n = curation.questions_publish(questions=Question.objects.all(), curator=curator)
    assert n == 1
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.PUBLISHED}
    assert LogEntry.objects.get().object_id == str(other_question.pk)


def test_bulk_unpublish_bumps_updated(curator, question):
    earlier = question.updated
    curation.questions_unpublish(questions=Question.objects.filter(pk=question.pk), curator=curator)
    question.refresh_from_db()
    assert question.status == QuestionStatus.DRAFT
    assert question.updated > earlier
    assert LogEntry.objects.get().action_flag == CHANGE


def test_bulk_move_changes_the_topic(curator, question, other_topic):
    curation.questions_move(questions=Question.objects.all(), topic=other_topic, curator=curator)
    question.refresh_from_db()
    assert question.topic == other_topic
    assert "cnn-vision" in LogEntry.objects.get().change_message


def test_a_logged_import_writes_a_log_entry_per_created_and_updated_question(curator, question, topic):
    bundle = Bundle(
        questions=[
            QuestionData(slug="new-one", topic=topic.slug, prompt="What is dropout?", references=["Dropout..."]),
            QuestionData(slug=question.slug, topic=topic.slug, prompt="Changed prompt?", references=["A reference."]),
        ]
    )
    report = curation.bank_import_logged(bundle=bundle, curator=curator, source="bank.json")
    assert (report.created, report.updated) == (["new-one"], [question.slug])
    flags = dict(LogEntry.objects.values_list("object_repr", "action_flag"))
    assert flags == {"new-one": ADDITION, question.slug: CHANGE}


def test_the_curator_group_is_idempotent_and_has_no_account_permissions():
    first = curation.curator_group_ensure()
    second = curation.curator_group_ensure()
    assert first.pk == second.pk and Group.objects.count() == 1
    codenames = set(second.permissions.values_list("content_type__app_label", "codename"))
    assert ("interviews", "change_question") in codenames
    assert ("interviews", "change_flag") in codenames
    assert not {c for c in codenames if c[0] in ("accounts", "auth")}


def test_dismissing_a_contest_is_logged_against_the_attempt(candidate, curator, question):
    attempt = Attempt.objects.create(
        user=candidate,
        question=question,
        answer="x",
        score=10,
        band="weak",
        scorer_version="t",
        contested_at=timezone.now(),
    )
    curation.contest_dismiss(attempt=attempt, curator=curator, note="Too vague.")
    assert _log_messages(attempt) == ["Contest dismissed. Too vague."]
