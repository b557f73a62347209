"""`policy-qa corpus …` and the lazy top-level command group."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from corpus.cli import corpus as corpus_group


def test_stats_json_reports_documents_coverage_and_table():
    result = CliRunner().invoke(corpus_group, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 10
    assert data["coverage"]["coverage"] >= 0.995
    assert {t["title"]: t["rows"] for t in data["tables"]} == {"乌海市专业技术资格送审经办机构": 22, "政策扶持清单": 28}
    assert data["per_document"]["skills-contest"]["kinds"]["article"] == 29


def test_list_shows_every_document_with_clause_counts():
    result = CliRunner().invoke(corpus_group, ["list"])
    assert result.exit_code == 0
    assert result.output.count("条）") == 10
    assert "乌海市创业园和创业孵化基地认定管理办法（试行）" in result.output


def test_show_by_label_prints_label_and_text():
    result = CliRunner().invoke(corpus_group, ["show", "《乌海市职业技能竞赛管理办法（试行）》第十八条"])
    assert result.exit_code == 0
    assert "skills-contest/a18" in result.output and "0.8万元" in result.output


def test_unknown_clause_gives_chinese_message_and_nonzero_exit():
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "corpus", "show", "no-such/a99"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "未找到条款" in proc.stderr


def test_help_imports_no_heavy_library():
    code = ("import sys; from assistant.cli import cli; from click.testing import CliRunner; "
            "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = [m for m in ('torch','chromadb','gradio','sentence_transformers','langchain_core','jieba') if m in sys.modules]; "
            "print(heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
