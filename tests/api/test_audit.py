"""The audit trail: every answer stored with provenance, PII masked, retention applied; votes link to it."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from assistant.audit import AuditSettings, AuditTrail, audit_context, audited, suppressed
from assistant.feedback import FeedbackStore
from tests.api.fakes import SessionFakeAssistant

pytestmark = pytest.mark.unit

Q = "技能大赛金奖奖金多少？身份证150302199001011234"


@pytest.fixture
def store(tmp_path):
    return FeedbackStore(tmp_path / "feedback.sqlite3")


class TestAuditedAssistant:
    def test_run_stores_every_answer_with_provenance_masked(self, store):
        assistant = audited(SessionFakeAssistant(), store.path)
        with audit_context("openai", "conv-1"):
            contract = assistant.ask(Q, as_of=date(2026, 1, 2), session_id="s")
        rows = store.answers_since("2000-01-01")
        assert len(rows) == 1
        row = rows[0]
        assert row["channel"] == "openai" and row["as_of"] == "2026-01-02" and row["status"] == contract["status"]
        assert "199001011234" not in row["question"] and "199001011234" not in str(row["contract"])
        assert len(row["corpus_fingerprint"]) == 16 and row["code_version"].startswith("0.")
        assert row["contract"]["citations"][0]["text"] == contract["citations"][0]["text"], "the clause text as relied on"

    def test_run_skips_suppressed_answers(self, store):
        assistant = audited(SessionFakeAssistant(), store.path)
        with suppressed():
            assistant.ask("技能大赛金奖奖金多少？")
        assert store.answers_since("2000-01-01") == []

    def test_run_answers_even_when_the_store_cannot_be_written(self, tmp_path):
        blocker = tmp_path / "file"
        blocker.write_text("x")
        assistant = audited(SessionFakeAssistant(), blocker / "feedback.sqlite3")
        assert assistant.ask("技能大赛金奖奖金多少？")["status"] == "answered"

    def test_run_is_off_when_disabled(self, store):
        assistant = audited(SessionFakeAssistant(), store.path, AuditSettings(enabled=False))
        assistant.ask("技能大赛金奖奖金多少？")
        assert store.answers_since("2000-01-01") == []


class TestRetention:
    def test_run_deletes_answers_and_votes_past_the_retention_days(self, store):
        trail = AuditTrail(store, AuditSettings(retention_days=30))
        old = trail.record("旧问题", {"status": "answered", "answer": "a"}, as_of=None, session_id=None, channel="rest")
        new = trail.record("新问题", {"status": "answered", "answer": "b"}, as_of=None, session_id=None, channel="rest")
        store.record_feedback(rating="down", answer_id=old, reason="数字不对")
        with sqlite3.connect(store.path) as conn:
            conn.execute("UPDATE answers SET created_at = ? WHERE id = ?",
                         ((datetime.now() - timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%S+0000"), old))
        assert trail.purge() == 1
        assert store.answer(old) is None and store.answer(new) is not None and store.rows() == []

    def test_init_rejects_zero_days(self):
        with pytest.raises(ValueError):
            AuditSettings(retention_days=0)


class TestFeedbackLink:
    def test_a_web_vote_attaches_to_the_audited_answer_instead_of_a_copy(self, store):
        assistant = audited(SessionFakeAssistant(), store.path)
        contract = assistant.ask("技能大赛金奖奖金多少？", session_id="web-1")
        store.record_feedback(rating="down", answer_id="turn123", question="技能大赛金奖奖金多少？", contract=contract,
                              reason="数字不对", session_id="web-1")
        store.record_feedback(rating="up", answer_id="turn123", question="技能大赛金奖奖金多少？", contract=contract,
                              session_id="web-1")
        rows = store.answers_since("2000-01-01")
        assert len(rows) == 1 and rows[0]["rating"] == "up"

    def test_a_vote_without_session_keeps_its_own_row(self, store):
        store.record_feedback(rating="down", answer_id="t1", question="q", contract={"status": "answered", "answer": "a"})
        assert store.answer("t1")["rating"] == "down"

    def test_init_upgrades_a_version_1_file(self, tmp_path):
        path = tmp_path / "old.sqlite3"
        with sqlite3.connect(path) as conn:
            conn.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                               "CREATE TABLE answers (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, question TEXT NOT NULL,"
                               " as_of TEXT, status TEXT NOT NULL, conclusion TEXT NOT NULL, contract_json TEXT NOT NULL,"
                               " session_hash TEXT, channel TEXT NOT NULL);"
                               "INSERT INTO answers VALUES ('a1', '2026-01-01T00:00:00', 'q', NULL, 'answered', 'c', '{}', NULL, 'web');")
        store = FeedbackStore(path)
        store.record_answer("q2", {"status": "answered"}, provenance={"corpus_fingerprint": "abc", "code_version": "v"})
        assert store.answer("a1")["corpus_fingerprint"] is None
        assert [r["corpus_fingerprint"] for r in store.answers_since("2000")][-1] == "abc"
