"""Standard users and a small bank for every test: a candidate, a curator and a stranger."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from interviews import bank
from interviews.models import KeyPoint, Question, ReferenceAnswer, Topic


@pytest.fixture(autouse=True)
def _fresh_engine_cache():
    bank.clear_cache()
    yield
    bank.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_django_cache():
    """Counters kept in the cache (password-reset requests) start from zero in every test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return "correct-horse-battery-staple"


@pytest.fixture
def candidate(django_user_model, password):
    return django_user_model.objects.create_user("alice", "alice@example.com", password)


@pytest.fixture
def stranger(django_user_model, password):
    return django_user_model.objects.create_user("mallory", "mallory@example.com", password)


@pytest.fixture
def curator(django_user_model, password):
    return django_user_model.objects.create_user("carol", "carol@example.com", password, is_staff=True)


@pytest.fixture
def candidate_client(client, candidate):
    client.force_login(candidate)
    return client


def make_question(
    *,
    slug: str,
    topic: Topic,
    prompt: str,
    references: list[str],
    key_points: list[tuple[str, list[str]]] = (),
    difficulty: str = "medium",
    status: str = "published",
) -> Question:
    question = Question.objects.create(
        slug=slug, topic=topic, prompt=prompt, difficulty=difficulty, status=status, time_limit_seconds=180
    )
    for i, text in enumerate(references):
        ReferenceAnswer.objects.create(question=question, text=text, position=i)
    for i, (label, phrasings) in enumerate(key_points):
        KeyPoint.objects.create(question=question, label=label, phrasings=phrasings, position=i)
    return question


@pytest.fixture
def topic() -> Topic:
    return Topic.objects.create(slug="training-optimisation", name="Training and optimisation")


@pytest.fixture
def other_topic() -> Topic:
    return Topic.objects.create(slug="cnn-vision", name="CNNs and computer vision")


@pytest.fixture
def question(topic) -> Question:
    return make_question(
        slug="vanishing-gradients",
        topic=topic,
        prompt="What is the vanishing gradient problem and how do you mitigate it?",
        references=[
            "During backpropagation the gradient is multiplied by the derivative of every layer. With "
            "saturating activations such as sigmoid or tanh those derivatives are small, so the gradient "
            "shrinks exponentially and the early layers barely learn. Remedies include ReLU activations, "
            "careful weight initialisation such as He or Xavier, batch normalisation, residual connections "
            "and, for recurrent networks, gated cells like LSTM or GRU."
        ],
        key_points=[
            (
                "Gradients shrink as they are multiplied back through many layers",
                ["gradient shrinks", "multiplied", "exponentially small"],
            ),
            ("Saturating activations such as sigmoid or tanh cause it", ["sigmoid", "tanh", "saturating"]),
            ("ReLU-family activations help", ["relu", "leaky relu"]),
            (
                "Residual connections or normalisation help",
                ["residual connection", "skip connection", "batch norm"],
            ),
        ],
    )


@pytest.fixture
def other_question(other_topic) -> Question:
    return make_question(
        slug="pooling-layers",
        topic=other_topic,
        prompt="What does a pooling layer do in a convolutional network?",
        references=[
            "A pooling layer downsamples feature maps by summarising small neighbourhoods, usually with the "
            "maximum or the average. It reduces the spatial size and the computation of later layers and "
            "makes the representation more tolerant of small translations of the input."
        ],
        key_points=[
            ("Downsamples feature maps", ["downsample", "reduce spatial size"]),
            ("Max or average", ["max pooling", "average pooling"]),
            ("Translation invariance", ["translation", "invariance"]),
        ],
        difficulty="easy",
    )
