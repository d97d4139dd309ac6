"""The gunicorn settings file: a worker fits the engine as it boots and freezes what it loaded."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError

from interviews import bank

CONFIG = runpy.run_path(str(Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"))


@pytest.fixture
def worker():
    gc.unfreeze()
    yield mock.Mock()
    gc.unfreeze()


@pytest.mark.django_db
def test_a_booting_worker_fits_the_engine_and_freezes_the_collector(worker, question):
    assert bank._cache is None
    CONFIG["post_worker_init"](worker)
    assert bank._cache is not None and str(question.uuid) in bank._cache.specs
    assert gc.get_freeze_count() > 0
    worker.log.warning.assert_not_called()


def test_a_database_that_is_not_ready_leaves_the_fit_to_the_first_answer(worker):
    with mock.patch.object(bank, "get_engine", side_effect=DatabaseError("no such table")):
        CONFIG["post_worker_init"](worker)  # does not raise: the worker still starts
    worker.log.warning.assert_called_once()
    assert bank._cache is None
    assert gc.get_freeze_count() > 0


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("BIND", "127.0.0.1:9000")
    settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"))
    assert (settings["workers"], settings["bind"], settings["accesslog"]) == (3, "127.0.0.1:9000", None)
