"""A TCP proxy the fault tests put between vaxx and PostgreSQL (or Redis) to take it away.

``stop()`` drops every open connection and closes the listening socket, so new connections
are refused exactly as if the database were down; ``stall()`` accepts connections and never
answers (a hung server); ``start()`` listens again on the same port, as if it came back.
Threads, not asyncio: the tests drive it from plain sync code and open a few dozen
connections at most.

>>> proxy = TcpProxy(("127.0.0.1", 5432))  # doctest: +SKIP
>>> proxy.start(); proxy.stop(); proxy.start(); proxy.stop()  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from types import TracebackType

_CHUNK = 65536


class TcpProxy:
    """Forward ``127.0.0.1:<port>`` to ``upstream`` until stopped; restartable on one port."""

    def __init__(self, upstream: tuple[str, int], port: int = 0) -> None:
        self.upstream = upstream
        self.port = port
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._stalled = False

    def __enter__(self) -> TcpProxy:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Listen (again) on the proxy's port; the first start picks a free one."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stalled = False
        self._spawn(self._accept, listener)

    def stall(self) -> None:
        """Accept connections but never forward them (a database that hangs, not refuses);
        ``start()`` after ``stop()`` forwards again."""
        self._stalled = True

    def stop(self) -> None:
        """Refuse new connections and cut every open one (both directions, at once)."""
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown() wakes the accept() blocked in the other thread; close() alone may not.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            victims, self._open = self._open, set()
        for sock in victims:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = [thread for thread in self._threads if thread.is_alive()]

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            if self._stalled:
                with self._lock:
                    self._open.add(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # stopped while connecting
                    client.close()
                    server.close()
                    return
                self._open.update((client, server))
            pumps_left = [2]
            self._spawn(self._pump, client, server, pumps_left)
            self._spawn(self._pump, server, client, pumps_left)

    def _pump(self, source: socket.socket, sink: socket.socket, pumps_left: list[int]) -> None:
        """Copy one direction; when it ends, end the other one too (a dropped connection).
        The last of the pair's two pumps closes both sockets."""
        try:
            while data := source.recv(_CHUNK):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with self._lock:
            pumps_left[0] -= 1
            if pumps_left[0]:
                return
            self._open.difference_update((source, sink))
        source.close()
        sink.close()
