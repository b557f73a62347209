"""Can the web UI listen on host:port? Standard library only, so `make run` (scripts/run_main.py) and `policy-qa serve`
(ui/cli.py) ask the same question in milliseconds, before anything heavy is loaded; each words the answer for its
own reader."""

from __future__ import annotations

import errno
import socket

LOCALHOST = "127.0.0.1"
DEFAULT_PORT = 7860
SUGGEST_SPAN = 50  # ports tried after a busy one, to suggest a free one


def bind_error(host: str, port: int) -> OSError | None:
    """The error binding host:port now raises, None when free. Binds as the server will (SO_REUSEADDR), so a port
    whose last connections are in TIME_WAIT counts as free."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, sockaddr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(sockaddr)
        except OSError as exc:
            return exc
    return None


def listen_error(host: str, port: int) -> OSError | None:
    """Why the UI cannot listen on host:port (None: it can). gradio also checks the port on 127.0.0.1 whatever the
    host, and fails with a traceback when that is taken, so a busy 127.0.0.1 counts too. An unknown host raises
    socket.gaierror (or UnicodeError)."""
    error = bind_error(host, port)
    if error is None and host != LOCALHOST:
        local = bind_error(LOCALHOST, port)
        error = local if local is not None and local.errno == errno.EADDRINUSE else None
    return error


def free_port_after(host: str, port: int) -> int:
    """The first port after `port` that is free on `host` (and on 127.0.0.1, which gradio also checks)."""
    for candidate in range(port + 1, min(port + SUGGEST_SPAN, 65535) + 1):
        if bind_error(host, candidate) is None and (host == LOCALHOST or bind_error(LOCALHOST, candidate) is None):
            return candidate
    return port + 1 if port < 65535 else DEFAULT_PORT
