"""Take the README's screenshots against a real server with the real question bank.

    .venv/bin/python docs/make_screenshots.py

Uses a throw-away SQLite database and Debian's chromium (apt-get install chromium).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
ANSWERS = [
    "Backpropagation multiplies the gradient by each layer's derivative. With sigmoid or tanh these are "
    "small, so the gradient shrinks exponentially and early layers barely learn. ReLU, He initialisation, "
    "batch norm and residual connections keep gradients flowing.",
    "Dropout randomly zeroes activations during training so neurons can't co-adapt; at test time all units "
    "are used and activations are scaled.",
    "An LSTM has a cell state and gates: forget, input and output gates decide what to keep, add and expose.",
]


def answer_for(prompt: str, share: float) -> str:
    """A candidate's answer: the first `share` of the reference's sentences, lightly reworded."""
    from interviews.models import Question

    reference = Question.objects.get(prompt=prompt).references.first().text
    sentences = reference.split(". ")
    kept = ". ".join(sentences[: max(1, round(len(sentences) * share))])
    return kept.replace("For example", "E.g.").replace("because", "since")


def run(*args: str, env: dict) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def main() -> None:
    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("chromium is not installed: apt-get install chromium")
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "SQLITE_PATH": f"{tmp}/db.sqlite3", "DEBUG": "1"}
    # Playwright's sync API runs an event loop in this thread; the ORM reads here are plain and safe.
    os.environ.update(
        SQLITE_PATH=env["SQLITE_PATH"], DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ALLOW_ASYNC_UNSAFE="true"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    run("migrate", "--noinput", env=env)
    run("import_questions", "fixtures/bank", env=env)
    run("shell", "-c", "from accounts.models import User; User.objects.create_user('alice', 'a@example.com', "
        "'correct-horse-battery-staple')", env=env)
    server = subprocess.Popen(  # noqa: S603 - our own dev server on loopback
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{BASE}/livez")  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            page = browser.new_page(base_url=BASE, viewport={"width": 1200, "height": 900})
            page.goto("/accounts/login/")
            page.fill("input[name=username]", "alice")
            page.fill("input[name=password]", "correct-horse-battery-staple")
            page.click("main button[type=submit]")
            page.wait_for_url("**/questions/")
            page.screenshot(path=str(OUT / "questions.png"))

            page.goto("/questions/?q=vanishing")
            page.click("ul.questions a >> nth=0")
            page.fill("textarea[name=answer]", ANSWERS[0])
            page.click("button:has-text('Submit answer')")
            page.wait_for_selector("[data-testid=score]")
            page.screenshot(path=str(OUT / "feedback.png"), full_page=True)

            page.goto("/interviews/")
            page.screenshot(path=str(OUT / "interview-start.png"), full_page=True)
            page.click("button:has-text('Start 15-minute warm-up')")
            page.wait_for_selector("[role=timer]")
            page.keyboard.type(ANSWERS[1][:80])
            page.wait_for_selector("#draft-status:has-text('Draft saved')")
            page.screenshot(path=str(OUT / "interview-question.png"))
            shares = [1.0, 0.6, 0.3, 0.0, 0.8]
            for i in range(5):  # the warm-up shows feedback after each answer, then the report
                prompt = page.locator("h1.prompt").inner_text()
                text = answer_for(prompt, shares[i]) if shares[i] else ""
                page.fill("textarea[name=answer]", text)
                page.click("button:has-text('Submit answer')")
                if i == 4:
                    break
                page.wait_for_selector("text=Next question")
                if i == 0:
                    page.screenshot(path=str(OUT / "interview-feedback.png"), full_page=True)
                page.click("text=Next question")
                page.wait_for_selector("[role=timer]")
            page.wait_for_url("**/report/")
            page.screenshot(path=str(OUT / "interview-report.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
