import json

import pytest

from interviews.formats import FormatError, json_format
from tests.interviews.formats.conftest import comparable


def test_it_round_trips_a_bundle_without_loss(bundle):
    text = json_format.serialise(bundle)
    assert comparable(json_format.parse(text, "bank.json")) == comparable(bundle)


def test_it_records_the_line_of_each_question(bundle):
    text = json_format.serialise(bundle)
    parsed = json_format.parse(text, "bank.json")
    lines = text.splitlines()
    for question in parsed.questions:
        assert f'"slug": "{question.slug}"' in lines[question.line - 1]


def test_invalid_json_names_the_line():
    with pytest.raises(FormatError) as exc:
        json_format.parse('{\n"format": "mlprep-bank",\n"questions": [,]\n}', "bad.json")
    assert str(exc.value.problems[0]).startswith("bad.json:3: invalid JSON")


def test_a_bad_question_is_reported_with_its_line_and_every_problem(bundle):
    data = json.loads(json_format.serialise(bundle))
    data["questions"][1]["difficulty"] = "extreme"
    data["questions"][1]["time_limit_seconds"] = 5
    text = json.dumps(data, indent=2)
    with pytest.raises(FormatError) as exc:
        json_format.parse(text, "bank.json")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"slug": "pooling-layers"' in s)
    messages = [str(p) for p in exc.value.problems]
    assert len(messages) == 2
    assert all(m.startswith(f"bank.json:{line}: question #2 (pooling-layers)") for m in messages)


def test_it_refuses_a_json_file_that_is_not_a_bank():
    with pytest.raises(FormatError, match="not a question bank"):
        json_format.parse('{"questions": []}', "other.json")


def test_it_refuses_a_slug_that_is_not_a_slug(bundle):
    data = json.loads(json_format.serialise(bundle))
    data["questions"][0]["slug"] = "Vanishing Gradients"
    with pytest.raises(FormatError, match="lowercase words joined by hyphens"):
        json_format.parse(json.dumps(data), "bank.json")


def test_only_a_draft_may_lack_a_reference(bundle):
    data = json.loads(json_format.serialise(bundle))
    for question in data["questions"]:
        question["references"] = []
    with pytest.raises(FormatError) as exc:
        json_format.parse(json.dumps(data), "bank.json")
    assert [p.message for p in exc.value.problems] == [
        "question #1 (vanishing-gradients): a reference answer is required"
    ]


def test_a_concept_is_written_only_when_a_point_has_one(bundle):
    points = json.loads(json_format.serialise(bundle))["questions"][1]["key_points"]
    assert "concept" not in points[0] and points[1]["concept"] == "pooling"


def test_a_bad_concept_is_reported_with_its_line(bundle):
    data = json.loads(json_format.serialise(bundle))
    data["questions"][1]["key_points"][1]["concept"] = ["pooling"]
    data["questions"][0]["key_points"][0]["concept"] = "x" * 61
    with pytest.raises(FormatError) as exc:
        json_format.parse(json.dumps(data, indent=2), "bank.json")
    messages = sorted(str(p) for p in exc.value.problems)
    assert len(messages) == 2
    assert "concept is longer than 60 characters" in messages[0] and "(vanishing-gradients)" in messages[0]
    assert "'Downsamples': concept must be a text" in messages[1] and "(pooling-layers)" in messages[1]
