"""The progress dashboard in a real browser. With MLPREP_SCREENSHOTS=1 it also saves
docs/screenshots/progress.png for the README."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from interviews.models import Topic
from tests.conftest import make_question
from tests.factories import make_attempt

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "progress.png"
TOPICS = ["Attention and transformers", "CNNs and vision", "Classical ML", "Optimisation", "Regularisation"]
POINTS = ["Vanishing gradient", "Residual connection", "Bias-variance trade-off", "Learning-rate warm-up"]


def _history(user) -> None:
    rng = random.Random(6)
    now = timezone.now()
    for t, name in enumerate(TOPICS):
        topic = Topic.objects.create(slug=f"topic-{t}", name=name)
        skill = [45, 72, 88, 55, 66][t]
        for i in range(4):
            q = make_question(slug=f"t{t}-q{i}", topic=topic, prompt=f"{name}: question {i}?", references=["A."])
            for _ in range(rng.randint(3, 8)):
                score = max(0, min(100, int(rng.gauss(skill, 12))))
                days = rng.uniform(0, 80)
                make_attempt(
                    user=user, question=q, score=score, created=now - timedelta(days=days),
                    key_points=[(p, rng.random() * 100 < score) for p in rng.sample(POINTS, 2)],
                )


def test_the_dashboard_draws_its_charts(logged_in_page, candidate):
    _history(candidate)
    page = logged_in_page
    page.goto("/progress/")
    assert page.locator("svg.chart").count() == 3
    assert page.get_by_role("img", name="Mastery per topic (0-100, recent attempts weigh more)").is_visible()
    assert page.get_by_text("Drill this topic").first.is_visible()
    if os.environ.get("MLPREP_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
