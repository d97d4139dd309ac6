import pytest

from interviews.models import Attempt
from interviews.templatetags.concepts import feedback_points

pytestmark = pytest.mark.django_db


def _attempt(question, points) -> Attempt:
    return Attempt(question=question, feedback={"key_points": points})


def test_each_recorded_point_gets_the_concept_its_point_has_in_the_bank_now(question):
    question.key_points.filter(label__startswith="ReLU").update(concept="activation functions")
    recorded = [
        {"label": "relu-family activations help.", "covered": False, "matched": []},  # case, punctuation
        {"label": "Residual connections or normalisation help", "covered": True, "matched": ["skip"]},
        {"label": "A point since reworded", "covered": False, "matched": []},
    ]
    points = feedback_points(_attempt(question, recorded), question)
    assert [p["concept"] for p in points] == ["activation functions", "", ""]
    assert points[1] == recorded[1] | {"concept": ""}  # the rest as recorded


def test_an_attempt_without_key_points_has_none(question):
    assert feedback_points(Attempt(question=question, feedback={}), question) == []
