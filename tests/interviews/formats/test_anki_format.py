import csv
import io

import pytest

from interviews.formats import FormatError, KeyPointData, anki_format

HEADERS = ["#separator:tab", "#html:true", "#notetype:Basic", "#guid column:1", "#deck column:4", "#tags column:5"]


def _notes(text: str) -> list[list[str]]:
    """The note lines of an export, split as Anki splits them."""
    body = text.split("\n", len(HEADERS))[-1]
    return list(csv.reader(io.StringIO(body, newline=""), delimiter="\t"))


def test_it_writes_anki_headers_then_one_line_per_question(bundle):
    text = anki_format.serialise(bundle)
    lines = text.splitlines()
    assert lines[:6] == HEADERS
    assert len(lines) == 8
    assert all(len(notes) == 5 for notes in _notes(text))


def test_each_note_holds_guid_front_back_deck_and_tags(bundle):
    bundle.questions[0].prompt = "Is 1 < 2 & 3 > 2?\nSay why."
    first, second = _notes(anki_format.serialise(bundle))
    assert first[0] == "vanishing-gradients"  # the slug: the same note in Anki, the same question in the bank
    assert first[1] == "Is 1 &lt; 2 &amp; 3 &gt; 2?<br>Say why."
    assert first[2] == (
        "Gradients shrink ~exponentially as they flow back; x = y # not a comment.<br><br>"
        "A second paragraph with a backslash \\ and braces {like this}."
        '<div class="key-points"><b>Key points</b><ul><li>Gradients shrink through many layers</li>'
        "<li>Sigmoid/tanh saturate</li><li>A label without phrasings</li></ul></div>"
    )
    assert first[3:] == ["MLPrep::Training and optimisation", "training-optimisation hard"]
    assert second[2].startswith("[Bracketed] first reference.<hr>Second reference — with an em dash.<div")
    assert "max pooling" not in second[2] and "pooling</li>" not in second[2]  # no phrasings, no concepts
    assert second[3:] == ["MLPrep::CNNs / vision", "cnn-vision easy"]


def test_a_deck_stays_one_level_below_mlprep(bundle):
    bundle.topics[1].name = "CNNs::vision::::2D"
    second = _notes(anki_format.serialise(bundle))[1]
    assert second[3] == "MLPrep::CNNs:vision:2D"


def test_a_round_trip_keeps_what_anki_can_carry(bundle):
    again = anki_format.parse(anki_format.serialise(bundle), "deck.txt")
    assert [(q.slug, q.prompt, q.references, q.difficulty) for q in again.questions] == [
        (q.slug, q.prompt, q.references, q.difficulty) for q in bundle.questions
    ]
    assert [q.key_points for q in again.questions] == [
        [KeyPointData(kp.label) for kp in q.key_points] for q in bundle.questions
    ]
    assert [(t.slug, t.name, t.description) for t in again.topics] == [
        ("training-and-optimisation", "Training and optimisation", None),
        ("cnns-vision", "CNNs / vision", None),
    ]
    assert [q.topic for q in again.questions] == ["training-and-optimisation", "cnns-vision"]


def test_what_anki_cannot_carry_comes_back_as_the_defaults(bundle):
    pooling = anki_format.parse(anki_format.serialise(bundle), "deck.txt").questions[1]
    assert (pooling.uuid, pooling.status, pooling.time_limit_seconds) == (None, "published", 180)
    assert (pooling.source, pooling.file, pooling.line) == ("deck.txt, line 8", "deck.txt", 8)


def test_tabs_quotes_and_markup_in_texts_keep_the_lines_intact(bundle):
    bundle.questions[0].prompt = '"Quoted" start,\ta tab and a literal <hr> tag'
    bundle.questions[0].references = ['He said "no".\tThen <br> left.']
    text = anki_format.serialise(bundle)
    assert len(text.splitlines()) == 8
    first = anki_format.parse(text, "deck.txt").questions[0]
    assert first.prompt == '"Quoted" start, a tab and a literal <hr> tag'
    assert first.references == ['He said "no". Then <br> left.']


MADE_IN_ANKI = """\
#separator:tab
#html:true
#deck:ML interviews::Vision
#tags column:3
What does a <b>pooling</b> layer do?\t<div>It downsamples feature maps.</div><div>Max&nbsp;pooling keeps the \
largest&nbsp;value.</div>\tcnn Hard

Why use <i>stride</i>&nbsp;2?<br>\tFewer positions, &lt;cheaper&gt;.<br><br><br><br>Less overlap.\t
"""


def test_a_deck_made_in_anki_reads_as_questions_with_plain_text():
    pooling, stride = anki_format.parse(MADE_IN_ANKI, "vision.txt").questions
    assert pooling.prompt == "What does a pooling layer do?"
    assert pooling.references == ["It downsamples feature maps.\nMax pooling keeps the largest value."]
    assert (pooling.topic, pooling.difficulty, pooling.uuid, pooling.key_points) == ("vision", "hard", None, [])
    assert (pooling.slug, pooling.line, pooling.source) == ("what-does-a-pooling-layer-do", 5, "vision.txt, line 5")
    assert stride.prompt == "Why use stride 2?"
    assert stride.references == ["Fewer positions, <cheaper>.\n\nLess overlap."]
    assert (stride.difficulty, stride.line) == ("medium", 7)


def test_the_deck_header_is_a_topic_by_its_last_part():
    bundle = anki_format.parse(MADE_IN_ANKI, "vision.txt")
    assert [(t.slug, t.name, t.description) for t in bundle.topics] == [("vision", "Vision", None)]


def test_an_anki_guid_is_not_a_uuid_and_a_uuid_guid_is():
    text = (
        "#separator:Tab\n#guid column:1\n"
        "f~Q#2x!kP\tWhat is ReLU?\tmax(0, x).\n"
        "{0B8F0F44-6A2B-4C43-9A55-1F3F1D5D9A01}\tWhat is GELU?\tA smooth ReLU.\n"
    )
    relu, gelu = anki_format.parse(text, "deck.txt").questions
    assert (relu.uuid, relu.slug) == (None, "what-is-relu")
    assert (gelu.uuid, gelu.slug) == ("0b8f0f44-6a2b-4c43-9a55-1f3f1d5d9a01", "what-is-gelu")


def test_a_guid_shaped_like_a_slug_is_the_slug_once_per_file():
    text = "#separator:tab\n#guid column:1\nrelu-basics\tWhat is ReLU?\tmax(0, x).\nrelu-basics\tAgain?\tYes.\n"
    with pytest.raises(FormatError) as exc:
        anki_format.parse(text, "deck.txt")
    assert [str(p) for p in exc.value.problems] == ["deck.txt:4: the guid 'relu-basics' is another note's too"]
    first = anki_format.parse(text.rsplit("relu-basics", 1)[0], "deck.txt").questions[0]
    assert (first.slug, first.uuid) == ("relu-basics", None)


def test_without_a_deck_questions_go_to_the_imported_topic_and_header_tags_count():
    bundle = anki_format.parse("#tags:ml easy\nWhy?\tBecause.\n", "deck.txt")
    assert (bundle.questions[0].topic, bundle.questions[0].difficulty) == ("imported", "easy")
    assert [(t.slug, t.name) for t in bundle.topics] == [("imported", "Imported questions")]


def test_a_deck_named_by_a_slug_gets_a_name_from_it():
    bundle = anki_format.parse("#deck:MLPrep::cnn-vision\nWhy?\tBecause.\n", "deck.txt")
    assert [(t.slug, t.name) for t in bundle.topics] == [("cnn-vision", "Cnn vision")]


def test_without_an_html_header_fields_are_plain_text():
    bundle = anki_format.parse("#separator:tab\nIs a <b> bold?\tOnly if a < b &amp; b > c.\n", "deck.txt")
    assert bundle.questions[0].prompt == "Is a <b> bold?"
    assert bundle.questions[0].references == ["Only if a < b &amp; b > c."]


COMMAS = """\
#separator:Comma
#html:false
What is dropout?,"It zeroes activations at random, during training,
so units cannot co-adapt."
# a comment line, as Anki allows
"What does ""early stopping"" mean?",Training stops when validation loss stalls.
"""


def test_a_quoted_field_may_hold_the_separator_and_line_breaks():
    dropout, stopping = anki_format.parse(COMMAS, "deck.txt").questions
    assert dropout.references == ["It zeroes activations at random, during training,\nso units cannot co-adapt."]
    assert stopping.prompt == 'What does "early stopping" mean?'
    assert (dropout.line, stopping.line) == (3, 6)


def test_problems_after_a_multi_line_note_name_the_real_file_lines():
    with pytest.raises(FormatError) as exc:
        anki_format.parse(COMMAS + "\nWhy scale at test time?,\nA lonely line\n", "deck.txt")
    assert [str(p) for p in exc.value.problems] == [
        "deck.txt:8: the note has no answer (its second field is empty)",
        "deck.txt:9: a note needs a question and an answer, but this line has 1 field; is the separator (comma) right?",
    ]


def test_every_problem_is_reported_with_its_line():
    text = (
        "#separator:Banana\n"
        "#notetype:Cloze\n"
        "#deck column:zero\n"
        "Fine?\tFine.\n"
        "Why?\t\n"
        "a lonely field\n"
        "\tAn answer without a question.\n"
    )
    with pytest.raises(FormatError) as exc:
        anki_format.parse(text, "deck.txt")
    assert [str(p) for p in exc.value.problems] == [
        "deck.txt:1: unknown separator 'Banana'; use one of tab, comma, semicolon, space, pipe, colon",
        "deck.txt:2: notetype 'Cloze': cloze notes are not question-and-answer notes",
        "deck.txt:3: deck column must be a column number (1, 2, ...), not 'zero'",
        "deck.txt:5: the note has no answer (its second field is empty)",
        "deck.txt:6: a note needs a question and an answer, but this line has 1 field; is the separator (tab) right?",
        "deck.txt:7: the note has no question (its first field is empty)",
    ]


def test_a_cloze_note_in_a_notetype_column_is_refused_on_its_line():
    text = "#notetype column:1\nBasic\tWhy?\tBecause.\nCloze\t{{c1::Paris}} is in France.\t\n"
    with pytest.raises(FormatError, match=r"deck.txt:3: notetype 'Cloze': cloze notes are not"):
        anki_format.parse(text, "deck.txt")


def test_a_quote_that_is_never_closed_is_an_error_not_a_swallowed_file():
    with pytest.raises(FormatError, match=r"deck.txt:2: a quoted field opened on this line is never closed"):
        anki_format.parse('Why?\tBecause.\nHow?\t"Like this.\nWhat?\tThat.\n', "deck.txt")


def test_an_html_answer_with_only_markup_has_no_answer():
    with pytest.raises(FormatError, match=r"deck.txt:2: the note has no answer"):
        anki_format.parse("#html:true\nWhy?\t<div><br></div><hr>&nbsp;\n", "deck.txt")


@pytest.mark.parametrize(
    ("text", "looks"),
    [
        ("#separator:tab\nQ\tA\n", True),
        ("#HTML:true\nQ\tA\n", True),
        ("#Guid Column:1\n", True),
        ("Topic: Vision\nQ1: Why?\nAnswer: Because.\n", False),
        ("# Interview questions\nQ1: Why?\n", False),
        ("Q1: What does #separator: mean?\n", False),
    ],
)
def test_only_a_first_line_that_is_an_anki_header_looks_like_anki(text, looks):
    assert anki_format.looks_like_anki(text) is looks
