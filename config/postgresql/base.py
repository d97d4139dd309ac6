"""Django's PostgreSQL backend, whose per-request health check costs no round trip when the
connection shows nothing wrong.

With `CONN_HEALTH_CHECKS`, Django checks a kept connection before a request first uses it, by
running `SELECT 1`: one round trip more on every request. A server that ends a connection (a
restart, `pg_terminate_backend`, an idle timeout) says so on the socket first, with an error
message and the end of the stream. So an idle connection with nothing to read is taken as usable at
once; one with something to read (that goodbye, or a notice) gets Django's `SELECT 1` as before.
Like that check, this one does not see a network that fails silently; the first statement then
fails, and Django closes the connection at the end of the request.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        pgconn = conn.pgconn
        if pgconn.status == pq.ConnStatus.OK and pgconn.transaction_status == pq.TransactionStatus.IDLE:
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN)
            if not poller.poll(0):
                return True
        return super().is_usable()
