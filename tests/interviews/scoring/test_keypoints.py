from interviews.scoring.keypoints import AnswerGrams, match_key_points, prepare_key_point
from interviews.scoring.types import KeyPointSpec


def matches(answer, *specs):
    return match_key_points(AnswerGrams(answer), tuple(prepare_key_point(s) for s in specs))


def test_a_phrasing_matches_despite_a_typo():
    (kp,) = matches("we add a regularisaton term", KeyPointSpec("Regularisation", ("regularisation",)))
    assert kp.covered and kp.matched == ("regularisaton",)


def test_a_multi_word_phrasing_matches_plural_forms():
    (kp,) = matches("it has several hidden layers", KeyPointSpec("Depth", ("hidden layer",)))
    assert kp.covered and kp.matched == ("hidden", "layers")


def test_short_abbreviations_must_match_exactly():
    spec = KeyPointSpec("Batch norm", ("BN",))
    assert matches("we use BN after each conv", spec)[0].covered
    assert not matches("we use BM after each conv", spec)[0].covered


def test_an_absent_point_is_missed_with_no_words():
    (kp,) = matches("nothing relevant here", KeyPointSpec("Attention", ("self-attention",)))
    assert not kp.covered and kp.matched == ()


def test_without_phrasings_the_label_words_are_used():
    spec = KeyPointSpec("Gradients vanish in deep networks")
    assert matches("in deep networks the gradients vanish", spec)[0].covered
    assert not matches("the weather is nice", spec)[0].covered


def test_a_phrasing_that_begins_with_a_function_word_matches_word_for_word():
    spec = KeyPointSpec("More data helps", ("more data",))
    assert matches("collecting more data reduces variance", spec)[0].covered
    assert not matches("collecting data reduces variance", spec)[0].covered


def test_function_word_edges_do_not_make_fuzzy_matches():
    spec = KeyPointSpec("No learned parameters", ("no learned parameters",))
    assert not matches("it has learned parameters", spec)[0].covered
