"""What `make run` starts: the most useful thing this checkout has (web UI > chat > corpus overview).

The web UI listens on `POLICY_QA_UI_HOST`:`POLICY_QA_UI_PORT` (default 127.0.0.1:7860; `make run HOST=… PORT=…` sets
them). The address is checked before anything else runs: a busy port, an unknown host or a bad value gives one
Chinese line naming the variable to set and a non-zero exit, so nothing is built or started for nothing and no
"请打开 http://…" ever points at another program's server. Builds the index first when one is missing, and never
fails on a part that is not there yet. Only the standard library (and ui/ports.py, which uses nothing else), so the
check takes milliseconds.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = str(BIN / "policy-qa")

HOST_VAR = "POLICY_QA_UI_HOST"
PORT_VAR = "POLICY_QA_UI_PORT"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


class AddressError(ValueError):
    """The web UI cannot listen where it is asked to; the message is the one Chinese line to print."""


def ui_address(environ: Mapping[str, str]) -> tuple[str, int]:
    """(host, port) from POLICY_QA_UI_HOST / POLICY_QA_UI_PORT, the defaults where unset or empty."""
    host = environ.get(HOST_VAR, "").strip() or DEFAULT_HOST
    raw = environ.get(PORT_VAR, "").strip()
    if not raw:
        return host, DEFAULT_PORT
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise AddressError(f"{PORT_VAR}={raw} 不是有效端口，请设置为 1 到 65535 之间的整数，如 {PORT_VAR}=7861 make run")
    return host, port


def check_address(host: str, port: int) -> None:
    """Raise AddressError (one Chinese line naming the variable to set) unless the UI can listen on host:port."""
    from ui.ports import free_port_after, listen_error  # only called when this checkout has the web UI

    try:
        error = listen_error(host, port)
    except (socket.gaierror, UnicodeError):
        raise AddressError(f"无法识别监听地址 {host}，请设置 {HOST_VAR}=127.0.0.1（仅本机）或 {HOST_VAR}=0.0.0.0（政务内网）后再 make run") from None
    if error is None:
        return
    if error.errno == errno.EADDRINUSE:
        free = free_port_after(host, port)
        raise AddressError(f"端口 {port} 已被占用，请设置 {PORT_VAR}={free} make run 换一个端口")
    if error.errno == errno.EACCES:
        raise AddressError(f"没有权限监听端口 {port}（1024 以下的端口需要 root），请设置 {PORT_VAR}={DEFAULT_PORT} make run 换一个端口")
    if error.errno == errno.EADDRNOTAVAIL:
        raise AddressError(f"本机没有地址 {host}，请设置 {HOST_VAR}=127.0.0.1（仅本机）或 {HOST_VAR}=0.0.0.0（政务内网）后再 make run")
    raise AddressError(f"无法监听 {host}:{port}（{error.strerror or error}），请设置 {HOST_VAR} / {PORT_VAR} 换一个地址或端口")


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def run(command: list[str]) -> int:
    """Run a child in the foreground. Ctrl+C reaches it (same process group) and it stops in its own time:
    this process ignores SIGINT while waiting, instead of killing the child 0.25 s later as subprocess.call does."""
    child = subprocess.Popen(command)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # after the child's exec, so the child keeps Ctrl+C
    try:
        code = child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return 128 - code if code < 0 else code  # killed by signal N -> 128 + N, as a shell reports it


def serve(environ: Mapping[str, str]) -> int:
    """Check the address, build the index if missing, then `policy-qa serve` on that address."""
    try:
        host, port = ui_address(environ)
        check_address(host, port)
        if has("indexing.cli"):
            run([CLI, "index", "build", "--if-missing"])
            check_address(host, port)  # building can take a while; something may have taken the port meanwhile
    except AddressError as exc:
        print(exc, file=sys.stderr)
        return 1
    return run([CLI, "serve", "--host", host, "--port", str(port)])


def main(environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    if has("ui.cli"):
        return serve(environ)
    if has("indexing.cli"):
        run([CLI, "index", "build", "--if-missing"])
    if has("assistant.cli_ask") and sys.stdin.isatty():
        return run([CLI, "chat"])
    run([CLI, "corpus", "list"])
    return run([CLI, "corpus", "stats"])


if __name__ == "__main__":
    sys.exit(main())
