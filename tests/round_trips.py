"""Counting PostgreSQL round trips: a TCP proxy between Django and the server that counts the
times the client speaks again after the server has answered (`PostgresRoundTrips.count`)."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from collections.abc import Iterator

from django.db import connection


class PostgresRoundTrips:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.count = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        server = socket.create_connection(self.upstream)
        picker = selectors.DefaultSelector()
        picker.register(client, selectors.EVENT_READ, server)
        picker.register(server, selectors.EVENT_READ, client)
        last_from_server = True  # the connection opens with the client speaking
        with client, server, picker:
            while not self._stop.is_set():
                for key, _ in picker.select(timeout=0.1):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    from_server = key.fileobj is server
                    if not from_server and last_from_server:
                        self.count += 1
                    last_from_server = from_server
                    key.data.sendall(data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()


@contextlib.contextmanager
def postgres_round_trips() -> Iterator[PostgresRoundTrips]:
    """Django's default connection goes through the proxy inside the block (a new connection:
    use it in a `transaction=True` test)."""
    settings = connection.settings_dict
    saved = settings["HOST"], settings["PORT"]
    proxy = PostgresRoundTrips((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", proxy.port
    try:
        connection.ensure_connection()
        yield proxy
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved
        proxy.close()
