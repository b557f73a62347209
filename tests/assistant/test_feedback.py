"""The feedback store (assistant/feedback.py) and `policy-qa feedback export`."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import date

import pytest
from click.testing import CliRunner

from assistant.feedback import REASONS, FeedbackStore, conclusion_of

CONTRACT = {
    "question": "我的身份证110101199003078515，手机13912345678，技能大赛金奖奖金多少？",
    "status": "answered",
    "conclusion": "全市技能大赛金奖奖金1万元。",
    "answer": "结论：全市技能大赛金奖奖金1万元。\n（您的手机13912345678已收到）",
    "citations": [{"clause_id": "skills-contest/a18", "document": "乌海市职业技能竞赛管理办法（试行）", "label": "第十八条",
                   "text": "给予1万元、0.8万元、0.5万元的奖金奖励"}],
    "tool_calls": [{"name": "skills_contest_award", "arguments": {"rank": 1}, "result": {"value": {"amount_yuan": 10000}}}],
    "warnings": [], "follow_up_questions": [], "elapsed_ms": 12.0,
}


@pytest.fixture
def store(tmp_path):
    return FeedbackStore(tmp_path / "data" / "feedback.sqlite3")


class TestFeedbackStore:
    def test_init_rejects_a_directory(self, tmp_path):
        with pytest.raises(ValueError, match="目录"):
            FeedbackStore(tmp_path)

    def test_run_vote_is_stored_with_question_contract_and_as_of(self, store):
        record = store.record_feedback(rating="down", reason="数字不对", question=CONTRACT["question"], contract=CONTRACT,
                                       as_of=date(2026, 11, 30), session_id="s1")
        assert record.rating == "down" and record.reason == "数字不对" and len(record.answer_id) == 32
        [row] = store.rows()
        assert row["rating"] == "down" and row["rating_zh"] == "没帮助" and row["reason"] == "数字不对"
        assert row["as_of"] == "2026-11-30" and row["status"] == "answered" and row["conclusion"] == "全市技能大赛金奖奖金1万元。"
        assert row["contract"]["citations"][0]["clause_id"] == "skills-contest/a18"
        assert row["contract"]["tool_calls"][0]["result"]["value"]["amount_yuan"] == 10000  # numbers kept exactly

    def test_run_personal_data_is_masked_everywhere(self, store):
        store.record_feedback(rating="down", reason="其他", question=CONTRACT["question"], contract=CONTRACT,
                              comment="请打13912345678联系我")
        raw = store.path.read_bytes().decode("utf-8", errors="replace")
        dumped = json.dumps(store.rows(), ensure_ascii=False) + raw
        assert "13912345678" not in dumped and "110101199003078515" not in dumped
        row = store.rows()[0]
        assert "139****5678" in row["question"] and "139****5678" in row["contract"]["answer"]
        assert "139****5678" in row["comment"]

    def test_run_one_vote_per_answer_the_latest_wins(self, store):
        first = store.record_feedback(rating="up", question="q", contract=CONTRACT, answer_id="a1")
        store.record_feedback(rating="down", answer_id="a1")
        second = store.record_feedback(rating="down", reason="引用不对", answer_id="a1", question="q", contract=CONTRACT)
        rows = store.rows()
        assert len(rows) == 1 and second.id == first.id
        assert rows[0]["rating"] == "down" and rows[0]["reason"] == "引用不对"
        store.record_feedback(rating="up", reason=None, answer_id="a1")
        assert store.rows()[0]["reason"] is None  # a reason says what was wrong; 👍 clears it

    @pytest.mark.parametrize("kwargs, message", [
        ({"rating": "meh", "contract": CONTRACT}, "评价只能是"),
        ({"rating": "down", "reason": "太长", "contract": CONTRACT}, "原因只能是"),
        ({"rating": "up"}, "需要 answer_id"),
        ({"rating": "up", "answer_id": "nope"}, "没有编号为"),
        ({"rating": "up", "answer_id": "../x", "contract": CONTRACT}, "回答编号无效"),
        ({"rating": "up", "answer_id": "a" * 65, "contract": CONTRACT}, "回答编号无效"),
    ])
    def test_run_bad_votes_are_refused_in_chinese(self, store, kwargs, message):
        with pytest.raises(ValueError, match=message):
            store.record_feedback(**kwargs)

    def test_run_every_reason_is_accepted(self, store):
        for n, reason in enumerate(REASONS):
            store.record_feedback(rating="down", reason=reason, contract=CONTRACT, answer_id=f"r{n}")
        assert [r["reason"] for r in store.rows()] == list(REASONS)
        counts = store.counts()
        assert counts["feedback"] == len(REASONS) and counts["down"] == len(REASONS) and counts["reason:数字不对"] == 1

    def test_run_export_csv_and_jsonl(self, store):
        store.record_feedback(rating="up", question="=HYPERLINK(\"http://x\")", contract=CONTRACT, as_of="2026-01-01")
        jsonl = store.export("jsonl")
        [obj] = [json.loads(line) for line in jsonl.splitlines()]
        assert obj["rating"] == "up" and obj["contract"]["status"] == "answered"
        rows = list(csv.DictReader(io.StringIO(store.export("csv"))))
        assert len(rows) == 1 and rows[0]["as_of"] == "2026-01-01"
        assert rows[0]["question"].startswith("'=")  # a spreadsheet must not run citizen text as a formula
        assert json.loads(rows[0]["contract"])["conclusion"] == "全市技能大赛金奖奖金1万元。"
        with pytest.raises(ValueError, match="导出格式"):
            store.export("xml")

    def test_run_empty_store_exports_nothing_and_creates_no_file(self, store):
        assert store.rows() == [] and store.export("jsonl") == "" and not store.path.exists()
        assert store.export("csv").startswith("feedback_id,")

    def test_run_answers_table_is_usable_on_its_own(self, store):
        answer_id = store.record_answer("技能大赛金奖奖金多少？", CONTRACT, as_of="2026-11-30", channel="api")
        assert store.counts() == {"answers": 1, "feedback": 0, "up": 0, "down": 0}
        store.record_feedback(rating="up", answer_id=answer_id)
        assert store.rows()[0]["channel"] == "api"

    def test_run_concurrent_votes_from_threads(self, store):
        def vote(n: int) -> None:
            store.record_feedback(rating="up" if n % 2 else "down", contract=CONTRACT, answer_id=f"t{n}")

        threads = [threading.Thread(target=vote, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert store.counts()["feedback"] == 20

    def test_run_default_path_is_under_the_data_dir(self, monkeypatch, tmp_path):
        monkeypatch.setenv("POLICY_QA_DATA_DIR", str(tmp_path / "d"))
        assert FeedbackStore.default_path() == tmp_path / "d" / "feedback.sqlite3"
        monkeypatch.delenv("POLICY_QA_DATA_DIR")
        monkeypatch.chdir(tmp_path)
        assert FeedbackStore.default_path() == tmp_path / "data" / "feedback.sqlite3"

    @pytest.mark.parametrize("contract, expected", [
        ({"conclusion": "一句话。", "answer": "结论：别的"}, "一句话。"),
        ({"answer": "条文原文：x\n结论：可以。"}, "可以。"),
        ({"answer": "汇编中没有。\n建议咨询"}, "汇编中没有。"),
        ({}, ""),
    ])
    def test_run_conclusion_of(self, contract, expected):
        assert conclusion_of(contract) == expected


class TestExportCommand:
    def _invoke(self, *args):
        from assistant.cli import cli

        return CliRunner().invoke(cli, ["feedback", *args], catch_exceptions=False)

    def test_run_listed_in_help(self):
        from assistant.cli import cli

        assert "feedback" in CliRunner().invoke(cli, ["--help"]).output

    def test_run_export_jsonl_and_csv(self, store, tmp_path):
        store.record_feedback(rating="down", reason="答非所问", question="银奖多少？", contract=CONTRACT)
        out = self._invoke("export", "--format", "jsonl", "--db", str(store.path))
        assert out.exit_code == 0 and json.loads(out.output.splitlines()[0])["reason"] == "答非所问"
        target = tmp_path / "out.csv"
        out = self._invoke("export", "--db", str(store.path), "-o", str(target))
        assert out.exit_code == 0 and "已导出 1 条评价" in out.output
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens Chinese CSV correctly
        assert "银奖多少？" in raw.decode("utf-8-sig")

    def test_run_export_of_a_missing_database_says_so(self, tmp_path):
        out = self._invoke("export", "--db", str(tmp_path / "none.sqlite3"))
        assert out.exit_code == 0 and "还没有任何评价" in out.output

    def test_run_stats(self, store):
        store.record_feedback(rating="down", reason="数字不对", contract=CONTRACT)
        out = self._invoke("stats", "--db", str(store.path))
        assert "👎 1" in out.output and "数字不对：1" in out.output

    def test_run_unknown_format_is_a_usage_error(self, store):
        assert self._invoke("export", "--format", "xml", "--db", str(store.path)).exit_code == 2
