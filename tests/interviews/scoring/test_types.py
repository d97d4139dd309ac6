from dataclasses import asdict

from interviews.scoring import Engine
from tests.interviews.scoring.conftest import ATTENTION, BATCHNORM, DROPOUT


def test_the_stored_explanation_is_the_explanation_as_asdict_gives_it():
    engine = Engine.fit([DROPOUT, ATTENTION, BATCHNORM])
    answer = "Dropout zeroes random units while training so they cannot co-adapt; like an ensemble."
    result = engine.score(answer, DROPOUT)
    assert result.explanation.key_points and any(kp.matched for kp in result.explanation.key_points)
    assert result.explanation_dict() == asdict(result.explanation)
    empty = engine.score("", DROPOUT)
    assert empty.explanation.rule and empty.explanation_dict() == asdict(empty.explanation)
