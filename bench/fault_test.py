"""Fault run: kill -9 gunicorn mid-interview, restart it, and check that drafts and deadlines survived.

For a whole-interview clock and a per-question clock (the rapid-fire preset): start an interview,
show a question, autosave a draft, SIGKILL the server (master and workers), start it again, then
check that the deadline in the database is unchanged, the remaining time on the page kept
decreasing by the time that passed, the draft is back in the answer box, and an answer still goes
through and is counted once.

Run: .venv/bin/python bench/fault_test.py [--db sqlite|postgres] [--down 3] [--keep]
Exits 1 if any check fails. Talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_test import ANSWER_ACTION, CSRF, REMAINING, SUBMISSION_KEY, TEXTAREA, Server, create_users, setup_django  # noqa: E402, I001

KINDS = {
    "whole": {"count": "3", "timing": "whole", "minutes": "10", "mode": "interview"},
    "per-question": {"preset": "rapid-fire"},
}


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)


def page_state(client: httpx.Client, url: str) -> dict:
    resp = client.get(url)
    resp.raise_for_status()
    text = resp.text
    action, key, box, remaining = (p.search(text) for p in (ANSWER_ACTION, SUBMISSION_KEY, TEXTAREA, REMAINING))
    return {
        "position": int(action.group(2)) if action else None,
        "key": key and (key.group(1) or key.group(2)),
        "draft": html.unescape(box.group(1)).lstrip("\n") if box else None,
        "remaining": int(remaining.group(1)) if remaining and remaining.group(1) else None,
        "csrf": CSRF.search(text).group(1),
        "at": time.monotonic(),
    }


def deadline_of(interview_uuid: str, position: int):
    from interviews.models import Interview, TimingMode

    interview = Interview.objects.get(uuid=interview_uuid)
    if interview.timing == TimingMode.WHOLE:
        return interview.deadline
    return interview.items.get(position=position).deadline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--down", type=float, default=3, help="seconds the server stays dead")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix=f"mlprep-fault-{args.db}-"))
    server = Server(db=args.db, workers=args.workers, threads=1, workdir=workdir)
    server.prepare()
    setup_django(server.env)
    from django.conf import settings
    from django.db import connections

    from interviews.models import InterviewItem

    name, session = next(iter(create_users(1, prefix=f"fault{uuid.uuid4().hex[:6]}-").items()))
    checks = Checks()
    try:
        server.start()
        client = httpx.Client(base_url=server.base_url, cookies={settings.SESSION_COOKIE_NAME: session}, timeout=30)
        csrf = CSRF.search(client.get("/interviews/").text).group(1)
        before = {}
        for kind, data in KINDS.items():
            resp = client.post("/interviews/", data=data | {"csrfmiddlewaretoken": csrf})
            url = resp.headers.get("location", "")
            checks.check(
                resp.status_code == 302 and bool(re.fullmatch(r"/interviews/[0-9a-f-]{36}/", url)),
                f"{kind}: interview started ({resp.status_code} {url})",
            )
            state = page_state(client, url)
            draft = f"A draft that must survive kill -9 ({kind}) <b>&amp; stay escaped</b>\nline two"
            resp = client.post(
                f"{url}q/{state['position']}/draft/",
                data={"answer": draft, "csrfmiddlewaretoken": state["csrf"]},
                headers={"HX-Request": "true"},
            )
            checks.check(resp.status_code == 200 and "Draft saved" in resp.text, f"{kind}: draft saved")
            uid = url.strip("/").split("/")[-1]
            before[kind] = state | {
                "url": url,
                "uuid": uid,
                "text": draft,
                "deadline": deadline_of(uid, state["position"]),
            }
            print(
                f"  {kind}: position {state['position']}, {state['remaining']} s left, "
                f"deadline {before[kind]['deadline']:%H:%M:%S.%f}"
            )
        connections.close_all()

        print(f"kill -9 gunicorn (pid {server.proc.pid} and its workers), {args.down:.0f} s down, restart")
        server.kill()
        try:
            client.get("/livez", timeout=2)
            checks.check(False, "server is down after kill -9")
        except httpx.HTTPError:
            checks.check(True, "server is down after kill -9")
        time.sleep(args.down)
        server.start()

        for kind, old in before.items():
            state = page_state(client, old["url"])
            elapsed = state["at"] - old["at"]
            deadline = deadline_of(old["uuid"], old["position"])
            checks.check(deadline == old["deadline"], f"{kind}: deadline unchanged ({deadline:%H:%M:%S.%f})")
            checks.check(state["position"] == old["position"], f"{kind}: same question shown ({state['position']})")
            checks.check(state["draft"] == old["text"], f"{kind}: draft restored in the answer box")
            drop = (old["remaining"] or 0) - (state["remaining"] or 0)
            checks.check(
                state["remaining"] is not None and old["remaining"] is not None and abs(drop - elapsed) <= 2,
                f"{kind}: time left went from {old['remaining']} s to {state['remaining']} s "
                f"over {elapsed:.1f} s (kept decreasing)",
            )
            answer = f"Final answer after the restart ({kind})"
            resp = client.post(
                f"{old['url']}q/{old['position']}/answer/",
                data={"answer": answer, "submission_key": state["key"], "csrfmiddlewaretoken": state["csrf"]},
                headers={"HX-Request": "true"},
            )
            item = InterviewItem.objects.select_related("attempt").get(
                interview__uuid=old["uuid"], position=old["position"]
            )
            checks.check(
                resp.status_code == 200 and item.attempt is not None and item.attempt.answer == answer,
                f"{kind}: answer after the restart counted ({resp.status_code})",
            )
        connections.close_all()
        client.close()
    finally:
        server.stop()
    problems = server.log_problems()
    checks.check(not problems, f"no tracebacks in the server log ({len(problems)})")
    for line in problems[:10]:
        print("    " + line)
    if checks.failures:
        print(f"FAILED: {len(checks.failures)} checks; kept {workdir}")
        return 1
    print(f"fault run on {args.db}: all checks passed")
    if not args.keep:
        server.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
