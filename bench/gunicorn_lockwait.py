"""`config/gunicorn.py`, plus a timer on every statement that opens a transaction (`BEGIN ...`).

Used by `load_test.py --lock-wait`: on SQLite, `BEGIN IMMEDIATE` is where a worker waits for the
database's one write lock, so the time spent in it is the time writers queue. Each worker writes its
totals to `$LOCK_WAIT_DIR/<pid>.txt` ("seconds count") when it exits.
"""

from __future__ import annotations

import os
import runpy
import time
from pathlib import Path

_base = runpy.run_path(str(Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"))
globals().update({k: v for k, v in _base.items() if not k.startswith("__")})

_waited = {"seconds": 0.0, "count": 0}


def _time_begin(execute, sql, params, many, context):
    if not sql.startswith("BEGIN"):
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _waited["seconds"] += time.perf_counter() - started
        _waited["count"] += 1


def _on_connection(sender, connection, **kwargs) -> None:
    connection.execute_wrappers.append(_time_begin)


def post_worker_init(worker) -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(_on_connection, weak=False)
    _base["post_worker_init"](worker)


def worker_exit(server, worker) -> None:
    out = Path(os.environ["LOCK_WAIT_DIR"]) / f"{os.getpid()}.txt"
    out.write_text(f"{_waited['seconds']:.6f} {_waited['count']}\n")
