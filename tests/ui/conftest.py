"""Servers for the UI integration tests: loopback only, bounded waits, always shut down."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
STARTUP_TIMEOUT_S = 600  # a fresh clone builds the retrieval index on first start (about a minute on 2 cores)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, deadline: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {proc.returncode} before it was up:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError as err:
            last = err
        time.sleep(0.5)
    raise TimeoutError(f"{url} not up in time ({last!r})")


@contextmanager
def serve_subprocess(name: str) -> Iterator[str]:
    """`policy-qa serve` in a child process on a free loopback port; yields its URL."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = ARTIFACTS / f"{name}-server.log"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1"}
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_up(url, time.monotonic() + STARTUP_TIMEOUT_S, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


@pytest.fixture(scope="session")
def real_app_url() -> Iterator[str]:
    """The real app (real assistant, retriever, tools) served by `policy-qa serve`."""
    with serve_subprocess("real") as url:
        yield url


@pytest.fixture(scope="session")
def fake_app_url() -> Iterator[str]:
    """The app with the fake assistant/retriever, in a thread of this process."""
    from tests.ui.fakes import FakeAssistant, FakeRetriever
    from ui.app import build_app, launch
    from ui.config import UISettings

    settings = UISettings(port=free_port())
    demo = build_app(FakeAssistant(), FakeRetriever(), settings)
    launch(demo, settings, block=False, quiet=True)
    try:
        url = f"http://127.0.0.1:{settings.port}/"
        wait_until_up(url, time.monotonic() + 60)
        yield url
    finally:
        demo.close()


def client_for(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False, analytics_enabled=False)
