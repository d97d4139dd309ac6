"""Where an interview-mode answer's time goes, in one process.

Builds a temporary SQLite database (or a PostgreSQL one with `--db postgres`, dropped at the end)
with the bank, starts 12-question interview-mode interviews for one user with Django's test Client
(production settings: DEBUG off), and answers every question through the htmx endpoint. The first
interview warms up (templates, caches) and is not measured.

Prints the time, the CPU (this process's, and on PostgreSQL its server process's, read from /proc)
and the SQL statements per answer, then either the time spent in each step of the answer
path (default: each function below is timed where it is looked up, inclusive of what it calls) or,
with --profile, cProfile's functions with the most time.

Run: .venv/bin/python bench/profile_answer.py [--db sqlite|postgres] [--interviews 20]
     [--profile [--top 40] [--sort tottime]]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_test import ANSWER_ACTION, PG_ADMIN, SUBMISSION_KEY, psql  # noqa: E402 - the load test's own parts

TEXT = (
    "Dropout randomly zeroes activations during training so units cannot co-adapt; at test time the "
    "full network is used with scaled weights, which acts like an ensemble and reduces overfitting."
)
# (module, attribute) pairs timed in the default mode, in the order of the answer path.
STEPS = [
    ("django.contrib.auth", "get_user"),
    ("interviews.selectors.mock_interviews", "item_for_user"),
    ("interviews.services.attempts", "answer_score"),
    ("interviews.services.mock_interviews", "item_answer_and_next"),
    ("interviews.services.mock_interviews", "_answer_and_next"),
    ("interviews.services.mock_interviews", "_review_card_advance"),
    ("interviews.scheduling", "schedule"),
    ("interviews.services.mock_interviews", "item_answer"),
    ("interviews.views.mock_interviews", "_stage_context"),
    ("interviews.selectors.mock_interviews", "interview_navigation"),
    ("interviews.views.mock_interviews", "render"),
]


def setup(tmp: str, pg_name: str | None) -> None:
    os.environ.pop("DATABASE_URL", None)
    if pg_name:
        psql(f'DROP DATABASE IF EXISTS "{pg_name}"')
        psql(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = f"{PG_ADMIN}/{pg_name}"
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

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("import_questions", str(ROOT / "fixtures" / "bank"), verbosity=0)


def process_cpu(pid: int | None) -> float:
    """Seconds of CPU (user + system) used so far by process `pid` (0 for None), from /proc."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _label(module_name: str, name: str) -> str:
    return f"{module_name.rsplit('.', 1)[-1]}.{name}"


def _timed(original, label: str, spent: Counter, calls: Counter):
    @functools.wraps(original)
    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - began
            calls[label] += 1

    return timed


def time_steps(spent: Counter, calls: Counter) -> None:
    """Wrap each step where it is looked up, adding its inclusive time to `spent`."""
    import importlib

    for module_name, name in STEPS:
        module = importlib.import_module(module_name)
        setattr(module, name, _timed(getattr(module, name), _label(module_name, name), spent, calls))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=20, help="measured interviews of 12 answers")
    parser.add_argument("--profile", action="store_true", help="cProfile instead of timing the steps")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    pg_name = f"mlprep_profile_{os.getpid()}" if args.db == "postgres" else None
    setup(tempfile.mkdtemp(prefix="mlprep-profile-"), pg_name)
    try:
        return measure(args)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            psql(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def measure(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    user = get_user_model().objects.create_user("profiler", "p@example.com", "x-unused-password-1")
    client = Client()
    client.force_login(user)
    spent, calls = Counter(), Counter()
    if not args.profile:
        time_steps(spent, calls)

    def start() -> str:
        data = {"count": "12", "timing": "whole", "minutes": "45", "mode": "interview"}
        resp = client.post("/interviews/", data)
        assert resp.status_code == 302, resp.status_code
        return client.get(resp.headers["location"]).content.decode()

    profiler = cProfile.Profile()
    answers, wall, counted, cpu, server_cpu = 0, 0.0, 0, 0.0, 0.0
    server_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server_pid = cursor.fetchone()[0]
    for round_ in range(args.interviews + 1):
        measured = round_ > 0
        if round_ == 1:
            spent.clear()
            calls.clear()
        page = start()
        while (action := ANSWER_ACTION.search(page)) is not None:
            key = SUBMISSION_KEY.search(page)
            data = {"answer": TEXT, "submission_key": key.group(1) or key.group(2)}
            before = statements
            with connection.execute_wrapper(count):
                server_began = process_cpu(server_pid)
                cpu_began = time.process_time()
                began = time.perf_counter()
                if measured and args.profile:
                    profiler.enable()
                url = f"/interviews/{action.group(1)}/q/{action.group(2)}/answer/"
                resp = client.post(url, data, HTTP_HX_REQUEST="true")
                if measured and args.profile:
                    profiler.disable()
                elapsed = time.perf_counter() - began
                cpu_used = time.process_time() - cpu_began
                server_used = process_cpu(server_pid) - server_began
            if measured:
                answers, wall, counted = answers + 1, wall + elapsed, counted + statements - before
                cpu, server_cpu = cpu + cpu_used, server_cpu + server_used
            assert resp.status_code == 200, resp.status_code
            if resp.headers.get("HX-Redirect"):
                break
            page = resp.content.decode()

    note = " (under the profiler)" if args.profile else ""
    print(f"{answers} answers: {wall / answers * 1000:.2f} ms each{note}, {counted / answers:.1f} SQL statements each")
    server = f", PostgreSQL's server process {server_cpu / answers * 1000:.2f} ms" if server_pid else ""
    print(f"CPU per answer: this process {cpu / answers * 1000:.2f} ms{server}")
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return 0
    print(f"{'step (inclusive)':<44}{'ms/answer':>10}{'calls/answer':>14}")
    for module_name, name in STEPS:
        label = _label(module_name, name)
        print(f"{label:<44}{spent[label] / answers * 1000:>10.3f}{calls[label] / answers:>14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
