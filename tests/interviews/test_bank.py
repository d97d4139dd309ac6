"""The engine cache: refitted when the bank changes, the version read at most once per interval."""

from __future__ import annotations

import pytest
from django.utils import timezone

from interviews import bank
from interviews.models import Question, ReferenceAnswer, Topic

pytestmark = pytest.mark.django_db

NEW_REFERENCE = "Gradients shrink layer by layer in deep nets; residual connections and ReLU keep them alive."


class Clock:
    """Stands in for time.monotonic inside interviews.bank."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(bank.time, "monotonic", clock)
    return clock


def _edit_elsewhere(question) -> None:
    """What another process's edit looks like here: the rows change, no signal in this process."""
    ReferenceAnswer.objects.filter(question=question).update(text=NEW_REFERENCE, updated=timezone.now())


def test_within_the_interval_the_version_is_not_read_again(question, clock, settings, django_assert_num_queries):
    settings.BANK_RECHECK_SECONDS = 5
    engine = bank.get_engine()
    clock.now += 4.9
    with django_assert_num_queries(0):
        assert bank.get_engine() is engine
    clock.now += 0.2
    with django_assert_num_queries(1):  # the version only: unchanged, so no refit
        assert bank.get_engine() is engine


def test_another_process_edit_is_seen_once_the_interval_has_passed(question, clock, settings):
    settings.BANK_RECHECK_SECONDS = 5
    engine = bank.get_engine()
    _edit_elsewhere(question)
    assert bank.get_engine() is engine
    clock.now += 5
    refitted = bank.get_engine()
    assert refitted is not engine
    _, spec = bank.engine_and_spec(question)
    assert spec.references == (NEW_REFERENCE,)


def test_an_edit_in_this_process_is_seen_at_once(question, clock, settings):
    settings.BANK_RECHECK_SECONDS = 60
    engine = bank.get_engine()
    reference = question.references.get()
    reference.text = NEW_REFERENCE
    reference.save()
    assert bank.get_engine() is not engine
    assert bank.engine_and_spec(question)[1].references == (NEW_REFERENCE,)


def test_a_deletion_in_this_process_is_seen_at_once(question, clock, settings):
    settings.BANK_RECHECK_SECONDS = 60
    bank.get_engine()
    ReferenceAnswer.objects.create(question=question, text=NEW_REFERENCE, position=1)
    assert len(bank.engine_and_spec(question)[1].references) == 2
    question.references.filter(text=NEW_REFERENCE).delete()
    assert len(bank.engine_and_spec(question)[1].references) == 1


def test_an_edit_during_a_version_read_makes_the_next_use_read_again(question, clock, settings, monkeypatch):
    settings.BANK_RECHECK_SECONDS = 60
    read = bank.bank_version

    def read_while_someone_edits() -> tuple:
        version = read()
        bank.recheck()  # an edit in this process (another thread) lands after the read
        return version

    monkeypatch.setattr(bank, "bank_version", read_while_someone_edits)
    bank.get_engine()
    monkeypatch.setattr(bank, "bank_version", read)
    _edit_elsewhere(question)  # stands for that edit's rows
    assert bank.engine_and_spec(question)[1].references == (NEW_REFERENCE,)


def test_zero_reads_the_version_before_every_use(question, settings, django_assert_num_queries):
    settings.BANK_RECHECK_SECONDS = 0
    bank.get_engine()
    with django_assert_num_queries(1):
        bank.get_engine()


def test_a_question_comes_from_memory_with_its_topic(question, clock, settings, django_assert_num_queries):
    settings.BANK_RECHECK_SECONDS = 60
    bank.get_engine()
    with django_assert_num_queries(0):
        shown = bank.question(question.pk)
        assert (shown.prompt, shown.topic.name) == (question.prompt, question.topic.name)


def test_a_topic_renamed_elsewhere_shows_once_the_interval_has_passed(question, clock, settings):
    settings.BANK_RECHECK_SECONDS = 5
    bank.get_engine()
    Topic.objects.filter(pk=question.topic_id).update(name="Renamed", updated=timezone.now())  # no signal
    assert bank.question(question.pk).topic.name != "Renamed"
    clock.now += 5
    assert bank.question(question.pk).topic.name == "Renamed"


def test_a_topic_renamed_in_this_process_shows_at_once(question, clock, settings):
    settings.BANK_RECHECK_SECONDS = 60
    bank.get_engine()
    topic = question.topic
    topic.name = "Renamed"
    topic.save()
    assert bank.question(question.pk).topic.name == "Renamed"


def test_a_question_added_since_the_version_read_comes_from_the_database(question, clock, settings, topic):
    settings.BANK_RECHECK_SECONDS = 60
    bank.get_engine()
    added = Question.objects.bulk_create([Question(slug="added", topic=topic, prompt="Added?")])[0]  # no signal
    assert bank.question(added.pk).prompt == "Added?"


def test_every_question_is_prepared_for_scoring_when_the_engine_is_fitted(question, monkeypatch):
    from interviews.scoring import engine as engine_module

    engine = bank.get_engine()
    prepared: list[str] = []
    original = engine_module.prepare
    monkeypatch.setattr(engine_module, "prepare", lambda text, *args: prepared.append(text) or original(text, *args))
    engine.score("dropout zeroes random units during training", bank.question_spec(question))
    assert prepared == ["dropout zeroes random units during training"]
