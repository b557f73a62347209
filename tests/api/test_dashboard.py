"""The staff dashboard's figures and page data, and `policy-qa feedback export --dashboard`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from assistant.audit import audited, staff_report, week_of
from assistant.feedback import FeedbackStore
from tests.api.fakes import SessionFakeAssistant
from ui.api.config import ApiSettings

pytestmark = pytest.mark.unit


@pytest.fixture
def filled(tmp_path):
    """One declined question, one 👎, one needs_more_info left hanging and one followed up, two answered."""
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    assistant = audited(SessionFakeAssistant(), store.path)
    assistant.ask("乌海明天天气怎么样？", session_id="a")
    gold = assistant.ask("技能大赛金奖奖金多少？", session_id="b")
    store.record_feedback(rating="down", answer_id="ui-turn-1", question="技能大赛金奖奖金多少？", contract=gold,
                          reason="数字不对", comment="应为8000", session_id="b")
    assistant.ask("我能评职称吗？", session_id="c")  # never followed up
    assistant.ask("我能评职称吗？", session_id="d")
    assistant.ask("本科", session_id="d")  # the follow-up came
    return store


class TestStaffReport:
    def test_run_lists_declined_disliked_and_hanging_follow_ups(self, filled):
        report = staff_report(filled)
        assert [r["question"] for r in report["declined"]] == ["乌海明天天气怎么样？"]
        disliked = report["disliked"]
        assert len(disliked) == 1 and disliked[0]["reason"] == "数字不对" and disliked[0]["comment"] == "应为8000"
        assert len(report["unanswered_follow_ups"]) == 1
        row = report["declined"][0]
        assert row["link"] == f"/api/v1/answers/{row['answer_id']}" and row["corpus_fingerprint"] and row["as_of"]

    def test_run_counts_shares_topics_and_clauses_by_week(self, filled):
        report = staff_report(filled)
        totals = report["totals"]
        assert totals["asked"] == 5 and totals["out_of_scope"] == 1 and totals["needs_more_info"] == 2
        assert totals["shares"]["out_of_scope"] == 0.2
        week = week_of(filled.answers_since("2000")[0]["created_at"])
        assert {r["week"] for r in report["status_by_week"]} == {week}
        assert sum(r["share"] for r in report["status_by_week"]) == pytest.approx(1.0)
        assert any(r["key"] == "乌海市职业技能竞赛管理办法（试行）" for r in report["topics_by_week"])
        assert any(r["key"].endswith("第十八条") for r in report["clauses_by_week"])

    def test_init_rejects_zero_weeks(self, filled):
        with pytest.raises(ValueError):
            staff_report(filled, weeks=0)


class TestDashboardPage:
    def test_run_shows_the_report_without_auth(self, filled):
        from ui.dashboard import Dashboard, plot_frames, table, totals_markdown

        board = Dashboard(_Services(filled), ApiSettings())
        problem, report = board.report(None, 8)
        assert problem == "" and "共 5 个问题" in totals_markdown(report)
        frames = plot_frames(report)
        assert set(frames["share"].columns) >= {"week_start", "share_pct", "status_zh"}
        assert table(report["declined"]).iloc[0]["问题（已脱敏）"] == "乌海明天天气怎么样？"
        detail = board.answer(None, report["disliked"][0]["answer_id"])
        assert detail["contract"]["citations"] and detail["rating"] == "down"

    def test_run_needs_a_token_when_auth_is_on(self, filled):
        from ui.dashboard import TOKEN_NEEDED_ZH, TOKEN_WRONG_ZH, Dashboard

        board = Dashboard(_Services(filled), ApiSettings(tokens=["staff-token-1"]))
        assert board.report("", 8) == (TOKEN_NEEDED_ZH, None)
        assert board.report("guess-guess", 8) == (TOKEN_WRONG_ZH, None)
        assert board.report("staff-token-1", 8)[1]["totals"]["asked"] == 5
        assert "提示" in board.answer("", "x")


class TestExport:
    @pytest.mark.parametrize("fmt", ["csv", "jsonl"])
    def test_run_exports_the_dashboard(self, filled, fmt):
        from assistant.cli_feedback import feedback

        result = CliRunner().invoke(feedback, ["export", "--dashboard", "--format", fmt, "--db", str(filled.path)])
        assert result.exit_code == 0, result.output
        if fmt == "jsonl":
            rows = [json.loads(line) for line in result.output.splitlines()]
        else:
            rows = list(csv.DictReader(io.StringIO(result.output)))
        sections = {r["section"] for r in rows}
        assert {"declined", "disliked", "unanswered_follow_ups", "status_by_week", "topics_by_week"} <= sections
        declined = next(r for r in rows if r["section"] == "declined")
        assert declined["question"] == "乌海明天天气怎么样？" and declined["corpus_fingerprint"]


class _Services:
    def __init__(self, store):
        self.feedback = store
