import csv
import io
import json

import pytest

from interviews.formats import FormatError, KeyPointData, csv_format
from tests.interviews.formats.conftest import comparable

HEADER = "slug,topic,topic_name,prompt,references,key_points\n"


def test_it_round_trips_a_bundle_without_loss(bundle):
    text = csv_format.serialise(bundle)
    assert comparable(csv_format.parse(text, "bank.csv")) == comparable(bundle)


def test_key_points_are_readable_lines_when_they_can_be(bundle):
    rows = list(csv.DictReader(io.StringIO(csv_format.serialise(bundle))))
    assert rows[0]["key_points"].splitlines() == [
        "Gradients shrink through many layers :: gradient shrinks | exponentially small",
        "Sigmoid/tanh saturate :: sigmoid | tanh",
        "A label without phrasings",
    ]
    assert rows[0]["references"].startswith("Gradients shrink")


def test_text_that_clashes_with_the_readable_encoding_is_written_as_json(bundle):
    rows = list(csv.DictReader(io.StringIO(csv_format.serialise(bundle))))
    assert json.loads(rows[1]["key_points"])[0] == {"label": "Max | average", "phrasings": ["max pooling", "a::b"]}
    assert json.loads(rows[1]["references"]) == bundle.questions[1].references


def test_a_key_point_with_a_concept_is_written_as_json_with_it(bundle):
    bundle.questions[1].key_points[0].label = "Max or average"  # readable, but the other point has a concept
    rows = list(csv.DictReader(io.StringIO(csv_format.serialise(bundle))))
    points = json.loads(rows[1]["key_points"])
    assert points[1] == {"label": "Downsamples", "phrasings": ["reduce spatial size"], "concept": "pooling"}
    assert "concept" not in points[0]


def test_a_concept_that_is_not_text_is_an_error_naming_the_line():
    cell = json.dumps([{"label": "Downsamples", "phrasings": [], "concept": 3}]).replace('"', '""')
    with pytest.raises(FormatError) as exc:
        csv_format.parse(HEADER + f'pooling,cnn-vision,CNNs,What is pooling?,"It downsamples.","{cell}"\n', "b.csv")
    assert str(exc.value).startswith("b.csv:2: key_points: the JSON list") and '"concept"' in str(exc.value)


def test_a_hand_written_sheet_imports_with_defaults():
    text = HEADER + 'vanishing,training-optimisation,Training,What is it?,"It shrinks.",shrinks :: shrink | small\n'
    question = csv_format.parse(text, "sheet.csv").questions[0]
    assert (question.difficulty, question.time_limit_seconds, question.status) == ("medium", 180, "published")
    assert question.key_points == [KeyPointData("shrinks", ["shrink", "small"])]


def test_a_missing_slug_is_made_from_the_prompt():
    text = HEADER + ",cnn-vision,,What does a pooling layer do?,It downsamples.,\n"
    assert csv_format.parse(text, "sheet.csv").questions[0].slug == "what-does-a-pooling-layer-do"


def test_errors_name_the_line_where_the_row_starts_even_after_multi_line_cells():
    text = (
        HEADER
        + 'first,cnn-vision,,"A prompt\nover\nthree lines",Fine.,\n'  # lines 2-4
        + "second,cnn-vision,,Another prompt,,\n"  # line 5: no reference
    )
    with pytest.raises(FormatError) as exc:
        csv_format.parse(text, "sheet.csv")
    assert [str(p) for p in exc.value.problems] == ["sheet.csv:5: a reference answer is required"]


def test_it_reports_every_bad_row():
    text = HEADER + "a,cnn-vision,,P,R,\nb,cnn-vision,,P,R,x,extra\nc,cnn-vision,,P,R,\n" + "a,cnn-vision,,P,R,\n"
    with pytest.raises(FormatError) as exc:
        csv_format.parse(text, "sheet.csv")
    assert [p.line for p in exc.value.problems] == [3, 5]
    assert "7 cells" in exc.value.problems[0].message
    assert "earlier row" in exc.value.problems[1].message


def test_a_bad_number_names_the_line():
    text = "slug,topic,prompt,references,time_limit_seconds\nq,cnn-vision,P,R,soon\n"
    with pytest.raises(FormatError, match=r"sheet.csv:2: time_limit_seconds 'soon' is not a whole number"):
        csv_format.parse(text, "sheet.csv")


def test_unknown_or_missing_columns_are_refused_on_line_one():
    with pytest.raises(FormatError) as exc:
        csv_format.parse("slug,question,answer\n", "sheet.csv")
    problem = exc.value.problems[0]
    assert problem.line == 1
    assert "missing column(s) prompt, references, topic" in problem.message
    assert "unknown column(s) question, answer" in problem.message


def test_a_topic_given_by_name_becomes_a_slug():
    text = "topic,prompt,references\nTraining and optimisation,P?,R.\n"
    assert csv_format.parse(text, "sheet.csv").questions[0].topic == "training-and-optimisation"


def test_a_broken_json_key_point_cell_names_the_line():
    text = HEADER + 'q,cnn-vision,,P,R,"[{""label"": 1}]"\n'
    with pytest.raises(FormatError, match=r"sheet.csv:2: key_points: the JSON list must hold"):
        csv_format.parse(text, "sheet.csv")
