"""`policy-qa corpus check`: every reference to a document is listed; a dangling clause id fails the check."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from corpus.check import KINDS, check_references
from corpus.cli import corpus as corpus_group

AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def bundled(corpus):
    return check_references(corpus, as_of=AS_OF)


class TestBundledRepository:
    def test_no_reference_dangles(self, bundled):
        assert bundled.ok, [(r.where, r.target, r.problem) for r in bundled.errors]

    def test_every_kind_of_reference_is_found(self, bundled):
        kinds = {r.kind for r in bundled.references}
        assert {"参数", "条款规则", "覆盖理由", "工具用例", "路由", "金标准", "代码"} <= kinds <= set(KINDS)

    def test_references_are_attributed_to_their_document(self, bundled, corpus):
        slugs = {d.slug for d in corpus.documents}
        assert {r.slug for r in bundled.references if r.kind != "拒答主题"} <= slugs
        contest = [r for r in bundled.references if r.slug == "skills-contest"]
        assert any(r.kind == "参数" and r.target == "skills-contest/a18" for r in contest)
        assert any(r.kind == "路由" and "contest" in r.where for r in contest)

    def test_slug_filters_to_one_document(self, corpus):
        report = check_references(corpus, "incubator", as_of=AS_OF)
        assert report.references and {r.slug for r in report.references} == {"incubator"}

    def test_cli_passes_on_the_bundled_repository(self):
        proc = subprocess.run([sys.executable, "-m", "assistant.cli", "corpus", "check", "--as-of", AS_OF.isoformat()],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
        assert "失效 0 处" in proc.stdout

    def test_cli_lists_every_reference_of_one_document(self):
        result = CliRunner().invoke(corpus_group, ["check", "skills-contest", "--as-of", AS_OF.isoformat()])
        assert result.exit_code == 0, result.output
        assert "✓ 参数 eligibility_tools/parameters/contests.yaml: city_skills_contest_prize → skills-contest/a18" in result.output


def _broken_repository(root: Path) -> Path:
    """A repository holding one reference of each structured kind, three of them to clauses that do not exist."""
    (root / "eligibility_tools" / "parameters").mkdir(parents=True)
    (root / "eligibility_tools" / "parameters" / "demo.yaml").write_text(yaml.safe_dump({
        "good_prize": {"description": "奖金", "unit": "CNY", "value": 10000,
                       "source": {"clause_id": "skills-contest/a18", "quote": "给予1万元、0.8万元、0.5万元的奖金奖励"}},
        "dead_prize": {"description": "奖金", "unit": "CNY", "value": 10000,
                       "source": {"clause_id": "skills-contest/a99", "quote": "给予1万元"}},
        "wrong_quote": {"description": "奖金", "unit": "CNY", "value": 20000,
                        "source": {"clause_id": "skills-contest/a18", "quote": "给予2万元"}},
    }, allow_unicode=True), encoding="utf-8")
    (root / "tests" / "eligibility_tools" / "cases").mkdir(parents=True)
    (root / "tests" / "eligibility_tools" / "cases" / "demo.yaml").write_text(yaml.safe_dump([
        {"name": "引用已删除的条款", "tool": "incubator_recognition", "input": {},
         "expected": {"outcome": "computed", "cites": ["incubator/a77"]}}], allow_unicode=True), encoding="utf-8")
    (root / "evals" / "gold").mkdir(parents=True)
    (root / "evals" / "gold" / "demo.jsonl").write_text(json.dumps(
        {"id": "g1", "question": "金奖奖金多少？", "evidence": ["给予1万元、0.8万元、0.5万元的奖金奖励"], "doc": ""},
        ensure_ascii=False) + "\n", encoding="utf-8")
    return root


class TestBrokenReferences:
    def test_dangling_ids_and_quotes_are_errors(self, corpus, tmp_path):
        report = check_references(corpus, root=_broken_repository(tmp_path), as_of=AS_OF)
        assert not report.ok
        errors = {(r.kind, r.target) for r in report.errors}
        assert errors == {("参数", "skills-contest/a99"), ("参数", "skills-contest/a18"), ("工具用例", "incubator/a77")}
        assert any("quote 不在所引条款的原文中" in r.problem for r in report.errors)
        gold = [r for r in report.references if r.kind == "金标准"]
        assert [(r.target, r.level) for r in gold] == [("skills-contest/a18", "ok")]

    def test_cli_fails_with_exit_1_and_a_chinese_message(self, tmp_path):
        root = _broken_repository(tmp_path)
        proc = subprocess.run([sys.executable, "-m", "assistant.cli", "corpus", "check", "skills-contest", "--root", str(root),
                               "--as-of", AS_OF.isoformat()], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1
        assert "✗ 参数 eligibility_tools/parameters/demo.yaml: dead_prize → skills-contest/a99：条款 skills-contest/a99 不存在" in proc.stdout
        assert "错误：发现 2 处失效引用" in proc.stderr

    def test_a_removed_document_leaves_every_reference_dangling(self, tmp_path):
        from corpus.loader import DOCUMENTS_FILE, read_corpus

        data = yaml.safe_load(DOCUMENTS_FILE.read_text(encoding="utf-8"))
        data["source_file"] = str((DOCUMENTS_FILE.parent / data["source_file"]).resolve())
        data["documents"] = [d for d in data["documents"] if d["slug"] != "incubator"]
        (tmp_path / "documents.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        report = check_references(read_corpus(tmp_path / "documents.yaml"), "incubator", as_of=AS_OF)
        assert not report.ok
        assert {"参数", "条款规则", "工具用例", "代码"} <= {r.kind for r in report.errors}
        assert all(r.level == "error" for r in report.references if r.kind == "参数")
