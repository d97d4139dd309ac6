"""Load run: N simulated candidates take full mock interviews against gunicorn on 127.0.0.1.

Prepares a fresh database (migrate + import the bank), starts gunicorn with production settings,
logs the users in once each, then for `--duration` seconds every user loops: start an interview,
load its page, autosave drafts, submit answers (some twice with the same submission key, at once or
as a retry) until the report. Then `--answers-duration` seconds of answer submissions only (the
interviews they answer are started before that clock), with the bare `/livez` view timed at the
same concurrency half just before and half just after. Prints throughput, p50/p99 per endpoint,
the error count, the answer-submit throughput as a ratio to the bare view, and the CPU per request
of gunicorn, PostgreSQL and this client; then checks the database: every answer a client saw
accepted is counted exactly once.

Run: .venv/bin/python bench/load_test.py [--db sqlite|postgres] [--users 50] [--duration 60]
     [--answers-duration 20] [--answers-interviews 10] [--workers 2*cores+1] [--threads 1]
     [--dup-rate 0.2] [--lock-wait] [--keep]

Exits 1 on any error, lost or duplicated submission, or traceback in the server log. Talks only to
127.0.0.1; every loop is bounded by the clock.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432"
TEXT = (
    "gradient descent minimises the loss by stepping against the gradient; regularisation such as "
    "dropout and weight decay reduces overfitting; batch normalisation stabilises training; attention "
    "weighs tokens by similarity of queries and keys; cross validation estimates generalisation"
)
WORDS = re.split(r"\s+", TEXT)

ANSWER_ACTION = re.compile(r'action="/interviews/([0-9a-f-]{36})/q/(\d+)/answer/"')
SUBMISSION_KEY = re.compile(
    r'name="submission_key"[^>]*value="([0-9a-f-]{36})"|value="([0-9a-f-]{36})"[^>]*name="submission_key"'
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TEXTAREA = re.compile(r'<textarea name="answer"[^>]*>(.*?)</textarea>', re.S)
REMAINING = re.compile(r'data-remaining="(\d*)"')


# --- server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A fresh database and a gunicorn serving it with production settings."""

    db: str
    workers: int
    threads: int
    workdir: Path
    port: int = 0
    env: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    pg_name: str = ""
    starts: int = 0
    config: str = "config/gunicorn.py"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "gunicorn.log"

    def prepare(self) -> None:
        self.port = self.port or free_port()
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
        env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            HTTPS="0",
            STATIC_ROOT=str(self.workdir / "static"),
            DJANGO_SETTINGS_MODULE="config.settings",
            LOG_LEVEL=os.environ.get("LOG_LEVEL", "INFO"),
            PYTHONUNBUFFERED="1",
        )
        if self.db == "postgres":
            self.pg_name = f"mlprep_load_{os.getpid()}"
            psql(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
            psql(f'CREATE DATABASE "{self.pg_name}"')
            env["DATABASE_URL"] = f"{PG_ADMIN}/{self.pg_name}"
        else:
            env["SQLITE_PATH"] = str(self.workdir / "load.sqlite3")
        self.env = env
        t0 = time.perf_counter()
        for cmd in (
            ["migrate", "--noinput", "-v", "0"],
            ["import_questions", "fixtures/bank"],
            ["collectstatic", "--noinput", "-v", "0"],
        ):
            subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
                [PYTHON, "manage.py", *cmd], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
        print(f"database ready ({self.db}) in {time.perf_counter() - t0:.1f} s; log: {self.log_path}")

    def start(self) -> None:
        cmd = [
            GUNICORN, "-c", self.config, "config.wsgi", "-b", f"{HOST}:{self.port}", "-w", str(self.workers),
            "--threads", str(self.threads), "--timeout", "60", "--graceful-timeout", "5",
            "--error-logfile", "-",
        ]  # fmt: skip
        log = open(self.log_path, "a")  # noqa: SIM115 - handed to the child process
        log.write(f"\n===== start {self.starts + 1}: {' '.join(cmd)}\n")
        log.flush()
        # Its own process group: the fault run kills master and workers together, and nothing else.
        self.proc = subprocess.Popen(  # noqa: S603 - the venv's gunicorn with fixed arguments
            cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.starts += 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/livez", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /livez within 60 s; see {self.log_path}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        # Orphaned workers of a SIGKILLed master notice the new parent and exit; wait for the port.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex((HOST, self.port)) != 0:
                    break
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and workers (Linux /proc)."""
        if self.proc is None:
            return 0.0
        return _cpu_seconds(lambda name, group: group == self.proc.pid)  # its process group

    def db_cpu_seconds(self) -> float:
        """CPU time used so far by PostgreSQL's processes (0 on SQLite, which runs in the workers)."""
        return _cpu_seconds(lambda name, group: name == "postgres") if self.pg_name else 0.0

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def drop(self) -> None:
        if self.pg_name:
            from django.db import connections

            connections.close_all()
            psql(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def log_problems(self) -> list[str]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        lines = text.splitlines()
        bad = ("Traceback", "database is locked", "WORKER TIMEOUT", "Internal Server Error")
        return [line for line in lines if any(b in line for b in bad)]


def _cpu_seconds(match) -> float:
    """CPU time (user + system) of the processes for which `match(name, process_group)` holds,
    and of their children that have exited (a PostgreSQL backend whose connection closed, a
    gunicorn worker that was replaced): their time moves to the parent that reaped them, so the
    sum never goes down."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            head, tail = stat.read_text().rsplit(")", 1)
            fields = tail.split()
            if match(head.split("(", 1)[1], int(fields[2])):
                total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def psql(sql: str) -> None:
    psql_bin = shutil.which("psql") or "/usr/bin/psql"
    subprocess.run(  # noqa: S603 - fixed statements on our own throwaway database
        [psql_bin, "-h", HOST, "-U", "postgres", "-d", "postgres", "-qAtc", sql], check=True, stdout=subprocess.DEVNULL
    )


def setup_django(env: dict) -> None:
    """Use the server's settings in this process too (users before the run, checks after it)."""
    os.environ.update(env)
    for key in ("DATABASE_URL", "SQLITE_PATH"):
        if key not in env:
            os.environ.pop(key, None)
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    for name in ("httpx", "httpcore"):  # the settings' root logger would print every client request
        logging.getLogger(name).setLevel(logging.WARNING)


def create_users(count: int, prefix: str) -> dict[str, str]:
    """Users and a logged-in session each, made with the ORM: the run never posts a login form, so
    the login rate limit (django-axes) never sees a failure and no time goes on password hashing.
    Returns {username: session key}."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.db import connections

    User = get_user_model()
    names = [f"{prefix}{i:03d}" for i in range(count)]
    # "!" + anything is Django's unusable password: these users can't log in with a password at all.
    unusable = "!load-test"
    users = User.objects.bulk_create([User(username=n, email=f"{n}@example.com", password=unusable) for n in names])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    for user in User.objects.filter(pk__in=[u.pk for u in users]):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.UserBackend"  # what logging in names
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        sessions[user.username] = session.session_key
    connections.close_all()
    return sessions


# --- client --------------------------------------------------------------------------------------


class NoJar(CookieJar):
    """A cookie jar that keeps and sends nothing. httpx runs every request and response through the
    standard library's cookie jar, whose Python code cost this client 0.2-0.28 ms of CPU per answer
    (parsing the CSRF cookie's Set-Cookie, sent again with every page, and matching the cookies to
    each URL), CPU taken from the machine under test. Each simulated user sends its two cookies in
    a fixed Cookie header instead (`Flow`); the bare view's client, which has none, uses this too."""

    def extract_cookies(self, response, request) -> None:
        pass

    def add_cookie_header(self, request) -> None:
        pass



@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    accepted: dict[tuple[str, int], str] = field(default_factory=dict)  # (interview, position) -> text
    duplicates_sent: int = 0
    bare_requests: int = 0
    bare_latencies: list[float] = field(default_factory=list)
    bare_errors: int = 0
    interviews_started: int = 0
    interviews_finished: int = 0
    recording: bool = True

    def error(self, what: str) -> None:
        self.errors.append(what)


class Flow:
    """One simulated candidate: a logged-in httpx client and the parsing of the pages it gets."""

    def __init__(self, client: httpx.AsyncClient, stats: Stats, name: str, rng: random.Random, dup_rate: float):
        self.client, self.stats, self.name, self.rng, self.dup_rate = client, stats, name, rng, dup_rate
        self.csrf = ""
        self.ready_pages: list[str] = []  # first pages of interviews started for the answers-only phase

    async def request(self, endpoint: str, method: str, url: str, *, htmx: bool = False, **kw) -> httpx.Response | None:
        headers = {"HX-Request": "true"} if htmx else {}
        started = time.perf_counter()
        try:
            resp = await self.client.request(method, url, headers=headers, **kw)
        except httpx.HTTPError as exc:
            self.stats.error(f"{endpoint} {method} {url}: {type(exc).__name__} {exc}")
            return None
        elapsed = time.perf_counter() - started
        if self.stats.recording:
            self.stats.latencies[endpoint].append(elapsed)
        if resp.status_code >= 400:
            self.stats.error(f"{endpoint} {method} {url}: HTTP {resp.status_code} {resp.text[:200]!r}")
            return None
        if token := CSRF.search(resp.text):
            self.csrf = token.group(1)
        return resp

    async def login(self) -> bool:
        """The session cookie is already set; fetch a page for the CSRF token and cookie, which the
        Cookie header then carries beside the session's (the server sends the same one each time)."""
        resp = await self.request("login", "GET", "/interviews/")
        if resp is None:
            return False
        from django.conf import settings

        token = resp.cookies.get(settings.CSRF_COOKIE_NAME)  # parsed here, once per user
        if token is None:
            self.stats.error(f"login: no {settings.CSRF_COOKIE_NAME} cookie set")
            return False
        self.client.headers["Cookie"] = f"{self.client.headers['Cookie']}; {settings.CSRF_COOKIE_NAME}={token}"
        return True

    def _start_data(self) -> dict:
        # Half take the practice-mode preset (feedback after each answer, then the next question),
        # half an interview-mode one (the next question comes straight back).
        if self.rng.random() < 0.5:
            return {"preset": "warm-up"}
        return {"count": "5", "timing": "whole", "minutes": "15", "mode": "interview"}

    async def interview(self, stop_at: float) -> None:
        data = self._start_data() | {"csrfmiddlewaretoken": self.csrf}
        resp = await self.request("start", "POST", "/interviews/", data=data)
        if resp is None:
            return
        location = resp.headers.get("location", "")
        if resp.status_code != 302 or not re.fullmatch(r"/interviews/[0-9a-f-]{36}/", location):
            self.stats.error(f"start: expected 302 to an interview, got {resp.status_code} {location!r}")
            return
        self.stats.interviews_started += 1
        resp = await self.request("page", "GET", location)
        for _ in range(20):  # at most a few rounds per question; the clock ends it sooner
            if resp is None or time.monotonic() > stop_at:
                return
            if resp.headers.get("HX-Redirect", "").endswith("/report/"):
                if await self.request("report", "GET", resp.headers["HX-Redirect"]) is not None:
                    self.stats.interviews_finished += 1
                return
            if "Next question" in resp.text and "data-interview-form" not in resp.text:
                resp = await self.request("page", "GET", location, htmx=True)
                continue
            resp = await self.answer_one(resp.text)
        self.stats.error(f"interview {location}: did not finish within 20 rounds")

    async def start_for_answers(self) -> str | None:
        """A 12-question interview-mode interview (the full-mock size), started and its first page
        loaded; returns that page."""
        data = {"count": "12", "timing": "whole", "minutes": "45", "mode": "interview"}
        data["csrfmiddlewaretoken"] = self.csrf
        resp = await self.request("start*", "POST", "/interviews/", data=data)
        if resp is None or resp.status_code != 302:
            self.stats.error(f"start: expected 302, got {resp and resp.status_code}")
            return None
        self.stats.interviews_started += 1
        resp = await self.request("page*", "GET", resp.headers["location"])
        return resp.text if resp is not None else None

    async def prepare_answers(self, count: int) -> None:
        """Interviews for the answers-only phase, started before its clock (as users and sessions
        are made before the run): that phase then times answer submissions and nothing else."""
        for _ in range(count):
            if (page := await self.start_for_answers()) is not None:
                self.ready_pages.append(page)

    async def answer_only(self, stop_at: float) -> None:
        """Nothing but answers: each interview-mode answer returns the next question's form. An
        interview prepared before the clock if one is left, else one started now (and timed)."""
        page = self.ready_pages.pop() if self.ready_pages else await self.start_for_answers()
        if page is None:
            return
        for _ in range(40):
            if time.monotonic() > stop_at:
                return
            resp = await self.answer_one(page, endpoint="answer*", drafts=False, dup_rate=0.0)
            if resp is None:
                return
            if resp.headers.get("HX-Redirect", "").endswith("/report/"):
                self.stats.interviews_finished += 1
                return
            page = resp.text
        self.stats.error("answer-only interview did not finish within 40 rounds")

    async def answer_one(
        self, page: str, *, endpoint: str = "answer", drafts: bool = True, dup_rate: float | None = None
    ) -> httpx.Response | None:
        action, key = ANSWER_ACTION.search(page), SUBMISSION_KEY.search(page)
        if action is None or key is None:
            self.stats.error(f"page without an answer form: {page[:300]!r}")
            return None
        interview, position = action.group(1), int(action.group(2))
        base = f"/interviews/{interview}/q/{position}"
        text = " ".join(self.rng.sample(WORDS, 12)) + f" [load {self.name} {interview[:8]} {position}]"
        for cut in (len(text) // 3, 2 * len(text) // 3) if drafts else ():
            data = {"answer": text[:cut], "csrfmiddlewaretoken": self.csrf}
            resp = await self.request("draft", "POST", f"{base}/draft/", htmx=True, data=data)
            if resp is not None and "Draft saved" not in resp.text:
                self.stats.error(f"draft {base}: not saved: {resp.text[:200]!r}")
        data = {"answer": text, "submission_key": key.group(1) or key.group(2), "csrfmiddlewaretoken": self.csrf}
        url = f"{base}/answer/"
        dup_rate = self.dup_rate if dup_rate is None else dup_rate
        roll = self.rng.random()
        if roll < dup_rate / 2:  # a double click: the same form posted twice at once
            self.stats.duplicates_sent += 1
            first, second = await asyncio.gather(
                self.request(endpoint, "POST", url, htmx=True, data=data),
                self.request(endpoint, "POST", url, htmx=True, data=data),
            )
            resp = first if first is not None else second
        else:
            resp = await self.request(endpoint, "POST", url, htmx=True, data=data)
            if roll < dup_rate and resp is not None:  # a retry after a (pretend) dropped response
                self.stats.duplicates_sent += 1
                resp = await self.request(endpoint, "POST", url, htmx=True, data=data)
        if resp is not None:
            self.stats.accepted[(interview, position)] = text
        return resp


async def run_users(
    base_url: str,
    sessions: dict[str, str],
    args: argparse.Namespace,
    cpu_seconds=lambda: 0.0,
    db_cpu_seconds=lambda: 0.0,
) -> tuple[Stats, dict[str, float], dict[str, float]]:
    """A CSRF token for every user, then the phases: warm-up, interviews, answers only. Returns their
    seconds and the CPU seconds of the server, the database and this client in each."""
    stats = Stats()
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    from django.conf import settings

    names = list(sessions)
    clients = [
        httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(60.0),
            limits=limits,
            cookies=NoJar(),
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={sessions[n]}"},
        )
        for n in names
    ]
    phases: dict[str, float] = {}
    cpu: dict[str, float] = {}
    try:
        flows = [
            Flow(c, stats, n, random.Random(args.seed + i), args.dup_rate)
            for i, (c, n) in enumerate(zip(clients, names, strict=True))
        ]
        ok = await asyncio.gather(*(f.login() for f in flows))
        print(f"{sum(ok)}/{len(flows)} users logged in")
        flows = [f for f, good in zip(flows, ok, strict=True) if good]

        async def loop(flow: Flow, stop_at: float, answers_only: bool) -> None:
            while time.monotonic() < stop_at:
                await (flow.answer_only(stop_at) if answers_only else flow.interview(stop_at))

        async def phase(name: str, seconds: float, answers_only: bool = False) -> None:
            if seconds <= 0:
                return
            started, cpu_started, client_started = time.perf_counter(), cpu_seconds(), time.process_time()
            db_started = db_cpu_seconds()
            stop_at = time.monotonic() + seconds
            await asyncio.gather(*(loop(f, stop_at, answers_only) for f in flows))
            phases[name] = time.perf_counter() - started
            cpu[name] = cpu_seconds() - cpu_started
            cpu[f"{name} client"] = time.process_time() - client_started
            cpu[f"{name} db"] = db_cpu_seconds() - db_started

        async def bare_half() -> None:
            cpu_started, client_started = cpu_seconds(), time.process_time()
            n, latencies, errors = await run_bare(base_url, len(names), args.bare_duration / 2)
            stats.bare_requests += n
            stats.bare_latencies += latencies
            stats.bare_errors += errors
            cpu["bare"] = cpu.get("bare", 0.0) + cpu_seconds() - cpu_started
            cpu["bare client"] = cpu.get("bare client", 0.0) + time.process_time() - client_started

        # Every worker fits the scoring engine on its first answer: keep that out of the figures.
        stats.recording = False
        await phase("warmup", args.warmup)
        stats.recording = True
        await phase("interviews", args.duration)
        if args.answers_duration > 0:
            started = time.perf_counter()
            await asyncio.gather(*(f.prepare_answers(args.answers_interviews) for f in flows))
            print(
                f"{sum(len(f.ready_pages) for f in flows)} interviews started for the answers-only phase "
                f"in {time.perf_counter() - started:.1f} s (not timed)"
            )
        # The bare view is timed in two halves, just before and just after the answers-only phase,
        # so that a change in the machine's speed during the run weighs on both figures alike.
        await bare_half()
        before = stats.interviews_started
        await phase("answers", args.answers_duration, answers_only=True)
        if args.answers_duration > 0:
            print(f"interviews started inside the answers-only phase (timed): {stats.interviews_started - before}")
        await bare_half()
        return stats, phases, cpu
    finally:
        for c in clients:
            await c.aclose()


async def run_bare(base_url: str, concurrency: int, duration: float) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits, cookies=NoJar()) as client:

        async def loop(stop_at: float) -> None:
            nonlocal errors
            while time.monotonic() < stop_at:
                t = time.perf_counter()
                try:
                    resp = await client.get("/livez")
                    ok = resp.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t)
                errors += not ok

        stop_at = time.monotonic() + duration
        await asyncio.gather(*(loop(stop_at) for _ in range(concurrency)))
    return len(latencies), latencies, errors


# --- checks --------------------------------------------------------------------------------------


def check_database(accepted: dict[tuple[str, int], str], names: list[str]) -> tuple[int, int, list[str]]:
    """Lost: an accepted answer whose question has no counted attempt with that text.
    Duplicated: more than one attempt with an accepted text, an interview attempt no question counts,
    or two attempts sharing (user, submission_key)."""
    from django.db.models import Count

    from interviews.models import Attempt, AttemptMode, InterviewItem

    problems: list[str] = []
    rows = InterviewItem.objects.filter(interview__user__username__in=names).select_related("interview", "attempt")
    items = {(str(i.interview.uuid), i.position): i for i in rows}
    lost = 0
    for key, text in accepted.items():
        item = items.get(key)
        if item is None or item.attempt is None or item.attempt.answer != text:
            lost += 1
            problems.append(f"lost {key}: counted={item and item.attempt and item.attempt.answer[:60]!r}")
    attempts = Attempt.objects.filter(user__username__in=names, mode=AttemptMode.INTERVIEW)
    texts = set(accepted.values())
    by_text = defaultdict(int)
    for answer in attempts.values_list("answer", flat=True):
        if answer in texts:
            by_text[answer] += 1
    duplicated = sum(n - 1 for n in by_text.values() if n > 1)
    orphans = attempts.filter(late=False, interview_item__isnull=True).count()
    same_key = (
        Attempt.objects.filter(user__username__in=names, submission_key__isnull=False)
        .values("user", "submission_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    counted_twice = (
        InterviewItem.objects.filter(interview__user__username__in=names, attempt__isnull=False)
        .values("attempt")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    if duplicated:
        problems.append(f"{duplicated} extra attempts repeat an accepted answer")
    if orphans:
        problems.append(f"{orphans} interview attempts are counted by no question")
    if same_key or counted_twice:
        problems.append(f"{same_key} repeated (user, submission_key); {counted_twice} attempts counted twice")
    # Orphans can repeat an accepted text (already in `duplicated`); count the rest once.
    return lost, max(duplicated, orphans) + same_key + counted_twice, problems


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


# --- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of measured load")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of unmeasured load first")
    parser.add_argument("--answers-duration", type=float, default=20, help="seconds of answers-only load")
    parser.add_argument(
        "--answers-interviews", type=int, default=10,
        help="interviews each user starts before the answers-only phase (more are started, timed, if it runs out)",
    )
    parser.add_argument("--bare-duration", type=float, default=20, help="seconds of /livez timing")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dup-rate", type=float, default=0.2, help="share of answers sent twice")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--lock-wait", action="store_true",
        help="time every BEGIN in the workers (bench/gunicorn_lockwait.py): on SQLite, the wait for the write lock",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and log directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix=f"mlprep-load-{args.db}-"))
    server = Server(db=args.db, workers=args.workers, threads=args.threads, workdir=workdir)
    if args.lock_wait:
        server.config = "bench/gunicorn_lockwait.py"
        (workdir / "lockwait").mkdir()
    server.prepare()
    server.env["LOCK_WAIT_DIR"] = str(workdir / "lockwait")
    setup_django(server.env)
    sessions = create_users(args.users, prefix=f"load{uuid.uuid4().hex[:6]}-")
    names = list(sessions)
    try:
        server.start()
        print(
            f"gunicorn on {server.base_url}: {args.workers} workers x {args.threads} threads; {args.users} users: "
            f"{args.warmup:.0f} s warm-up, {args.duration:.0f} s interviews, {args.answers_duration:.0f} s answers "
            f"only, {args.bare_duration:.0f} s bare view"
        )
        stats, phases, cpu = asyncio.run(
            run_users(server.base_url, sessions, args, server.cpu_seconds, server.db_cpu_seconds)
        )
    finally:
        server.stop()
    bare_n, bare_lat, bare_errors = stats.bare_requests, stats.bare_latencies, stats.bare_errors
    bare_rps = bare_n / args.bare_duration
    elapsed = phases.get("interviews", float("nan"))
    total = sum(len(v) for k, v in stats.latencies.items() if not k.endswith("*"))
    print(
        f"\n{args.db}, full interviews: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s; "
        f"interviews started {stats.interviews_started}, finished {stats.interviews_finished}; "
        f"answers accepted {len(stats.accepted)}, sent twice {stats.duplicates_sent}"
    )
    print(f"{'endpoint':<10}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")

    def row(name: str, lat: list[float], seconds: float, note: str = "") -> None:
        print(f"{name:<10}{len(lat):>8}{len(lat) / seconds:>9.1f}{pct(lat, 0.5):>9.1f}{pct(lat, 0.99):>9.1f}{note}")

    for name in ("start", "page", "draft", "answer", "report"):
        row(name, stats.latencies.get(name, []), elapsed)
    answers_only = phases.get("answers", float("nan"))
    row("answer*", stats.latencies.get("answer*", []), answers_only, "   (answers only, submitted back to back)")
    row("livez", bare_lat, args.bare_duration, f"   (bare view, {len(names)} concurrent, {bare_errors} errors)")
    answer_rps = len(stats.latencies.get("answer*", [])) / answers_only
    mixed_rps = len(stats.latencies.get("answer", [])) / elapsed
    print(
        f"answer-submit {answer_rps:.1f} req/s = {answer_rps / bare_rps:.1%} of the bare view "
        f"({bare_rps:.1f} req/s); within full interviews {mixed_rps:.1f} answers/s, all requests "
        f"{total / elapsed / bare_rps:.1%} of the bare view"
    )

    answers_n, cores = len(stats.latencies.get("answer*", [])), os.cpu_count() or 1
    answer_cpu, bare_cpu = cpu.get("answers", 0.0), cpu["bare"]
    print(
        f"gunicorn CPU per request: answer {answer_cpu / max(answers_n, 1) * 1000:.2f} ms (answers-only "
        f"phase), bare view {bare_cpu / max(bare_n, 1) * 1000:.2f} ms; gunicorn used "
        f"{answer_cpu / answers_only / cores:.0%} of the {cores} cores in the answers-only phase, "
        f"{bare_cpu / args.bare_duration / cores:.0%} in the bare one (the rest: the database, this client, others)"
    )
    if answer_cpu and bare_n:
        print(
            f"gunicorn's own ratio (its CPU per bare request / per answer): "
            f"{bare_cpu / bare_n / (answer_cpu / max(answers_n, 1)):.1%}; during the bare view this client (one "
            f"process) kept {cpu['bare client'] / args.bare_duration:.0%} of one core busy"
        )
    print(
        f"this client's CPU per request: answer {cpu.get('answers client', 0.0) / max(answers_n, 1) * 1000:.2f} ms, "
        f"bare view {cpu['bare client'] / max(bare_n, 1) * 1000:.2f} ms"
    )
    if server.pg_name:
        db_cpu = cpu.get("answers db", 0.0)
        print(
            f"PostgreSQL's CPU per answer {db_cpu / max(answers_n, 1) * 1000:.2f} ms; it used "
            f"{db_cpu / answers_only / cores:.0%} of the {cores} cores in the answers-only phase"
        )

    if args.lock_wait:
        totals = [f.read_text().split() for f in (workdir / "lockwait").glob("*.txt")]
        waited, began = sum(float(t[0]) for t in totals), sum(int(t[1]) for t in totals)
        print(
            f"transactions opened: {began} by {len(totals)} workers, {waited:.1f} s spent in BEGIN in all, "
            f"{waited / max(began, 1) * 1000:.1f} ms each on average (the whole run)"
        )

    lost, duplicated, problems = check_database(stats.accepted, names)
    log_problems = server.log_problems()
    errors = len(stats.errors) + bare_errors
    print(
        f"errors={errors} lost={lost} duplicated={duplicated} server_log_problems={len(log_problems)} "
        f"(checked {len(stats.accepted)} accepted answers)"
    )
    for line in stats.errors[:10] + problems[:10] + log_problems[:10]:
        print("  " + line)
    failed = bool(errors or lost or duplicated or log_problems)
    if failed:
        print(f"FAILED; server log: {server.log_path}")
    if args.keep or failed:
        print(f"kept {workdir}" + (f" and PostgreSQL database {server.pg_name}" if server.pg_name else ""))
    else:
        server.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
