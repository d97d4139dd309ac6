"""Page speed with a heavy user: 100,000 attempts over 500 questions, on SQLite.

Times the progress dashboard, the history (plain and filtered), an attempt's page and the review
queue with Django's test Client, printing p50/p90 over several requests and the SQL query count.

Run: .venv/bin/python bench/bench_pages.py [--attempts 100000] [--questions 500] [--requests 20]
     [--db /tmp/mlprep-bench.sqlite3 --keep]   (reuse a generated database between runs)

The database is a separate SQLite file (never db.sqlite3); review states are built by replaying
every attempt through the same scheduling code the app uses.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "gradient", "loss", "layer", "weights", "bias", "variance", "regularisation", "dropout", "batch", "norm",
    "attention", "embedding", "optimizer", "learning", "rate", "momentum", "convolution", "pooling",
    "residual", "activation", "overfitting", "validation",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--topics", type=int, default=10)
    parser.add_argument("--days", type=int, default=730, help="spread the attempts over this many days")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--db", default="", help="SQLite file to use (default: a temporary file)")
    parser.add_argument("--keep", action="store_true", help="keep the database file (and reuse it if filled)")
    return parser.parse_args()


def setup_django(db_path: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = db_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(args: argparse.Namespace, rng: random.Random):
    from django.contrib.auth import get_user_model

    from interviews.models import Attempt, AttemptMode, KeyPoint, Question, ReferenceAnswer, ReviewState, Topic
    from interviews.services.reviews import next_review_data

    User = get_user_model()
    user = User.objects.filter(username="bench").first()
    if user is not None and Attempt.objects.filter(user=user).count() >= args.attempts:
        print(f"reusing {args.db}: {Attempt.objects.filter(user=user).count():,} attempts")
        return user
    started = time.perf_counter()
    topics = Topic.objects.bulk_create(
        [Topic(slug=f"topic-{i}", name=f"Topic {i:02d}") for i in range(args.topics)]
    )
    questions = Question.objects.bulk_create(
        [
            Question(
                slug=f"q-{i}",
                topic=topics[i % len(topics)],
                prompt=f"Question {i}: explain {' '.join(rng.sample(WORDS, 4))}?",
                status="published",
            )
            for i in range(args.questions)
        ]
    )
    labels = {q.pk: [f"Point {j} of {q.slug}: {' '.join(rng.sample(WORDS, 2))}" for j in range(4)] for q in questions}
    # A few concepts recur across questions, as "vanishing gradient" would in a real bank.
    shared = ["Vanishing gradient", "Residual connection", "Bias-variance trade-off"]
    for q in questions:
        labels[q.pk][3] = shared[q.pk % len(shared)]
    ReferenceAnswer.objects.bulk_create(
        [ReferenceAnswer(question=q, text=" ".join(rng.choices(WORDS, k=60))) for q in questions]
    )
    KeyPoint.objects.bulk_create(
        [KeyPoint(question=q, label=label, position=j) for q in questions for j, label in enumerate(labels[q.pk])]
    )
    user = User.objects.create_user("bench", "bench@example.com", "bench-password-123")
    other = User.objects.create_user("other", "other@example.com", "bench-password-123")

    now = datetime.now(UTC)
    skill = {q.pk: rng.uniform(20, 90) for q in questions}
    modes = [AttemptMode.PRACTICE] * 7 + [AttemptMode.REVIEW] * 2 + [AttemptMode.INTERVIEW]
    created_field = Attempt._meta.get_field("created")
    created_field.auto_now_add = False  # keep the generated timestamps
    rows = []
    for _ in range(args.attempts):
        q = rng.choice(questions)
        score = max(0, min(100, int(rng.gauss(skill[q.pk], 15))))
        covered = [rng.random() * 100 < score for _ in range(4)]
        rows.append(
            Attempt(
                user=user,
                question=q,
                answer=" ".join(rng.choices(WORDS, k=50)),
                score=score,
                band="strong" if score >= 85 else "good" if score >= 70 else "partial" if score >= 45 else "weak",
                parts={"similarity": score / 100, "key_points": sum(covered) / 4},
                feedback={
                    "key_points": [
                        {"label": label, "covered": c, "matched": [label.split()[-1]] if c else []}
                        for label, c in zip(labels[q.pk], covered, strict=True)
                    ],
                    "missing_terms": rng.sample(WORDS, 2),
                    "rule": None,
                    "message": "",
                    "unsure": False,
                },
                scorer_version="bench",
                mode=rng.choice(modes),
                created=now - timedelta(seconds=rng.uniform(0, args.days * 86400)),
            )
        )
    rows.sort(key=lambda a: a.created)
    Attempt.objects.bulk_create(rows, batch_size=5000)
    Attempt.objects.bulk_create(
        [
            Attempt(user=other, question=q, score=50, band="partial", scorer_version="bench", created=now)
            for q in questions[:50]
        ]
    )
    created_field.auto_now_add = True
    print(f"generated {len(rows):,} attempts in {time.perf_counter() - started:.1f} s", end="; ")

    started = time.perf_counter()
    states: dict[int, ReviewState] = {}
    for attempt in Attempt.objects.filter(user=user).order_by("created", "id").only(
        "pk", "question_id", "score", "created", "contested_at"
    ):
        state = states.get(attempt.question_id)
        if state is None:
            state = states[attempt.question_id] = ReviewState(user=user, question_id=attempt.question_id, card={})
        state.card, scheduled = next_review_data(state.card, attempt=attempt)
        state.due, state.last_reviewed, state.last_score = scheduled.due, attempt.created, attempt.score
        state.reviews += 1
        state.lapses += int(scheduled.lapsed)
    ReviewState.objects.bulk_create(states.values(), batch_size=1000)
    print(f"replayed the schedule of {len(states)} questions in {time.perf_counter() - started:.1f} s")
    return user


def time_pages(user, requests: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from interviews.models import Attempt

    client = Client()
    client.force_login(user)
    some = Attempt.objects.filter(user=user).order_by("-created").values_list("pk", flat=True).first()
    pages = [
        ("dashboard /progress/", "/progress/"),
        ("history /history/", "/history/"),
        ("history, page 200", "/history/?page=200"),
        ("history, filtered", "/history/?topic=topic-3&mode=practice&min_score=40&max_score=80&date_from=2020-01-01"),
        ("attempt page", f"/history/{some}/"),
        ("review /review/", "/review/"),
        ("review, one topic", "/review/?topic=topic-3"),
    ]
    results = []
    for name, url in pages:
        for _ in range(2):  # warm up caches (templates, SQLite pages)
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        results.append((name, statistics.median(times), p90, len(queries)))
    return results


def main() -> None:
    args = parse_args()
    if not args.db:
        handle, args.db = tempfile.mkstemp(prefix="mlprep-bench-", suffix=".sqlite3")
        os.close(handle)
    setup_django(args.db)
    rng = random.Random(6)
    try:
        user = generate(args, rng)
        results = time_pages(user, args.requests)
    finally:
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(args.db + suffix).unlink(missing_ok=True)
    print(f"\n{args.attempts:,} attempts over {args.questions} questions, SQLite, {args.requests} requests per page")
    print(f"{'page':<24} {'p50 ms':>8} {'p90 ms':>8} {'queries':>8}")
    for name, p50, p90, count in results:
        print(f"{name:<24} {p50:>8.1f} {p90:>8.1f} {count:>8}")


if __name__ == "__main__":
    main()
