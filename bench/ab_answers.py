"""A/B of two versions of the code: the CPU of an interview answer, in one process, in turns.

Each round runs one process of each version, one after the other. A process answers 12-question
interview-mode interviews through Django's WSGI handler (urlencoded POSTs with the session and CSRF
cookies, as gunicorn hands them over; production settings, the request log included) and prints
its CPU per answer, its PostgreSQL server process's CPU per answer (0 on SQLite) and its CPU per
bare `/livez` request. The bare view's CPU measures how fast the machine is at that moment, so
"answer / bare" is the figure that stays put while this shared machine speeds up and slows down
(the plain CPU per answer moves by a fifth from one minute to the next); a change that makes the
bare view itself cheaper (a middleware) lowers the plain figure but not that one.

    .venv/bin/python bench/ab_answers.py --base HEAD~3 [--db postgres] [--rounds 6] [--interviews 15]

`--base` is checked out with `git worktree` into a temporary directory (removed afterwards); the
other version is this working tree. Both use one database, migrated and loaded by this working
tree: the two versions must share the schema.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
sys.path.insert(0, str(ROOT / "bench"))

from load_test import ANSWER_ACTION, CSRF, PG_ADMIN, SUBMISSION_KEY, psql  # noqa: E402 - the load test's own parts
from profile_answer import TEXT  # noqa: E402 - the same answer as the one-process profile


def environment(db: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="ab-answers-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        LOG_LEVEL="INFO",
        STATIC_ROOT=str(workdir / "static"),
    )
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_ADMIN}/mlprep_ab_{os.getpid()}"
    else:
        env["SQLITE_PATH"] = str(workdir / "ab.sqlite3")
    return env


# --- one measuring process -----------------------------------------------------------------------


def measure(interviews: int) -> str:
    """Run in the version's own directory (the parent sets the working directory and sys.path)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.wsgi import get_wsgi_application
    from django.db import connection, connections
    from django.test import Client

    from interviews import bank

    app = get_wsgi_application()
    bank.get_engine()
    name = f"ab-{uuid.uuid4().hex[:10]}"
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "x-unused-password-1")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get("/interviews/")
    cookie = "; ".join(f"{c.key}={c.value}" for c in client.cookies.values())
    connections.close_all()
    errors = open(os.devnull, "w")  # noqa: SIM115 - for the whole process

    def call(method: str, path: str, body: bytes = b"", *, htmx: bool = False, cookies: bool = True):
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "wsgi.errors": errors,
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }  # fmt: skip
        if cookies:
            environ["HTTP_COOKIE"] = cookie
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        if htmx:
            environ["HTTP_HX_REQUEST"] = "true"
        started = []
        result = app(environ, lambda status, headers, exc_info=None: started.append((status, dict(headers))))
        content = b"".join(result)
        result.close()
        return started[0][0], started[0][1], content.decode()

    token = CSRF.search(call("GET", "/interviews/")[2]).group(1)

    def start() -> str:
        data = {"count": "12", "timing": "whole", "minutes": "45", "mode": "interview", "csrfmiddlewaretoken": token}
        status, headers, _ = call("POST", "/interviews/", urlencode(data).encode())
        return call("GET", headers["Location"])[2]

    server_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server_pid = cursor.fetchone()[0]

    def server_cpu() -> float:
        if server_pid is None:
            return 0.0
        fields = Path(f"/proc/{server_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    answers, cpu, db_cpu, bare_cpu = 0, 0.0, 0.0, 0.0
    for round_ in range(interviews + 2):  # two first interviews warm the process up, unmeasured
        page = start()
        while (action := ANSWER_ACTION.search(page)) is not None:
            key = SUBMISSION_KEY.search(page)
            data = {"answer": f"{TEXT} {round_}", "submission_key": key[1] or key[2]}
            body = urlencode(data | {"csrfmiddlewaretoken": token}).encode()
            db_began, began = server_cpu(), time.process_time()
            status, headers, page = call("POST", f"/interviews/{action[1]}/q/{action[2]}/answer/", body, htmx=True)
            spent, db_spent = time.process_time() - began, server_cpu() - db_began
            if not status.startswith("200"):
                raise SystemExit(f"answer: {status} {page[:300]!r}")
            if round_ >= 2:
                answers, cpu, db_cpu = answers + 1, cpu + spent, db_cpu + db_spent
                began = time.process_time()
                call("GET", "/livez", cookies=False)
                bare_cpu += time.process_time() - began
            if headers.get("HX-Redirect"):
                break
    return f"{cpu / answers * 1000:.3f} {db_cpu / answers * 1000:.3f} {bare_cpu / answers * 1000:.3f}"


# --- the rounds ----------------------------------------------------------------------------------


def run_version(code: Path, env: dict[str, str], interviews: int) -> list[float]:
    out = subprocess.run(  # noqa: S603 - this script, with our own arguments
        [PYTHON, str(ROOT / "bench" / "ab_answers.py"), "--child", str(interviews)],
        cwd=code, env=env | {"PYTHONPATH": str(code)}, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return [float(x) for x in out.stdout.split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the git revision to compare this working tree with")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--interviews", type=int, default=15, help="measured interviews of 12 answers per process")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(measure(args.child))
        return 0
    if not args.base:
        parser.error("--base is required")

    workdir = Path(tempfile.mkdtemp(prefix="mlprep-ab-"))
    base = workdir / "base"
    env = environment(args.db, workdir)
    subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True)  # noqa: S603, S607
    try:
        if args.db == "postgres":
            psql(f'CREATE DATABASE "{env["DATABASE_URL"].rsplit("/", 1)[1]}"')
        for command in (
            ["migrate", "-v", "0"],
            ["import_questions", "fixtures/bank"],
            ["collectstatic", "--noinput", "-v", "0"],
        ):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        print(f"{'round':<6}{'A: ' + args.base:>34}   {'B: working tree':>34}")
        print(f"{'':<6}{'answer, db, bare (ms of CPU)':>34}   {'answer, db, bare (ms of CPU)':>34}")
        pairs = []
        for n in range(1, args.rounds + 1):
            a = run_version(base, env, args.interviews)
            b = run_version(ROOT, env, args.interviews)
            pairs.append((a, b))
            print(f"{n:<6}{'  '.join(f'{x:9.3f}' for x in a):>34}   {'  '.join(f'{x:9.3f}' for x in b):>34}")
        for i, name in enumerate(("CPU per answer", "database CPU per answer", "CPU per bare request")):
            _summary(name, [a[i] for a, _ in pairs], [b[i] for _, b in pairs])
        _summary("answer / bare", [a[0] / a[2] for a, _ in pairs], [b[0] / b[2] for _, b in pairs])
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)  # noqa: S603, S607
        if args.db == "postgres":
            psql(f'DROP DATABASE IF EXISTS "{env["DATABASE_URL"].rsplit("/", 1)[1]}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _summary(name: str, a: list[float], b: list[float]) -> None:
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    median_a, change = statistics.median(a), statistics.median(diffs)
    print(
        f"{name}: A {median_a:.3f}, B {statistics.median(b):.3f} (medians); B - A in the same round "
        f"{change:+.3f} ({change / median_a:+.1%}), B lower in {sum(d < 0 for d in diffs)} of {len(diffs)}"
    )


if __name__ == "__main__":
    sys.exit(main())
