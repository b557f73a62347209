"""The registry finds tools by scanning rules/, and never computes from a clause that does not apply on the date:
a repealed / not yet in force / missing clause gives a `not_in_force` result (or the error, and exit code 2 in the CLI)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from corpus.errors import ClauseNotInForceError, DanglingReferenceError
from corpus.loader import DOCUMENTS_FILE, read_corpus
from eligibility_tools import registry
from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.registry import Triggers, load_tools, register, rule_modules, run_tool

pytestmark = pytest.mark.unit

RULES_DIR = Path(registry.__file__).parent / "rules"
INCUBATOR_ARGS = {"base_type": "商贸类", "area_sqm": 1200, "entities": 12, "employed": 120, "meets_basic_conditions": True}
REPEALED_BY = "《乌海市创业园和创业孵化基地认定管理办法》（乌人社发〔2024〕20号）"


class TestDiscovery:
    def test_every_module_under_rules_is_scanned_no_list_to_edit(self):
        on_disk = {p.stem for p in RULES_DIR.glob("*.py") if not p.stem.startswith("_")} | {
            p.name for p in RULES_DIR.iterdir() if (p / "__init__.py").exists()}
        assert {m.rsplit(".", 1)[1] for m in rule_modules()} == on_disk - registry.HELPER_MODULES
        assert not hasattr(registry, "RULE_MODULES")

    def test_tools_keep_their_listed_order(self):
        names = list(load_tools())
        assert names[0] == "title_application_routes" and names[-1] == "sum_amounts"
        assert names.index("initial_post_grade") < names.index("skills_contest_entry") < names.index("policy_match")


class _ClauseInput(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _declared_tool(monkeypatch, clauses: tuple[str, ...]) -> str:
    monkeypatch.setattr(registry, "TOOLS", dict(load_tools()))

    @register("declares_clauses", "声明条款的测试工具", _ClauseInput, triggers=Triggers(intent="lookup", clauses=clauses))
    def declares_clauses(inp: _ClauseInput, as_of: date) -> ToolResult:
        """测试工具：声明适用的条款。"""
        t = Trace(as_of)
        t.cite(*clauses)
        return t.result(Outcome.computed, {"ok": True})

    return "declares_clauses"


class TestDeclaredClauses:
    def test_a_clause_not_yet_in_force_gives_not_in_force(self, monkeypatch):
        name = _declared_tool(monkeypatch, ("incubator/a6",))
        assert run_tool(name, {}, date(2023, 1, 1)).outcome == Outcome.computed
        result = run_tool(name, {}, date(2021, 1, 1), not_in_force_result=True)
        assert result.outcome == Outcome.not_in_force and result.citations == ["incubator/a6"]
        assert "尚未施行" in result.summary_zh and "2022年10月15日" in result.summary_zh
        with pytest.raises(ClauseNotInForceError):
            run_tool(name, {}, date(2021, 1, 1))

    def test_a_missing_clause_is_refused(self, monkeypatch):
        name = _declared_tool(monkeypatch, ("no-such-document/a1",))
        result = run_tool(name, {}, date(2024, 1, 1), not_in_force_result=True)
        assert result.outcome == Outcome.not_in_force and result.value["status"] == "missing"
        assert "不存在" in result.summary_zh
        with pytest.raises(DanglingReferenceError):
            run_tool(name, {}, date(2024, 1, 1))


@pytest.fixture(scope="module")
def repealed(tmp_path_factory):
    """The bundled corpus with the incubator 办法 repealed from 2025-01-01 (documents.yaml copied to a tmp folder)."""
    folder = tmp_path_factory.mktemp("repealed")
    data = yaml.safe_load(DOCUMENTS_FILE.read_text(encoding="utf-8"))
    data["source_file"] = str((DOCUMENTS_FILE.parent / data["source_file"]).resolve())
    meta = next(d for d in data["documents"] if d["slug"] == "incubator")
    meta["repealed_on"] = date(2025, 1, 1)
    meta["repealed_by"] = REPEALED_BY
    (folder / "errata.yaml").write_text((DOCUMENTS_FILE.parent / "errata.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "documents.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return read_corpus(folder / "documents.yaml")


class TestRepealedParameterSource:
    def test_run_path_returns_not_in_force_naming_the_repeal(self, monkeypatch, repealed):
        monkeypatch.setattr("corpus.loader.load_corpus", lambda documents=None: repealed)
        assert run_tool("incubator_recognition", INCUBATOR_ARGS, date(2024, 12, 31)).outcome == Outcome.eligible
        result = run_tool("incubator_recognition", INCUBATOR_ARGS, date(2025, 1, 1), not_in_force_result=True)
        assert result.outcome == Outcome.not_in_force and result.tool == "incubator_recognition"
        assert result.value["status"] == "repealed" and result.value["by"] == REPEALED_BY
        assert result.citations[0].startswith("incubator/") and REPEALED_BY in result.citations
        assert "已废止" in result.summary_zh and "不能据此计算" in result.summary_zh

    @pytest.mark.parametrize("as_json", [False, True])
    def test_cli_tool_run_exits_2_with_a_chinese_message(self, monkeypatch, capsys, repealed, as_json):
        from assistant.cli import main

        monkeypatch.setattr("corpus.loader.load_corpus", lambda documents=None: repealed)
        argv = ["tool", "run", "incubator_recognition", "--args", json.dumps(INCUBATOR_ARGS), "--as-of", "2025-01-01"]
        with pytest.raises(SystemExit) as exit_info:
            main(argv + (["--json"] if as_json else []))
        assert exit_info.value.code == 2
        out = capsys.readouterr()
        assert out.err.startswith("错误：参数“") and "已废止" in out.err and "乌人社发〔2024〕20号" in out.err
        if as_json:
            assert json.loads(out.out)["outcome"] == "not_in_force"
        else:
            assert out.out == ""  # nothing computed is printed
