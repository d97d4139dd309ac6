import pytest

from interviews.models import SavedQuestion
from interviews.services.saved_questions import question_save

pytestmark = pytest.mark.django_db


def test_saving_is_idempotent_and_per_user(candidate, stranger, question, other_question):
    assert question_save(user=candidate, question=question, saved=True) is True
    assert question_save(user=candidate, question=question, saved=True) is True  # a double click
    question_save(user=stranger, question=other_question, saved=True)
    assert list(SavedQuestion.objects.filter(user=candidate).values_list("question_id", flat=True)) == [question.pk]


def test_taking_a_question_off_the_list(candidate, stranger, question):
    question_save(user=candidate, question=question, saved=True)
    question_save(user=stranger, question=question, saved=True)
    assert question_save(user=candidate, question=question, saved=False) is False
    assert question_save(user=candidate, question=question, saved=False) is False  # not saved: nothing to do
    assert list(SavedQuestion.objects.values_list("user_id", flat=True)) == [stranger.pk]


def test_a_saved_question_goes_with_the_account(candidate, question):
    question_save(user=candidate, question=question, saved=True)
    candidate.delete()
    assert not SavedQuestion.objects.exists()
