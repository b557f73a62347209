"""Table-driven tool cases: every YAML file under cases/ is a list of sentences about a boundary.

Each case is evaluated at its own `as_of` (a date, or a list of dates: the case must hold on each), else at
DEFAULT_AS_OF — so a dated change (a new parameter version, an amendment, a repeal) breaks only the cases whose
dates it reaches. A file may also be a mapping `{as_of: <date>, cases: [...]}` to set the default for its cases.
`expected.error_contains`: the tool must refuse with a PolicyQAError (e.g. a repealed source) whose message holds
each text.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from corpus.errors import PolicyQAError
from eligibility_tools.registry import run_tool

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_AS_OF = date(2026, 11, 26)  # the fixed "today" of cases that state no date


def _dates(value, default: date) -> list[date]:
    if value is None:
        return [default]
    values = value if isinstance(value, list) else [value]
    return [v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values]


def load_cases(folder: Path = CASES_DIR) -> list:
    """Every case of every YAML file in `folder`, once per date (a tool folder's own cases load the same way)."""
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        default = DEFAULT_AS_OF
        if isinstance(data, dict):
            default = _dates(data.get("as_of"), DEFAULT_AS_OF)[0]
            data = data.get("cases") or []
        for case in data:
            days = _dates(case.get("as_of"), default)
            for day in days:
                suffix = f" @{day.isoformat()}" if len(days) > 1 else ""
                cases.append(pytest.param(case, day, id=f"{path.stem}: {case['name']}{suffix}"))
    return cases


def _get(value, dotted: str):
    for part in dotted.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


@pytest.mark.parametrize("case,as_of", load_cases())
def test_tool_case(case, as_of):
    check_case(case, as_of)


def check_case(case: dict, as_of: date) -> None:
    """One case: `error_contains` expects a refusal raised; otherwise a result (a refusal as `not_in_force`)."""
    expected = case["expected"]
    if "error_contains" in expected:
        with pytest.raises(PolicyQAError) as err:
            run_tool(case["tool"], case.get("input") or {}, as_of)
        for text in expected["error_contains"]:
            assert text in str(err.value), str(err.value)
        return
    result = run_tool(case["tool"], case.get("input") or {}, as_of, not_in_force_result=True)
    data = result.to_json()
    assert data["as_of"] == as_of.isoformat()
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
