"""Servers and a browser for the UI integration tests: loopback only, bounded waits, always shut down."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.load import free_port, running_server, wait_until_up

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"  # screenshots, committed (server logs there are git-ignored)
STARTUP_TIMEOUT_S = 600  # a fresh clone builds the retrieval index on first start (about a minute on 2 cores)
CHROMIUM = os.environ.get("POLICY_QA_CHROMIUM", "/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def real_feedback_db(tmp_path_factory) -> Path:
    """Where the real server stores votes (not the developer's ./data)."""
    return tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"


@pytest.fixture(scope="session")
def real_app_url(real_feedback_db) -> Iterator[str]:
    """The real app (real assistant, retriever, tools) served by `policy-qa serve` in a child process."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_server(log=ARTIFACTS / "real-server.log", startup_timeout_s=STARTUP_TIMEOUT_S, cwd=REPO,
                        extra_env={"POLICY_QA_UI_FEEDBACK_DB": str(real_feedback_db)}) as url:
        yield url


@pytest.fixture(scope="session")
def fake_feedback_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fake-feedback") / "feedback.sqlite3"


@pytest.fixture(scope="session")
def fake_app(fake_feedback_db) -> Iterator[tuple[str, object]]:
    """The app with the fake assistant/retriever, in a thread of this process: (url, assistant)."""
    from tests.ui.fakes import FakeAssistant, FakeRetriever
    from ui.app import build_app, launch
    from ui.config import UISettings

    settings = UISettings(port=free_port())
    assistant = FakeAssistant()
    demo = build_app(assistant, FakeRetriever(), settings, feedback_path=fake_feedback_db)
    launch(demo, settings, block=False, quiet=True)
    try:
        url = f"http://127.0.0.1:{settings.port}/"
        wait_until_up(url, time.monotonic() + 60)
        yield url, assistant
    finally:
        demo.close()


@pytest.fixture(scope="session")
def fake_app_url(fake_app) -> str:
    return fake_app[0]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright's Python package (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"未找到 Chromium（{CHROMIUM}），跳过浏览器测试：请运行 make test（会自动安装）或 apt-get install -y chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield b
        finally:
            b.close()


def client_for(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False, analytics_enabled=False)
