import pytest

from interviews.scoring import rules


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "  \n",
        "?",
        "...",
        "I don't know",
        "i dont know the answer",
        "I do not remember this one.",
        "Sorry, no idea.",
        "idk",
        "Not sure",
        "I'm not sure, sorry",
        "not answered",
        "NO ANSWER",
        "pass",
        "Skip",
        "N/A",
        "I give up",
    ],
)
def test_statements_of_not_knowing_are_no_answer(answer):
    assert rules.is_no_answer(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "not sure, but dropout zeroes random activations while training",
        "pass by reference",
        "I know this: batch norm standardises each feature",
        "none",
        "n-1",
        "it is not answered by the model",
        "O(n log n)",
    ],
)
def test_an_answer_that_says_something_is_not_a_no_answer(answer):
    assert not rules.is_no_answer(answer)
