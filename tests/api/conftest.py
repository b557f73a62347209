"""The API app over fakes, in-process (FastAPI's TestClient): no model, no index, no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.fakes import SessionFakeAssistant
from tests.ui.fakes import FakeRetriever


def make_client(tmp_path: Path, **settings):
    from fastapi.testclient import TestClient

    from assistant.audit import audited
    from ui.api import create_api
    from ui.api.config import ApiSettings
    from ui.services import Services

    db = tmp_path / "feedback.sqlite3"
    fake = SessionFakeAssistant()
    services = Services(assistant=audited(fake, db), retriever=FakeRetriever(), feedback_path=db)
    app = create_api(services, ApiSettings(**settings), data_dir=tmp_path)
    client = TestClient(app, raise_server_exceptions=False)
    client.fake = fake
    client.services = services
    client.context = app.state.context
    return client


@pytest.fixture
def api(tmp_path):
    return make_client(tmp_path)


@pytest.fixture
def api_with_tokens(tmp_path):
    return make_client(tmp_path, tokens=["staff-token-1", "tight-token-2:3"], burst=5)
