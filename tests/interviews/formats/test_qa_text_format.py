import pytest

from interviews.formats import FormatError, qa_text_format

SEED_STYLE = """\
Deep Learning Interview Questions
- Q1: What are autoencoders?
- Q2: What is an activation function?

Topic: Neural-network fundamentals
Q1: What are autoencoders?
Answer:
An autoencoder learns to copy its input through a narrow bottleneck.
It has an encoder and a decoder.

Q2: What is an activation function?
It is the non-linear function applied to each neuron's weighted sum.
Topic: cnn-vision
Q3: What does a pooling layer do?
And why is it useful?
Answer: It downsamples feature maps.
"""


def test_it_reads_seed_style_questions_and_answers():
    bundle = qa_text_format.parse(SEED_STYLE, "seeds/doc.txt")
    first, second, third = bundle.questions
    assert first.prompt == "What are autoencoders?"
    assert first.references == [
        "An autoencoder learns to copy its input through a narrow bottleneck.\nIt has an encoder and a decoder."
    ]
    assert (first.slug, first.topic, first.line, first.source) == (
        "what-are-autoencoders",
        "neural-network-fundamentals",
        6,
        "doc.txt, Q1",
    )
    assert first.key_points == []
    assert second.references == ["It is the non-linear function applied to each neuron's weighted sum."]
    assert third.prompt == "What does a pooling layer do? And why is it useful?"
    assert third.topic == "cnn-vision"
    assert [(t.slug, t.name, t.description) for t in bundle.topics] == [
        ("neural-network-fundamentals", "Neural-network fundamentals", None),
        ("cnn-vision", "Cnn vision", None),
    ]


def test_a_question_without_an_answer_names_its_line():
    with pytest.raises(FormatError) as exc:
        qa_text_format.parse("Q1: Why?\n\nQ2: How?\nAnswer: Like this.\n", "qa.txt")
    assert [str(p) for p in exc.value.problems] == [
        "qa.txt:1: Q1 has no answer (write it after the question, or on an 'Answer:' line)"
    ]


def test_an_answer_without_a_question_names_its_line():
    with pytest.raises(FormatError, match=r"qa.txt:2: an answer without a question line"):
        qa_text_format.parse("Intro\nAnswer: orphan\n", "qa.txt")


def test_it_exports_prompts_topics_and_answers_that_read_back(bundle):
    text = qa_text_format.serialise(bundle)
    assert text.startswith("Topic: Training and optimisation\n\nQ1: What is the vanishing gradient problem")
    again = qa_text_format.parse(text, "export.txt")
    assert [q.prompt for q in again.questions] == [q.prompt for q in bundle.questions]
    assert again.questions[0].references == bundle.questions[0].references
    assert again.questions[1].references == ["\n\n".join(bundle.questions[1].references)]


def test_repeated_prompts_get_distinct_slugs():
    bundle = qa_text_format.parse("Q1: Why?\nA: One.\nQ2: Why?\nA: Two.\n", "qa.txt")
    assert [q.slug for q in bundle.questions] == ["why", "why-2"]
