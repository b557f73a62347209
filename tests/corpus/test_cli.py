"""`policy-qa corpus …` and the lazy top-level command group."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from corpus.cli import corpus as corpus_group
from corpus.parser import load_metadata

DOCUMENTS = load_metadata()["documents"]  # counts come from documents.yaml, not from a number written here


def test_stats_json_reports_documents_coverage_and_table():
    result = CliRunner().invoke(corpus_group, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == len(DOCUMENTS)
    assert list(data["per_document"]) == [d["slug"] for d in DOCUMENTS]
    assert data["coverage"]["coverage"] >= 0.995
    assert {t["title"]: t["rows"] for t in data["tables"]} == {"乌海市专业技术资格送审经办机构": 22, "政策扶持清单": 28}
    assert data["per_document"]["skills-contest"]["kinds"]["article"] == 29


def test_list_shows_every_document_with_clause_counts():
    result = CliRunner().invoke(corpus_group, ["list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(DOCUMENTS)
    for line, meta in zip(lines, DOCUMENTS, strict=True):
        assert f"[{meta['slug']}] {meta['title']}（{meta['section']}，" in line
    assert "人才人才" not in result.output


def test_show_states_whether_the_clause_is_in_force():
    result = CliRunner().invoke(corpus_group, ["show", "incubator/a6", "--as-of", "2022-10-14"])
    assert result.exit_code == 0, result.output
    assert "状态（截至2022-10-14）：尚未施行" in result.output
    result = CliRunner().invoke(corpus_group, ["status", "hr-service/att1/s5/i20", "--as-of", "2026-01-01", "--json"])
    data = json.loads(result.output)
    assert data["status"] == "expired" and data["since"] == "2026-01-01"


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
