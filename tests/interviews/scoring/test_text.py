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


def test_words_ending_in_s_that_are_not_plurals_keep_their_s():
    from interviews.scoring.text import stem

    assert stem("bias") == stem("biased") == "bias"
    assert stem("corpus") == "corpus" and stem("loss") == "loss"
    assert stem("gpus") == stem("gpu")


def test_mean_is_a_content_word_in_this_domain():
    from interviews.scoring.text import STOP_WORDS

    assert "mean" not in STOP_WORDS  # mean squared error, k-means
