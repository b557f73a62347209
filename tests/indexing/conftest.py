"""Fixtures for the indexing tests: isolated data dirs, the fake embedder, no network."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture()
def fake_settings(tmp_path, monkeypatch):
    """IndexSettings on a fresh data dir with the fake embedder (and nothing from the caller's environment)."""
    from indexing.config import IndexSettings

    for var in ("POLICY_QA_DATA_DIR", "POLICY_QA_EMBEDDER", "POLICY_QA_CHROMA_URL", "POLICY_QA_RERANKER", "POLICY_QA_TOP_K"):
        monkeypatch.delenv(var, raising=False)
    return IndexSettings(data_dir=tmp_path / "data", embedder="fake")


@pytest.fixture()
def fresh_retrievers():
    from indexing.retriever import clear_retriever_cache
    from indexing.store import release_embedded_clients

    clear_retriever_cache()
    yield
    clear_retriever_cache()
    release_embedded_clients()
