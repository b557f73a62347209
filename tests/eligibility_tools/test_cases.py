"""Table-driven tool cases: every YAML file under cases/ is a list of sentences about a boundary."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from eligibility_tools.registry import run_tool

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def _get(value, dotted: str):
    for part in dotted.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


@pytest.mark.parametrize("case", _load_cases())
def test_tool_case(case):
    as_of = case.get("as_of")
    result = run_tool(case["tool"], case.get("input") or {}, date.fromisoformat(str(as_of)) if as_of else date(2026, 11, 26))
    data = result.to_json()
    expected = case["expected"]
    assert data["outcome"] == expected["outcome"], (data["summary_zh"], data["missing_facts"])
    for key, want in (expected.get("value") or {}).items():
        assert _get(data["value"], key) == want, f"value.{key}: {data['value']}"
    if "value_equals" in expected:
        assert data["value"] == expected["value_equals"]
    for cid in expected.get("cites") or []:
        assert cid in data["citations"], data["citations"]
    if "cites_first" in expected:  # the clauses that decide the answer lead, in this order
        first = expected["cites_first"]
        assert data["citations"][:len(first)] == first, data["citations"]
    for cid in expected.get("not_cites") or []:
        assert cid not in data["citations"], data["citations"]
    asked = {m["fact"] for m in data["missing_facts"]}
    if "missing" in expected:
        assert asked == set(expected["missing"]), asked
    for fact in expected.get("missing_includes") or []:
        assert fact in asked, asked
    for text in expected.get("warning_contains") or []:
        assert any(text in w for w in data["warnings"]), data["warnings"]
    if expected.get("no_warnings"):
        assert data["warnings"] == []
    for text in expected.get("summary_contains") or []:
        assert text in data["summary_zh"], data["summary_zh"]
    for text in expected.get("summary_excludes") or []:
        assert text not in data["summary_zh"], data["summary_zh"]
    if "summary_starts_with" in expected:
        assert data["summary_zh"].startswith(expected["summary_starts_with"]), data["summary_zh"]
    for key, want in (expected.get("value_len") or {}).items():
        assert len(_get(data["value"], key)) == want, f"len(value.{key}): {_get(data['value'], key)}"
    for key, want in (expected.get("value_ids") or {}).items():
        assert [item["id"] for item in _get(data["value"], key)] == want, f"value.{key} ids"
    for text in expected.get("value_excludes") or []:  # e.g. "None" leaking into a user-facing reason
        assert text not in json.dumps(data["value"], ensure_ascii=False), data["value"]
    for text in expected.get("step_contains") or []:
        assert any(text in s["text_zh"] for s in data["steps"]), [s["text_zh"] for s in data["steps"]]
