"""Where an interview-mode answer's time goes: cProfile over many answers, in one process.

Builds a temporary SQLite database with the bank, starts 12-question interview-mode interviews for
one user with Django's test Client (production settings: DEBUG off), and answers every question
through the htmx endpoint, profiling only the answer requests. Prints the mean wall time per
answer, the SQL statements per answer and the functions with the most cumulative time.

Run: .venv/bin/python bench/profile_answer.py [--interviews 20] [--top 40] [--sort cumulative]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWER_ACTION = re.compile(r'action="(/interviews/[0-9a-f-]{36}/q/\d+/answer/)"')
SUBMISSION_KEY = re.compile(
    r'name="submission_key"[^>]*value="([0-9a-f-]{36})"|value="([0-9a-f-]{36})"[^>]*name="submission_key"'
)
TEXT = (
    "Dropout randomly zeroes activations during training so units cannot co-adapt; at test time the "
    "full network is used with scaled weights, which acts like an ensemble and reduces overfitting."
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--no-profile", action="store_true", help="only time the answers")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="mlprep-profile-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        SQLITE_PATH=str(Path(tmp) / "db.sqlite3"),
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="profile-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        HTTPS="0",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(Path(tmp) / "static"),
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("import_questions", str(ROOT / "fixtures" / "bank"), verbosity=0)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("profiler", "p@example.com", "x-unused-password-1")
    client = Client()
    client.force_login(user)

    def start() -> str:
        data = {"count": "12", "timing": "whole", "minutes": "45", "mode": "interview"}
        resp = client.post("/interviews/", data)
        assert resp.status_code == 302, resp.status_code
        return client.get(resp.headers["location"]).content.decode()

    # Warm-up: the engine is fitted on the first answer, templates compiled.
    page = start()
    profiler = cProfile.Profile()
    answers, wall, statements = 0, 0.0, 0
    for round_ in range(args.interviews + 1):
        page = start()
        while True:
            action, key = ANSWER_ACTION.search(page), SUBMISSION_KEY.search(page)
            if action is None:
                break
            data = {"answer": TEXT, "submission_key": key.group(1) or key.group(2)}
            measured = round_ > 0
            # The query log costs time too: statements are counted only when profiling.
            queries = contextlib.nullcontext([]) if args.no_profile else CaptureQueriesContext(connection)
            with queries as captured:
                began = time.perf_counter()
                if measured and not args.no_profile:
                    profiler.enable()
                resp = client.post(action.group(1), data, HTTP_HX_REQUEST="true")
                if measured:
                    profiler.disable()
                    wall += time.perf_counter() - began
                    answers += 1
                    statements += len(captured)
            reset_queries()
            assert resp.status_code == 200, resp.status_code
            if resp.headers.get("HX-Redirect"):
                break
            page = resp.content.decode()
    if args.no_profile:
        print(f"{answers} answers: {wall / answers * 1000:.2f} ms each")
        return 0
    print(f"{answers} answers: {wall / answers * 1000:.2f} ms each (under the profiler), "
          f"{statements / answers:.1f} SQL statements each")
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
