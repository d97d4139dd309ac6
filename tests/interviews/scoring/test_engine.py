import pytest

from interviews.scoring import Engine, QuestionSpec, band_for
from interviews.scoring.engine import BANDS
from tests.interviews.scoring.conftest import ATTENTION, BATCHNORM, DROPOUT

PARAPHRASE = (
    "During training dropout switches off a random subset of neurons by zeroing their outputs, "
    "so every step uses a different smaller network. Neurons can't depend on particular other "
    "neurons, which is similar to averaging an ensemble of networks and reduces overfitting. When "
    "testing we keep every neuron and scale the activations so the expected value is unchanged."
)
UNRELATED = "My favourite holiday was a trip to the mountains where we went hiking and fishing."
TYPO_CORRECT = (
    "Dropuot randomy sets some activatons to zero while trainning, so the netwrok cant co-adapt "
    "and it behaves like an ensembel of thinned sub-netwroks; at test time we scale activatons."
)
FLUENT_WRONG = (
    "Dropout is when the learning rate is lowered gradually during training so the optimiser "
    "settles into a minimum; it makes the loss curve smoother and helps convergence of the model."
)


def score(engine, answer, question=DROPOUT):
    return engine.score(answer, question)


def test_an_empty_answer_scores_zero_with_the_no_answer_rule(engine):
    for blank in ("", "   ", "\n\t"):
        result = score(engine, blank)
        assert result.score == 0
        assert result.explanation.rule == "no answer"
        assert result.band == "off-topic"


def test_saying_i_dont_know_scores_zero_as_no_answer_not_by_the_model(engine):
    for said in ("I don't know", "Sorry, no idea.", "not answered"):
        result = score(engine, said)
        assert (result.score, result.explanation.rule) == (0, "no answer")
        assert not any(kp.covered for kp in result.explanation.key_points)
        assert "partial answer earns partial credit" in result.explanation.message
    assert score(engine, "  ").explanation.message == "No answer was given."
    hedged = score(engine, "Not sure, but " + PARAPHRASE)
    assert hedged.explanation.rule != "no answer"
    assert hedged.score > 45


def test_gibberish_scores_near_zero(engine):
    result = score(engine, "asdkj qwpoe zmxnv lkjhg poiuy trewq")
    assert result.score <= 5


def test_an_unrelated_answer_scores_near_zero(engine):
    assert score(engine, UNRELATED).score <= 5


def test_an_answer_to_another_question_scores_low(engine):
    other = BATCHNORM.references[0]
    assert score(engine, other).score < 45
    assert score(engine, other).score < score(engine, PARAPHRASE).score - 20


def test_a_paraphrase_beats_an_unrelated_answer(engine):
    assert score(engine, PARAPHRASE).score > score(engine, UNRELATED).score + 40


def test_a_typo_laden_correct_answer_beats_a_fluent_wrong_one(engine):
    assert score(engine, TYPO_CORRECT).score > score(engine, FLUENT_WRONG).score


def test_restating_the_question_scores_low(engine):
    for question in (DROPOUT, BATCHNORM, ATTENTION):
        restated = question.prompt
        result = engine.score(restated, question)
        assert result.score < 20, question.key
        assert engine.score(restated, question).score < engine.score(question.references[0], question).score


def test_restating_the_question_in_other_order_scores_low(engine):
    result = score(engine, "Dropout reduces overfitting in neural networks, that is why.")
    assert result.score < 25


def test_an_exact_reference_scores_at_least_95(engine):
    for question in (DROPOUT, BATCHNORM, ATTENTION):
        result = engine.score(question.references[0], question)
        assert result.score >= 95
        assert result.band == "strong"


def test_keyword_stuffing_is_capped_below_a_real_explanation(engine):
    phrasings = [p for kp in DROPOUT.key_points for p in kp.phrasings]
    stuffed = score(engine, ", ".join(phrasings))
    assert stuffed.explanation.rule == "keyword list"
    assert stuffed.score < score(engine, PARAPHRASE).score
    assert stuffed.score <= engine.calibration.rules["keyword_cap"]


def test_length_alone_is_not_rewarded(engine):
    reference = DROPOUT.references[0]
    padded = reference + " " + " ".join([UNRELATED] * 6)
    assert score(engine, padded).score <= score(engine, reference).score
    assert score(engine, " ".join([UNRELATED] * 10)).score <= 5


def test_more_key_points_covered_scores_higher(engine):
    one = "Dropout randomly sets activations to zero during training."
    two = one + " This stops units from co-adapting, like an ensemble of thinned sub-networks."
    assert score(engine, two).score > score(engine, one).score


def test_every_explanation_lists_covered_and_missed_key_points(engine):
    answer = "Dropout randomly drops units during training, like training an ensemble."
    for text in ("", UNRELATED, answer, DROPOUT.references[0]):
        explanation = score(engine, text).explanation
        labels = [kp.label for kp in explanation.key_points]
        assert labels == [kp.label for kp in DROPOUT.key_points]
        assert len(explanation.covered) + len(explanation.missed) == len(DROPOUT.key_points)
    partial = score(engine, answer).explanation
    assert {kp.label for kp in partial.covered} >= {
        "Randomly zeroes activations during training",
        "Acts like an ensemble of sub-networks",
    }
    assert "Prevents co-adaptation of units" in {kp.label for kp in partial.missed}


def test_covered_key_points_report_the_answer_words_that_matched(engine):
    result = score(engine, "It is basically an ensembel of many networks.")
    ensemble = next(kp for kp in result.explanation.key_points if "ensemble" in kp.label)
    assert ensemble.covered
    assert "ensembel" in ensemble.matched


def test_missing_terms_name_important_reference_words_the_answer_lacks(engine):
    result = score(engine, "Dropout randomly zeroes activations while training.")
    missing = result.explanation.missing_terms
    assert missing
    assert all(term.lower() in DROPOUT.references[0].lower() for term in missing)
    assert "activations" not in missing


def test_a_score_near_a_band_boundary_is_marked_unsure(engine):
    results = [score(engine, text) for text in (PARAPHRASE, TYPO_CORRECT, FLUENT_WRONG)]
    for result in results:
        if result.explanation.rule is None and any(abs(result.score - floor) <= 2 for floor, _ in BANDS[:-1]):
            assert result.explanation.unsure
    assert not score(engine, "").explanation.unsure


def test_a_question_that_was_not_fitted_is_scored_on_the_fly(engine):
    edited = QuestionSpec(
        key=DROPOUT.key,
        prompt="What does early stopping do?",
        references=("Early stopping halts training when the validation loss stops improving.",),
    )
    answer = "It stops training once validation loss no longer improves, to avoid overfitting."
    assert engine.score(answer, edited).score > engine.score(answer, DROPOUT).score
    assert engine.score(PARAPHRASE, DROPOUT).score == score(engine, PARAPHRASE).score


def test_the_best_of_several_references_counts():
    second = "Dropout drops random neurons each training step so the network cannot co-adapt."
    one = QuestionSpec("d1", DROPOUT.prompt, DROPOUT.references, DROPOUT.key_points)
    two = QuestionSpec("d2", DROPOUT.prompt, (*DROPOUT.references, second), DROPOUT.key_points)
    engine = Engine.fit([one, two])
    assert engine.score(second, two).score > engine.score(second, one).score


def test_results_carry_the_scorer_version_and_flat_numeric_parts(engine):
    result = score(engine, PARAPHRASE)
    assert result.version == engine.version != ""
    assert all(isinstance(k, str) and isinstance(v, float) for k, v in result.parts.items())
    assert 0 <= result.score <= 100
    assert result.band == band_for(result.score)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "strong"),
        (85, "strong"),
        (84, "good"),
        (45, "partial"),
        (20, "weak"),
        (0, "off-topic"),
    ],
)
def test_bands_follow_the_floors(score, band):
    assert band_for(score) == band


def _counting_text_preparation(monkeypatch) -> list[str]:
    """The texts the engine prepares (an answer, or a question's reference answers), as prepared."""
    from interviews.scoring import engine as engine_module

    prepared: list[str] = []
    original = engine_module.prepare

    def counting(text, *args):
        prepared.append(text)
        return original(text, *args)

    monkeypatch.setattr(engine_module, "prepare", counting)
    return prepared


def test_a_warmed_question_prepares_only_the_answer_when_scored(monkeypatch):
    engine = Engine.fit([DROPOUT, ATTENTION, BATCHNORM])
    assert engine.warm([DROPOUT, ATTENTION]) == 2
    prepared = _counting_text_preparation(monkeypatch)
    engine.score(PARAPHRASE, DROPOUT)
    assert prepared == [PARAPHRASE]
    engine.score(PARAPHRASE, BATCHNORM)  # not warmed: its references are prepared on this answer
    assert prepared[1:] == [*BATCHNORM.references, PARAPHRASE]


def test_warming_stops_when_the_cache_is_full(monkeypatch):
    from interviews.scoring import engine as engine_module

    monkeypatch.setattr(engine_module, "CACHE_SIZE", 2)
    engine = Engine.fit([DROPOUT, ATTENTION, BATCHNORM])
    assert engine.warm([DROPOUT, ATTENTION, BATCHNORM]) == 2
    prepared = _counting_text_preparation(monkeypatch)
    engine.score(PARAPHRASE, ATTENTION)
    assert prepared == [PARAPHRASE]
