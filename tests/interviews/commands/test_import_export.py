import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from interviews.models import Question, Topic
from tests.conftest import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(question, other_question, topic):
    topic.description = "Optimisers: SGD, Adam & co."
    topic.save()
    make_question(
        slug="tricky-text",
        topic=topic,
        prompt="A prompt with GIFT's specials: ~ = # { } \\ and a line\nbreak?",
        references=["First reference: x = {y} # z ~ w.\n\nSecond paragraph.", "[An alternative] reference."],
        key_points=[("Max | mean :: pooling", ["a|b", "c::d"]), ("Plain label", [])],
        difficulty="hard",
        status="draft",
    )
    make_question(slug="unfinished-draft", topic=topic, prompt="Still being written.", references=[], status="draft")
    return Question.objects.all()


def _snapshot() -> list[tuple]:
    return [
        (
            str(q.uuid),
            q.slug,
            (q.topic.slug, q.topic.name, q.topic.description),
            q.prompt,
            q.difficulty,
            q.status,
            q.time_limit_seconds,
            q.source,
            [r.text for r in q.references.all()],
            [(k.label, k.phrasings) for k in q.key_points.all()],
        )
        for q in Question.objects.select_related("topic").order_by("slug")
    ]


def _import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_questions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("fmt", "name"), [("json", "bank.json"), ("csv", "bank.csv"), ("gift", "bank.gift")])
def test_export_then_import_round_trips_without_loss(bank, tmp_path, fmt, name):
    before = _snapshot()
    path = tmp_path / name
    call_command("export_questions", "--format", fmt, "-o", str(path), stderr=io.StringIO())

    Question.objects.all().delete()
    Topic.objects.all().delete()
    out, err = _import(str(path))

    assert "4 questions were created" in out
    assert err == ""
    assert _snapshot() == before


@pytest.mark.parametrize("fmt", ["json", "csv", "gift"])
def test_importing_an_export_over_the_same_bank_changes_nothing(bank, tmp_path, fmt):
    path = tmp_path / f"bank.{fmt}"
    call_command("export_questions", "--format", fmt, "-o", str(path), stderr=io.StringIO())
    before = _snapshot()
    out, _ = _import(str(path))
    assert "0 questions were created, 0 updated, 4 left alone" in out
    assert _snapshot() == before


def test_export_writes_to_standard_output_by_default(bank):
    out = io.StringIO()
    call_command("export_questions", "--format", "qa", "--status", "published", stdout=out)
    text = out.getvalue()
    assert text.startswith("Topic: CNNs and computer vision\n\nQ1: What does a pooling layer do")
    assert "tricky-text" not in text and "GIFT's specials" not in text


def test_an_anki_export_brings_its_questions_back_to_themselves(bank, tmp_path):
    """Anki's notes carry the slug as their guid: importing an export finds the same questions (and
    topics, by name), and changes only what the format cannot carry."""
    Question.objects.filter(slug="unfinished-draft").delete()  # no answer: its note would be refused
    path = tmp_path / "deck.txt"
    call_command("export_questions", "--format", "anki", "-o", str(path), stderr=io.StringIO())
    assert path.read_text(encoding="utf-8").startswith("#separator:tab\n#html:true\n")
    before = {q.slug: q for q in Question.objects.all()}
    out, err = _import(str(path))  # a .txt file: read as Anki's from its first line
    assert err == "" and "0 questions were created" in out and "0 new topics" in out
    after = {q.slug: q for q in Question.objects.all()}
    assert after.keys() == before.keys()
    same = [s for s in after if (after[s].uuid, after[s].prompt) == (before[s].uuid, before[s].prompt)]
    assert sorted(same) == sorted(s for s in after if s != "tricky-text")
    tricky = after["tricky-text"]
    assert tricky.prompt == "A prompt with GIFT's specials: ~ = # { } \\ and a line break?"  # one line in Anki
    assert [k.label for k in tricky.key_points.all()] == ["Max | mean :: pooling", "Plain label"]
    assert [k.phrasings for k in tricky.key_points.all()] == [[], []]  # lost, as the format says


def test_a_seed_style_text_file_imports(tmp_path, topic):
    path = tmp_path / "sample.txt"
    path.write_text(
        "Interview questions\n\nTopic: Training and optimisation\n"
        "Q1: Why does a learning rate that is too high diverge?\n"
        "Answer: Each step overshoots the minimum, so the loss grows instead of shrinking.\n\n"
        "Q2: What is early stopping?\n"
        "Training stops when the validation loss has not improved for a number of epochs.\n",
        encoding="utf-8",
    )
    out, _ = _import(str(path))
    assert "2 questions were created" in out
    assert "0 new topics" in out  # "Training and optimisation" is the existing topic, found by name
    question = Question.objects.get(slug="what-is-early-stopping")
    assert question.topic == topic
    assert question.key_points.count() == 0
    assert question.references.get().text.startswith("Training stops when")


def test_a_dry_run_lists_what_would_change_and_writes_nothing(bank, tmp_path):
    path = tmp_path / "bank.json"
    call_command("export_questions", "-o", str(path), stderr=io.StringIO())
    Question.objects.filter(slug="pooling-layers").update(prompt="Edited since the export")
    Question.objects.filter(slug="tricky-text").delete()
    before = _snapshot()
    out, _ = _import("--dry-run", str(path))
    assert "create    tricky-text" in out
    assert "update    pooling-layers" in out
    assert "unchanged vanishing-gradients" in out
    assert "1 questions would be created, 1 updated, 2 left alone" in out
    assert _snapshot() == before


def test_a_malformed_line_is_reported_with_file_and_line_and_nothing_is_written(tmp_path, topic):
    good = tmp_path / "a.csv"
    good.write_text("slug,topic,prompt,references\nfine,training-optimisation,P?,R.\n", encoding="utf-8")
    bad = tmp_path / "b.gift"
    bad.write_text("$CATEGORY: Misc\n\nGood? {####Yes.}\n\nBroken? {####never closed\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 problem\(s\); nothing was imported"):
        call_command("import_questions", str(good), str(bad), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == f"{bad}:5: '{{' is never closed\n"
    assert not Question.objects.exists()


def test_the_command_exits_non_zero_on_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "mlprep-bank",\n  "version": 1,\n  "questions": [}\n', encoding="utf-8")
    env = os.environ | {"SQLITE_PATH": str(tmp_path / "unused.sqlite3"), "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "import_questions", str(bad)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"{bad}:3: invalid JSON" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file, not text"),
        ("latin1.csv", "slug,topic,prompt,references\nq,t,Café?,Oui.\n".encode("latin-1"), ":2: not valid UTF-8"),
    ],
)
def test_binary_and_non_utf8_files_get_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), stdout=io.StringIO(), stderr=err)
    assert f"{path}" in err.getvalue()
    assert message in err.getvalue()


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with path.open("wb") as fh:
        fh.truncate(50 * 2**20 + 1)  # sparse: takes no room on disk
    opened = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == f"{path}: file is 50.0 MB; the limit is 20 MB\n"
    assert opened == []
