"""Provenance lint: every parameter quotes the clause it cites and can be computed from on its dates; no rule reads
a bare number, and figures written inside rule strings may only become fewer (a ratchet until they are built from
parameters and clause labels)."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from eligibility_tools.params import Params, load_parameter_table
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


@pytest.mark.parametrize("name,param", _params(), ids=[n for n, _ in _params()])
def test_parameter_source_is_in_force_on_its_own_dates(corpus, name, param):
    """A version can be computed from on its first day and on its last one: its clause is neither gone, repealed,
    nor amended before the version was written (Parameter.check_source raises otherwise)."""
    days = [param.valid_from or date(2023, 10, 1), param.last_day or date(2026, 11, 26)]
    for day in days:
        param.check_source(day, corpus)


def test_every_parameter_can_be_read_today(corpus):
    params = Params(date(2026, 11, 26), corpus=corpus)
    for name in load_parameter_table():
        params.get(name)  # raises DanglingReferenceError / ClauseNotInForceError on a dead source


# Figures and 第X条 references written inside rule strings (docstrings excepted: a rule names the clause it
# implements there). They should be built from parameters and clause labels (issue 13); until then a file may
# not gain any. Lower a number when you remove some. A tool folder (titles/) counts all its files together.
_STRING_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|%|％|年|个月|月|人|户|课时|平方米|亩|天|日|岁|分|名|倍|份|项)"
                            r"|第[一二三四五六七八九十百]+条")
STRING_FIGURES_BASELINE = {"common.py": 1, "contests.py": 29, "hr_service.py": 48, "incubator.py": 9, "match.py": 4,
                           "offices.py": 2, "posts.py": 7, "sums.py": 1, "tax.py": 42, "titles.py": 35, "training.py": 34}


def _string_figures(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [f"line {node.lineno}: {hit}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            for hit in _STRING_FIGURE.findall(node.value)]


def _rule_units() -> dict[str, list[Path]]:
    """Each tool module under rules/ with its files: a module is one file, a tool folder (titles/) all its files."""
    units: dict[str, list[Path]] = {}
    for path in sorted(RULES_DIR.rglob("*.py")):
        top = path.relative_to(RULES_DIR).parts[0]
        units.setdefault(top if top.endswith(".py") else f"{top}.py", []).append(path)
    return units


@pytest.mark.parametrize("name", sorted(_rule_units()))
def test_rule_strings_gain_no_policy_figures(name):
    found = [f"{path.name} {hit}" for path in _rule_units()[name] for hit in _string_figures(path)]
    allowed = STRING_FIGURES_BASELINE.get(name, 0)
    assert len(found) <= allowed, (f"{name}: {len(found)} figures in strings (at most {allowed}); build them from "
                                   f"parameters (Trace.param) and clause labels instead: {found}")


# 第X条 written inside a rule string goes stale when a dated parameter version cites another document's clause
# ("按第十八条…15000元" after the 2024 notice): name clauses with `rules.common.article` instead (issue 13).
# Docstrings and pydantic Field(description=/title=) texts (form and tool-schema help, not answer text) are exempt.
# Files not converted yet, with how many they may still hold; do not add entries, remove them when converting.
_ARTICLE_LITERAL = re.compile(r"第[一二三四五六七八九十百]+条")
ARTICLE_LITERALS_ALLOWED = {"training.py": 3}


def _article_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = {id(node.body[0].value) for node in ast.walk(tree)
              if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body
              and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Field":
            exempt |= {id(n) for kw in call.keywords if kw.arg in ("description", "title") for n in ast.walk(kw.value)}
    return [f"{path.relative_to(RULES_DIR)} line {node.lineno}: {hit}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt
            for hit in _ARTICLE_LITERAL.findall(node.value)]


@pytest.mark.parametrize("path", sorted(RULES_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(RULES_DIR)))
def test_rule_strings_build_article_references_from_clauses(path):
    found = _article_literals(path)
    allowed = ARTICLE_LITERALS_ALLOWED.get(str(path.relative_to(RULES_DIR)), 0)
    assert len(found) <= allowed, (f"{len(found)} 第X条 literals in strings (at most {allowed}); name the clause with "
                                   f"rules.common.article(t, parameter_or_clause_id, home) instead: {found}")


def test_article_allow_list_only_names_files_still_holding_literals():
    for name, allowed in ARTICLE_LITERALS_ALLOWED.items():
        assert 0 < len(_article_literals(RULES_DIR / name)) <= allowed, f"{name}: lower or remove its allow-list entry"


@pytest.mark.parametrize("path", sorted(RULES_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(RULES_DIR)))
def test_rules_contain_no_numeric_literals(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    listing = {id(node.value) for node in tree.body  # `TOOL_ORDER = 10`: where a module's tools are listed, not policy
               if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["TOOL_ORDER"]}
    bad = []
    for node in ast.walk(tree):
        if id(node) in listing:
            continue
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
