"""Provenance lint: every parameter quotes the clause it cites; no rule reads a bare number."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from eligibility_tools.params import load_parameter_table
from eligibility_tools.registry import load_tools

RULES_DIR = Path(__file__).resolve().parents[2] / "eligibility_tools" / "rules"
# Structural integers a rule may write (indexing, counting, "one more"); money, ratios and
# thresholds must come from parameters/*.yaml.
ALLOWED_LITERALS = {0, 1, -1}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _params():
    return [(name, v) for name, versions in load_parameter_table().items() for v in versions]


@pytest.mark.parametrize("name,param", _params(), ids=[n for n, _ in _params()])
def test_parameter_quote_is_in_cited_clause(corpus, name, param):
    if param.external:
        assert param.clause_id is None, f"{name}: external parameters cite no clause"
        return
    assert param.clause_id in corpus.clauses, f"{name}: unknown clause {param.clause_id}"
    assert param.quote, f"{name}: a cited parameter needs a quote"
    text = _squash(corpus.full_text(param.clause_id))
    assert _squash(param.quote) in text, f"{name}: quote not found in {param.clause_id}"


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_rules_contain_no_numeric_literals(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            if node.value not in ALLOWED_LITERALS:
                bad.append(f"line {node.lineno}: {node.value}")
    assert not bad, f"numbers must come from parameters/*.yaml: {bad}"


def test_every_tool_is_registered_with_a_chinese_title():
    tools = load_tools()
    assert tools
    for spec in tools.values():
        assert spec.title_zh and spec.description
        for field_name, info in spec.input_model.model_fields.items():
            assert info.description, f"{spec.name}.{field_name} needs a Chinese description"
