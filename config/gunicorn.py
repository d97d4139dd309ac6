"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (flags on the command line win).

Each worker fits the scoring engine as it boots, before its first request, and then freezes the
garbage collector's view of everything loaded so far (Django, scikit-learn, the fitted engine):
the collections that run while serving no longer walk those objects again and again.
"""

from __future__ import annotations

import gc
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# The app logs one line per request itself (config.middleware), so no access log here.
accesslog = None
errorlog = "-"


def post_worker_init(worker) -> None:
    """Fit the engine now (a database that isn't ready yet leaves it to the first answer), then
    freeze what is loaded."""
    from django.db import connections

    from interviews import bank

    try:
        bank.get_engine()
    except Exception:  # noqa: BLE001 - e.g. not migrated yet: the first answer fits it instead
        worker.log.warning("Scoring engine not fitted at boot; the first answer will fit it", exc_info=True)
    finally:
        connections.close_all()  # requests open their own (a gthread worker serves them in other threads)
    gc.freeze()
