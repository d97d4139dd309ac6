from interviews.scoring.text import content_stems, stem, without_words


def test_stemming_joins_inflected_forms():
    assert stem("layers") == stem("layer")
    assert stem("normalised") == stem("normalized") == stem("normalise")
    assert stem("training") == stem("trained") == stem("train")


def test_function_words_are_not_content():
    assert content_stems("the output of the layer") == [stem("output"), stem("layer")]


def test_question_words_are_removed_from_a_text():
    drop = frozenset(content_stems("Why do neural networks overfit?"))
    assert without_words("Networks overfit when data is scarce", drop) == "when data is scarce"
