"""Serving a built site on 127.0.0.1 and driving Debian's Chromium with Playwright."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser closed before a download ended (the benchmark closes it at the first answer)."""


@contextmanager
def serve(root: Path, port: int, prefix: str = ""):
    """Serves `root` at http://127.0.0.1:port/prefix/ (prefix lets a test host under a sub-path)."""
    served = root
    if prefix:
        served = root.parent / f"{root.name}-hosted"
        (served / prefix).parent.mkdir(parents=True, exist_ok=True)
        if not (served / prefix).exists():
            (served / prefix).symlink_to(root.resolve(), target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = _QuietServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/" + (f"{prefix}/" if prefix else "")
    finally:
        server.shutdown()
        server.server_close()
