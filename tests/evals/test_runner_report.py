"""Runner, report files and `policy-qa eval`, with fake assistant and retriever (no model, no index)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from evals import cli as eval_cli
from evals import runner as runner_mod
from evals.errors import EvalDependencyError
from evals.gold import GoldItem
from evals.grading import METRIC_KEYS
from evals.report import markdown_report, text_report, write_report
from evals.runner import RunSpec, evaluate, run_gold

ITEMS = [
    GoldItem("g1", "lookup", "聘期几年？", ("聘期一般为3年",), ("3",), "3年", "文件"),
    GoldItem("g2", "calculation", "银奖多少？", ("0.8万元",), ("0.8万",), "8000元", "文件"),
    GoldItem("g3", "out_of_scope", "养老金多少？", (), (), "不在范围", None),
    GoldItem("g4", "time_validity", "还能免征吗？", ("15万元以下",), ("15万",), "已到期", "文件"),
]


@dataclass
class Hit:
    clause_id: str
    label: str
    document: str
    text: str
    score: float = 1.0


def fake_retriever(question: str, mode: str):
    good = {"聘期几年？": "特设岗位人员聘期一般为 3 年", "银奖多少？": "给予1万元、0.8万元、0.5万元的奖金",
            "还能免征吗？": "月销售额15万元以下免征增值税"}.get(question, "无关")
    noise = [Hit(f"d/a{i}", f"第{i}条", "文件", "无关的条款") for i in range(4)]
    target = Hit("d/a9", "第九条", "文件", good)
    return [target, *noise] if mode == "hybrid" else [*noise[:2], target, *noise[2:]]


def fake_answerer(mode: str):
    answers = {"g1": {"status": "answered", "answer": "一般为三年。"},
               "g2": {"status": "answered", "answer": "银奖8000元。"},
               "g3": {"status": "answered", "answer": "养老金每月3000元。"},     # should have declined
               "g4": {"status": "answered", "answer": "15万元以下的小规模纳税人免征。", "warnings": ["执行期限截至2022年12月31日，已到期"]}}

    def answer(item, as_of):
        base = answers[item.id] if item.id in answers else {"status": "answered", "answer": ""}
        return {**base, "citations": [{"clause_id": h.clause_id, "label": h.label, "document": h.document, "text": h.text}
                                      for h in fake_retriever(item.question, "hybrid")], "elapsed_ms": 5.0}
    return answer


def _report():
    specs = [RunSpec("retrieval", "naive"), RunSpec("retrieval", "hybrid"), RunSpec("assistant", "deterministic")]
    return evaluate(ITEMS, specs, gold="fake.jsonl", answerer_factory=fake_answerer, retriever_factory=lambda: fake_retriever)


class TestRunSpec:
    def test_rejects_unknown_mode(self):
        with pytest.raises(ValueError, match="mode for retrieval"):
            RunSpec("retrieval", "sparse")
        with pytest.raises(ValueError, match="kind must be"):
            RunSpec("ui", "hybrid")


class TestRunner:
    def test_retrieval_run_has_hits_and_null_answer_metrics(self):
        run = run_gold(ITEMS, RunSpec("retrieval", "naive"), retriever=fake_retriever)
        s = run.summary["ALL"]
        assert (s["hit@1"], s["hit@3"], s["hit@5"]) == (0.0, 1.0, 1.0)
        assert s["mrr"] == round(1 / 3, 4)
        assert s["numbers_ok"] is None and s["status_ok"] is None and s["expiry_flagged"] is None
        assert s["p50_ms"] is not None  # measured by the runner when the backend does not report it

    def test_assistant_run_grades_answers(self):
        run = run_gold(ITEMS, RunSpec("assistant", "deterministic"), answerer=fake_answerer("deterministic"))
        s = run.summary
        assert s["ALL"]["hit@1"] == 1.0 and s["ALL"]["numbers_ok"] == 1.0
        assert s["out_of_scope"]["status_ok"] == 0.0
        assert s["time_validity"]["expiry_flagged"] == 1.0
        assert s["ALL"]["false_abstain"] == 0.0
        assert set(METRIC_KEYS) <= set(s["ALL"])
        failing = [r for r in run.items if not r["passed"]]
        assert [r["id"] for r in failing] == ["g3"]

    def test_a_crashing_item_is_graded_as_error(self):
        def answer(item, as_of):
            if item.id == "g2":
                raise RuntimeError("boom")
            return fake_answerer("x")(item, as_of)

        run = run_gold(ITEMS, RunSpec("assistant", "deterministic"), answerer=answer, warmup=False)
        rec = next(r for r in run.items if r["id"] == "g2")
        assert rec["status"] == "error" and rec["false_abstain"] is True and "boom" in rec["answer"]

    def test_conversation_is_asked_turn_by_turn_in_its_own_session(self, monkeypatch):
        calls = []

        class RecordingAssistant:
            def ask(self, question, *, as_of=None, session_id=None, id=None):
                calls.append((question, session_id, id))
                return {"id": id, "status": "answered", "answer": f"答：{question}", "citations": [],
                        "elapsed_ms": float(len(calls))}

        import assistant.service as service

        monkeypatch.setattr(service, "get_assistant", lambda mode=None: RecordingAssistant())
        conv = GoldItem("m1", "multi_turn", ("特设岗位聘期几年？", "那最长呢？"), (), (), "", None)
        items = [conv, ITEMS[0], conv]
        run = run_gold(items, RunSpec("assistant", "deterministic"), answerer=runner_mod.load_answerer(), warmup=False)
        assert [q for q, _, _ in calls] == ["特设岗位聘期几年？", "那最长呢？", "聘期几年？", "特设岗位聘期几年？", "那最长呢？"]
        first, second = calls[0][1], calls[3][1]
        assert first and calls[1][1] == first                 # both turns in one session …
        assert second and second != first                    # … unique per item and per call
        assert calls[2][1] is None                            # a single question has no session
        assert run.items[0]["answer"] == "答：那最长呢？"       # the last turn is graded …
        assert run.items[0]["elapsed_ms"] == 2.0              # … with its own elapsed_ms
        assert run.items[0]["question"] == ["特设岗位聘期几年？", "那最长呢？"]

    def test_retrieval_of_a_conversation_uses_the_last_turn(self):
        seen = []

        def retriever(question, mode):
            seen.append(question)
            return fake_retriever(question, mode)

        conv = GoldItem("m1", "multi_turn", ("无关的第一问", "聘期几年？"), ("聘期一般为3年",), (), "", None)
        run = run_gold([conv], RunSpec("retrieval", "hybrid"), retriever=retriever, warmup=False)
        assert seen == ["聘期几年？"] and run.items[0]["hit@1"] is True

    def test_missing_package_is_skipped_or_raised(self, monkeypatch):
        def missing(mode="deterministic"):
            raise EvalDependencyError("问答助手（issue 5）尚未就绪", missing=True)

        specs = [RunSpec("retrieval", "bm25"), RunSpec("assistant", "deterministic")]
        report = evaluate(ITEMS, specs, strict=False, answerer_factory=missing, retriever_factory=lambda: fake_retriever)
        assert [r.spec.name for r in report.runs] == ["retrieval:bm25"]
        assert report.skipped[0].name == "assistant:deterministic" and not report.skipped[0].failed
        with pytest.raises(EvalDependencyError, match="尚未就绪"):
            evaluate(ITEMS, specs, strict=True, answerer_factory=missing, retriever_factory=lambda: fake_retriever)

    def test_loader_names_missing_module_in_chinese(self, monkeypatch):
        monkeypatch.setattr(runner_mod.importlib.util, "find_spec", lambda name: None)
        with pytest.raises(EvalDependencyError, match="找不到模块 indexing.retriever") as err:
            runner_mod.load_retriever()
        assert err.value.missing


class TestReport:
    def test_primary_is_the_assistant(self):
        report = _report()
        assert report.primary.spec.name == "assistant:deterministic"
        data = report.to_dict()
        assert set(data) >= {"summary", "items", "runs"}
        assert list(data["runs"]) == ["retrieval:naive", "retrieval:hybrid", "assistant:deterministic"]

    def test_write_report_files(self, tmp_path):
        paths = write_report(_report(), tmp_path / "out")
        data = json.loads(paths["json"].read_text(encoding="utf-8"))
        assert set(METRIC_KEYS) <= set(data["summary"]["ALL"])
        assert {"ALL", "lookup", "calculation", "out_of_scope", "time_validity"} <= set(data["summary"])
        assert data["runs"]["retrieval:naive"]["summary"]["ALL"]["hit@1"] == 0.0
        for key in ("hit_at_k", "latency"):
            png = paths[key].read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
        md = paths["markdown"].read_text(encoding="utf-8")
        assert "| retrieval:naive |" in md and "| assistant:deterministic |" in md
        assert "### g3 [out_of_scope] 养老金多少？" in md          # failing item: question …
        assert "状态应为 out_of_scope，实际为 answered" in md       # … expected, got
        assert "养老金每月3000元" in md

    def test_charts_survive_an_empty_report(self, tmp_path):
        report = evaluate([], [], gold="empty.jsonl")
        paths = write_report(report, tmp_path)
        assert paths["hit_at_k"].stat().st_size > 0 and paths["latency"].stat().st_size > 0

    def test_text_report_lists_modes_and_failures(self):
        text = text_report(_report())
        assert "各模式对比" in text and "retrieval:naive" in text
        assert "g3 [out_of_scope]" in text

    def test_new_metrics_in_tables_and_failing_items(self):
        item = GoldItem("v1", "eligibility", ("第一问", "能认定吗？"), (), ("1",), "还不能", None,
                        expected_status="answered", expected_verdict="not_yet")

        def answerer(mode):
            return lambda it, as_of: {"status": "answered", "answer": "结论：可以。", "citations": [], "elapsed_ms": 1.0}

        report = evaluate([item], [RunSpec("assistant", "deterministic")], gold="c.jsonl", answerer_factory=answerer)
        text = text_report(report)
        assert "verdict" in text and "num_stated" in text
        assert "结论应为“暂不能（还差条件）”，实际为“可以”" in text
        md = markdown_report(report)
        assert "### v1 [eligibility] 第一问 → 能认定吗？" in md
        assert "- 预期：数字 1；状态 answered；结论 暂不能（还差条件）" in md and "结论 可以" in md

    def test_markdown_lists_skipped_runs(self):
        report = _report()
        report.skipped.append(runner_mod.SkippedRun("retrieval:dense", "检索模块尚未就绪", failed=False))
        assert "`retrieval:dense`：跳过，检索模块尚未就绪" in markdown_report(report)


class TestEvalCommand:
    @pytest.fixture
    def fakes(self, monkeypatch, tmp_path):
        gold = tmp_path / "gold.jsonl"
        gold.write_text("\n".join(json.dumps({"id": i.id, "category": i.category, "question": i.question,
                                              "evidence": list(i.evidence), "expected_numbers": list(i.expected_numbers),
                                              "expected_answer": i.expected_answer, "doc": i.doc}, ensure_ascii=False)
                                  for i in ITEMS), encoding="utf-8")
        monkeypatch.setattr(runner_mod, "load_answerer", fake_answerer)
        monkeypatch.setattr(runner_mod, "load_retriever", lambda: fake_retriever)
        monkeypatch.setattr(runner_mod, "package_available", lambda name: True)
        return gold

    def test_json_output_shape(self, fakes, tmp_path):
        result = CliRunner().invoke(eval_cli.eval_command, ["--gold", str(fakes), "--json", "--out", str(tmp_path / "r")])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert set(data["summary"]) == {"ALL", "lookup", "calculation", "out_of_scope", "time_validity"}
        assert set(METRIC_KEYS) <= set(data["summary"]["ALL"])
        assert len(data["items"]) == 4 and data["primary"] == "assistant:deterministic"
        assert (tmp_path / "r" / "report.md").exists()

    def test_retrieval_mode_only(self, fakes):
        result = CliRunner().invoke(eval_cli.eval_command, ["--gold", str(fakes), "--retrieval", "bm25", "--json", "--no-report"])
        data = json.loads(result.stdout)
        assert data["primary"] == "retrieval:bm25" and data["summary"]["ALL"]["numbers_ok"] is None

    def test_all_modes_table(self, fakes):
        result = CliRunner().invoke(eval_cli.eval_command, ["--gold", str(fakes), "--all-modes", "--no-report"])
        assert result.exit_code == 0, result.output
        for name in ("retrieval:naive", "retrieval:bm25", "retrieval:dense", "retrieval:hybrid", "assistant:deterministic"):
            assert name in result.stdout
        assert "hit@1" in result.stdout and "分类明细" in result.stdout

    def test_other_gold_sets_report_into_their_own_directory(self):
        assert eval_cli.default_out_dir() == eval_cli.default_out_dir(Path("evals/gold/dev.jsonl"))
        assert eval_cli.default_out_dir(Path("x/dev_citizen.jsonl")) == eval_cli.default_out_dir() / "dev_citizen"

    def test_bad_gold_file_is_a_chinese_error(self, tmp_path):
        bad = tmp_path / "bad.jsonl"
        bad.write_text("{oops\n", encoding="utf-8")
        result = CliRunner().invoke(eval_cli.eval_command, ["--gold", str(bad), "--no-report"])
        assert result.exit_code != 0
        assert "第1行：不是合法的 JSON" in str(result.exception)
