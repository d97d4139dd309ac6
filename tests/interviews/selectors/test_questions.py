import pytest

from interviews.selectors.questions import concept_key, question_list, questions_testing
from tests.conftest import make_question

pytestmark = pytest.mark.django_db


def test_a_concept_is_its_label_without_case_or_punctuation():
    assert concept_key("Vanishing gradient.") == concept_key("  vanishing  GRADIENT") == "vanishing gradient"
    assert concept_key("Bias-variance trade-off") == "bias variance trade off"
    assert concept_key("...") == ""


def test_the_questions_testing_a_concept_are_the_published_ones_with_that_key_point(topic, question, other_question):
    shared = "Saturating activations such as sigmoid or tanh cause it"  # one of `question`'s key points
    also = make_question(
        slug="sigmoid-outputs",
        topic=topic,
        prompt="Why avoid sigmoid in hidden layers?",
        references=["..."],
        key_points=[("saturating activations, such as sigmoid or tanh, cause it!", ["saturat"])],
    )
    make_question(
        slug="unpublished",
        topic=topic,
        prompt="A draft",
        references=["..."],
        key_points=[(shared, ["x"])],
        status="draft",
    )
    make_question(
        slug="near-miss",
        topic=topic,
        prompt="Another",
        references=["..."],
        key_points=[("Saturating activations such as sigmoid or tanh cause it rarely", ["x"])],
    )
    assert questions_testing(shared) == sorted([question.pk, also.pk])
    assert questions_testing("SATURATING activations such as sigmoid or tanh cause it") == sorted(
        [question.pk, also.pk]
    )
    assert questions_testing("Nothing like this") == []
    assert questions_testing("  ") == []
    assert [q.slug for q in question_list(concept=shared)] == ["sigmoid-outputs", "vanishing-gradients"]
    assert list(question_list(concept=shared, difficulty="easy")) == []


def test_a_concept_matches_labels_that_differ_beyond_ascii_case(topic):
    """casefold() makes "ß" "ss" and "É" "é"; SQL's case-insensitive match does neither (SQLite's
    LIKE folds ASCII only), so the match is made in Python."""
    street = make_question(
        slug="strasse", topic=topic, prompt="Straße?", references=["..."], key_points=[("Die Straße", ["x"])]
    )
    accent = make_question(
        slug="ecole", topic=topic, prompt="École?", references=["..."], key_points=[("ÉCOLE normale", ["x"])]
    )
    assert questions_testing("die STRASSE") == [street.pk]
    assert questions_testing("école Normale") == [accent.pk]
