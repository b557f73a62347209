"""Fixtures: an Assistant over the real corpus and real tools, with the lexical fake retriever (no model, no index)."""

from __future__ import annotations

from datetime import date

import pytest

AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="session")
def fake_retriever():
    from tests.assistant.fakes import shared_fake_retriever

    return shared_fake_retriever()


@pytest.fixture()
def assistant(fake_retriever):
    from assistant.config import AssistantSettings
    from assistant.service import Assistant

    return Assistant(AssistantSettings(), retriever=fake_retriever)
