"""Property tests over the whole registry: any valid input gives a well-formed, cited result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility_tools.base import ToolResult
from eligibility_tools.registry import load_tools, run_tool


def _resolve(schema: dict, root: dict) -> dict:
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return root["$defs"][name]
    return schema


def _strategy(prop: dict, root: dict):
    if "anyOf" in prop:
        return st.one_of([_strategy(p, root) for p in prop["anyOf"]])
    prop = _resolve(prop, root)
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    kind = prop.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        lo = prop.get("minimum", prop.get("exclusiveMinimum", -1) + 1)
        hi = prop.get("maximum", prop.get("exclusiveMaximum", 100_001) - 1)
        return st.integers(min_value=int(lo), max_value=int(min(hi, 100_000)))
    if kind == "number":
        lo = prop.get("minimum", 0)
        hi = min(prop.get("maximum", 1_000_000), 1_000_000)
        return st.decimals(min_value=lo, max_value=hi, places=2, allow_nan=False, allow_infinity=False).map(str)
    if kind == "string":
        if prop.get("format") == "date":
            return st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)).map(str)
        return st.text(min_size=0, max_size=12)
    if kind == "array":
        return st.lists(_strategy(prop.get("items", {}), root), max_size=3)
    return st.none()


def _inputs(schema: dict):
    required = set(schema.get("required", []))
    fields = {}
    for name, prop in schema.get("properties", {}).items():
        strat = _strategy(prop, schema)
        fields[name] = strat if name in required else st.one_of(st.just(None), strat)
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _amounts(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _amounts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _amounts(v)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        yield value


@pytest.mark.parametrize("name", sorted(load_tools()))
def test_no_tool_crashes_money_never_negative_and_always_cites(name, corpus):
    spec = load_tools()[name]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_inputs(spec.json_schema()), st.dates(min_value=date(2022, 1, 1), max_value=date(2028, 12, 31)))
    def check(args, as_of):
        try:
            result = run_tool(name, args, as_of)
        except Exception as err:  # invalid combinations must be ToolInputError, never a crash
            from corpus.errors import ToolInputError

            assert isinstance(err, ToolInputError), repr(err)
            return
        assert isinstance(result, ToolResult)
        assert result.citations, f"{name} cited nothing for {args}"
        assert all(cid in corpus.clauses for cid in result.citations)
        assert all(v >= 0 for v in _amounts(result.value)), result.value

    check()


def test_results_are_strict_json_with_string_keys():
    """Gradio serialises answers with orjson, which rejects non-string keys (a rank-keyed prize table did)."""
    import json

    result = run_tool("skills_contest_award", {"rank": 1, "contest_type": "全市技能大赛"}, date(2026, 11, 26)).to_json()

    def keys_are_strings(obj):
        if isinstance(obj, dict):
            return all(isinstance(k, str) and keys_are_strings(v) for k, v in obj.items())
        if isinstance(obj, list):
            return all(keys_are_strings(v) for v in obj)
        return True

    assert keys_are_strings(result)
    json.dumps(result, allow_nan=False)
