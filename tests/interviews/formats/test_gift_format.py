import pytest

from interviews.formats import FormatError, KeyPointData, gift_format
from interviews.formats.gift_format import escape, unescape
from tests.interviews.formats.conftest import comparable


def test_it_round_trips_a_bundle_without_loss(bundle):
    text = gift_format.serialise(bundle)
    assert comparable(gift_format.parse(text, "bank.gift")) == comparable(bundle)


def test_it_writes_essays_with_the_reference_in_the_general_feedback(bundle):
    text = gift_format.serialise(bundle)
    assert "$CATEGORY: Training and optimisation" in text
    assert "$CATEGORY: CNNs // vision" in text
    assert "::vanishing-gradients::What is the vanishing gradient problem\\: why \\{does\\} it happen? {" in text
    assert "####Gradients shrink \\~exponentially as they flow back; x \\= y \\# not a comment.\\n\\n" in text


@pytest.mark.parametrize("text", ["a ~ b = c # d { e } f : g \\ h", "line one\nline two", "\\n is not a break"])
def test_escaping_reads_back_the_same_text(text):
    assert unescape(escape(text)) == text


PLAIN_MOODLE = """\
// A plain Moodle export: no mlprep comments.
$CATEGORY: $course$/top/Deep learning/Training and optimisation

::Q1 Vanishing gradients::What is the vanishing gradient problem?{
####Gradients shrink as they flow back through saturating layers\\: early layers learn slowly.
}

What does ReLU stand for? {=rectified linear unit =%50%ReLU#half marks}

::Capital::Which city is the capital of France? {=Paris ~London ~Berlin}
"""


def test_a_plain_moodle_file_imports_with_defaults():
    bundle = gift_format.parse(PLAIN_MOODLE, "moodle.gift")
    assert [(t.slug, t.name, t.description) for t in bundle.topics] == [
        ("training-and-optimisation", "Training and optimisation", None)
    ]
    essay, short = bundle.questions
    assert essay.slug == "q1-vanishing-gradients"
    assert essay.references == [
        "Gradients shrink as they flow back through saturating layers: early layers learn slowly."
    ]
    assert (essay.difficulty, essay.time_limit_seconds, essay.status, essay.line) == ("medium", 180, "published", 4)
    assert short.slug == "what-does-relu-stand-for"
    assert short.references == ["rectified linear unit", "ReLU"]
    assert short.key_points == [KeyPointData("rectified linear unit", ["rectified linear unit", "ReLU"])]


def test_unsupported_question_types_are_skipped_with_a_warning_naming_the_line():
    bundle = gift_format.parse(PLAIN_MOODLE, "moodle.gift")
    assert [str(w) for w in bundle.warnings] == ["moodle.gift:10: a multiple-choice question: skipped"]


def test_questions_without_a_category_go_to_the_imported_topic():
    bundle = gift_format.parse("Why? {####Because.}", "q.gift")
    assert bundle.questions[0].topic == "imported"
    assert bundle.topics[0].slug == "imported"


def test_an_essay_without_a_reference_names_its_line():
    with pytest.raises(FormatError) as exc:
        gift_format.parse("$CATEGORY: Misc\n\n\nWhy is the sky blue? {}\n", "q.gift")
    assert str(exc.value.problems[0]).startswith(
        "q.gift:4: why-is-the-sky-blue: an essay question needs its reference answer"
    )


def test_an_unclosed_brace_names_the_question_line():
    with pytest.raises(FormatError, match=r"q.gift:3: '\{' is never closed"):
        gift_format.parse("// header\n\nWhy? {####Because.\n", "q.gift")


def test_broken_mlprep_json_names_the_comment_line():
    text = '$CATEGORY: Misc\n\n// mlprep: {"difficulty": "hard",}\n::why::Why? {####Because.}\n'
    with pytest.raises(FormatError, match=r"q.gift:3: invalid JSON in mlprep comment"):
        gift_format.parse(text, "q.gift")


def test_mlprep_values_are_checked_like_any_other_format():
    text = '// mlprep: {"difficulty": "extreme"}\n::why::Why? {####Because.}\n'
    with pytest.raises(FormatError, match=r"q.gift:2: why: difficulty 'extreme' must be one of"):
        gift_format.parse(text, "q.gift")
