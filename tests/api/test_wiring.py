"""The UI app carries the API, the audit trail and the hidden 工作人员 tab."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit


def test_build_app_audits_answers_and_has_a_hidden_staff_tab(tmp_path):
    import gradio as gr

    from assistant.audit import AuditedAssistant
    from tests.ui.fakes import FakeAssistant, FakeRetriever
    from ui.app import build_app

    db = tmp_path / "feedback.sqlite3"
    demo = build_app(FakeAssistant(), FakeRetriever(), feedback_path=db)
    try:
        assert isinstance(demo.services.assistant, AuditedAssistant)
        demo.services.ask("技能大赛金奖奖金多少？", session_id="s1")
        assert [r["channel"] for r in demo.services.feedback.answers_since("2000")] == ["web"]
        tabs = [b for b in demo.blocks.values() if isinstance(b, gr.Tab) and b.label == "工作人员"]
        assert len(tabs) == 1 and tabs[0].visible is False
    finally:
        demo.close()


def test_api_middleware_routes_only_api_paths():
    from ui.api import is_api_path

    assert all(is_api_path(p) for p in ("/api/v1/ask", "/v1/chat/completions", "/docs", "/openapi.json", "/v1"))
    assert not any(is_api_path(p) for p in ("/", "/gradio_api/call/ask", "/api", "/v10/x", "/docsx"))


def test_invalid_api_settings_are_one_chinese_error(monkeypatch):
    from corpus.errors import PolicyQAError
    from ui.api.config import load_api_settings

    monkeypatch.setenv("POLICY_QA_API_RATE_PER_MINUTE", "0")
    with pytest.raises(PolicyQAError, match="POLICY_QA_API_RATE_PER_MINUTE"):
        load_api_settings()
