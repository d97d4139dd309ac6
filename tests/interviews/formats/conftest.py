"""A bundle with every awkward thing a codec must carry: GIFT's special characters, line breaks,
several references, key-point text that clashes with the CSV encoding, non-ASCII text, a key
point with a concept."""

from __future__ import annotations

import pytest

from interviews.formats import Bundle, KeyPointData, QuestionData, TopicData


def make_bundle() -> Bundle:
    return Bundle(
        topics=[
            TopicData(slug="training-optimisation", name="Training and optimisation", description="SGD, Adam & co."),
            TopicData(slug="cnn-vision", name="CNNs / vision", description=""),
        ],
        questions=[
            QuestionData(
                uuid="0b8f0f44-6a2b-4c43-9a55-1f3f1d5d9a01",
                slug="vanishing-gradients",
                topic="training-optimisation",
                prompt="What is the vanishing gradient problem: why {does} it happen?",
                references=[
                    "Gradients shrink ~exponentially as they flow back; x = y # not a comment.\n\n"
                    "A second paragraph with a backslash \\ and braces {like this}.",
                ],
                key_points=[
                    KeyPointData("Gradients shrink through many layers", ["gradient shrinks", "exponentially small"]),
                    KeyPointData("Sigmoid/tanh saturate", ["sigmoid", "tanh"]),
                    KeyPointData("A label without phrasings", []),
                ],
                difficulty="hard",
                time_limit_seconds=300,
                status="published",
                source="seeds/001_bb0412ce525cf09f.txt, Q9",
            ),
            QuestionData(
                uuid="0b8f0f44-6a2b-4c43-9a55-1f3f1d5d9a02",
                slug="pooling-layers",
                topic="cnn-vision",
                prompt="Qu'est-ce qu'un « pooling » layer? Answer: in words.",
                references=["[Bracketed] first reference.", "Second reference — with an em dash."],
                key_points=[
                    KeyPointData("Max | average", ["max pooling", "a::b"]),
                    KeyPointData("Downsamples", ["reduce spatial size"], concept="pooling"),
                ],
                difficulty="easy",
                time_limit_seconds=60,
                status="draft",
                source="",
            ),
        ],
    )


@pytest.fixture
def bundle() -> Bundle:
    return make_bundle()


def comparable(bundle: Bundle) -> tuple:
    """What must survive a round trip (positions in the file aside)."""
    return (
        [(t.slug, t.name, t.description) for t in bundle.topics],
        [
            (
                q.uuid,
                q.slug,
                q.topic,
                q.prompt,
                q.references,
                [(kp.label, kp.phrasings, kp.concept) for kp in q.key_points],
                q.difficulty,
                q.time_limit_seconds,
                q.status,
                q.source,
            )
            for q in bundle.questions
        ],
    )
