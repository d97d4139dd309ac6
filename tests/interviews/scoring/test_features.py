import math

import pytest

from interviews.scoring.features import Idf, _char_grams, compare, prepare

DOCS = [
    "Dropout randomly zeroes activations during training so units cannot co-adapt.",
    "Batch normalisation normalises activations over the mini-batch and speeds up training.",
    "Residual connections let gradients flow through very deep networks.",
]


def chargram_cosine_by_dicts(a_weights: dict[str, float], r_weights: dict[str, float]) -> float:
    """The definition, written plainly: each term spreads sqrt(weight) over its n-grams."""

    def vector(weights):
        out: dict[str, float] = {}
        for term, w in weights.items():
            grams = _char_grams(term)
            for g in grams:
                out[g] = out.get(g, 0.0) + math.sqrt(w) / len(grams)
        return out

    a, r = vector(a_weights), vector(r_weights)
    dot = sum(a[g] * r[g] for g in a.keys() & r.keys())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in r.values()))
    return dot / norm


@pytest.mark.parametrize(
    "answer",
    [
        "Dropout zeroes random activations while training, so neurons can't co-adapt.",
        "It normalises the batch.",
        "completely unrelated words about cooking pasta",
    ],
)
def test_the_vectorised_chargram_feature_equals_its_plain_definition(answer):
    idf = Idf.fit(DOCS)
    question_stems = frozenset({"dropout"})
    a, r = prepare(answer, question_stems, idf), prepare(DOCS[0], question_stems, idf)
    assert compare(a, r, 0.0)["chargram"] == pytest.approx(chargram_cosine_by_dicts(a.weights, r.weights))


def test_the_stripped_text_drops_only_the_questions_words():
    idf = Idf.fit(DOCS)
    prepared = prepare("Dropout zeroes the activations", frozenset({"dropout"}), idf)
    assert prepared.stripped == "zeroes the activations"
