"""Servers for the UI integration tests: loopback only, bounded waits, always shut down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.load import free_port, running_server, wait_until_up

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
STARTUP_TIMEOUT_S = 600  # a fresh clone builds the retrieval index on first start (about a minute on 2 cores)


@pytest.fixture(scope="session")
def real_app_url() -> Iterator[str]:
    """The real app (real assistant, retriever, tools) served by `policy-qa serve` in a child process."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_server(log=ARTIFACTS / "real-server.log", startup_timeout_s=STARTUP_TIMEOUT_S, cwd=REPO) as url:
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
