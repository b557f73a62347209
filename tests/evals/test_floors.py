"""Regression floors: the dev set through every run named in evals/floors.yaml must stay above its floors."""

from __future__ import annotations

import pytest

from evals.errors import EvalError
from evals.floors import (
    CITIZEN_FLOORS_FILE,
    FLOORS_FILE,
    Floor,
    check_floors,
    floors_as_of,
    floors_file_for,
    load_floors,
    runs_needed,
)
from evals.gold import DEV_SET, load_gold
from evals.runner import evaluate, package_available

MODULE_OF = {"retrieval": "indexing.retriever", "assistant": "assistant.service"}
RUNS = [spec.name for spec in runs_needed(load_floors())]


class TestFloorsFile:
    def test_floors_file_parses_and_names_known_runs(self):
        floors = load_floors(FLOORS_FILE)
        assert floors, "evals/floors.yaml 中没有任何底线"
        assert {f.bound for f in floors} <= {"min", "max"}

    def test_check_reports_metric_floor_and_got(self):
        floors = [Floor("retrieval:hybrid", "ALL", "hit@1", "min", 0.85),
                  Floor("retrieval:hybrid", "ALL", "cite_len_max", "max", 1200)]
        summaries = {"retrieval:hybrid": {"ALL": {"hit@1": 0.8, "cite_len_max": 900}}}
        assert check_floors(summaries, floors) == ["retrieval:hybrid / ALL / hit@1：下限 0.85，实际 0.8"]
        assert check_floors({"retrieval:hybrid": {"ALL": {"hit@1": 0.9, "cite_len_max": 1300}}}, floors) == [
            "retrieval:hybrid / ALL / cite_len_max：上限 1200，实际 1300"]
        assert check_floors({}, floors[:1]) == ["retrieval:hybrid / ALL / hit@1：下限 0.85，实际 None"]

    def test_each_gold_set_has_its_floors_file(self):
        assert floors_file_for("evals/gold/dev.jsonl") == FLOORS_FILE
        assert floors_file_for("evals/gold/dev_citizen.jsonl") == CITIZEN_FLOORS_FILE
        assert floors_file_for("/tmp/my_set.jsonl") == FLOORS_FILE
        assert floors_as_of(FLOORS_FILE) is None
        assert floors_as_of(CITIZEN_FLOORS_FILE).isoformat() == "2026-11-30"

    def test_bad_as_of(self, tmp_path):
        path = tmp_path / "floors.yaml"
        path.write_text("as_of: 明天\nruns: {}\n", encoding="utf-8")
        with pytest.raises(EvalError, match="as_of “明天” 应为 YYYY-MM-DD"):
            floors_as_of(path)

    @pytest.mark.parametrize("text, message", [
        ("runs: {retrieval:sparse: {min: {ALL: {hit@1: 0.5}}}}", "运行名 “retrieval:sparse” 无效"),
        ("runs: {retrieval:bm25: {least: {ALL: {hit@1: 0.5}}}}", "只能有 min / max"),
        ("runs: {retrieval:bm25: {min: {ALL: {hit@7: 0.5}}}}", "指标 “hit@7” 未知"),
        ("runs: {retrieval:bm25: {min: {ALL: {hit@1: high}}}}", "应为数字"),
    ])
    def test_bad_floors_file(self, tmp_path, text, message):
        path = tmp_path / "floors.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(EvalError, match=message):
            load_floors(path)


@pytest.fixture(scope="module")
def dev_items():
    return load_gold(DEV_SET)


@pytest.mark.integration
@pytest.mark.parametrize("run_name", RUNS)
def test_dev_set_meets_floors(run_name, dev_items):
    floors = [f for f in load_floors() if f.run == run_name]
    spec = next(s for s in runs_needed(floors))
    if not package_available(MODULE_OF[spec.kind]):
        pytest.skip(f"{MODULE_OF[spec.kind]} 尚未实现，跳过 {run_name} 的回归底线")
    report = evaluate(dev_items, [spec], gold=str(DEV_SET))
    violations = check_floors({run_name: report.runs[0].summary}, floors)
    assert not violations, "低于回归底线（evals/floors.yaml）：\n" + "\n".join(violations)
