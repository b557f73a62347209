"""Table-driven router and slot tests (cases in cases/*.yaml)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.router import Form, Intent, route
from assistant.slots import extract_slots

CASES = Path(__file__).parent / "cases"
SLOT_CASES = yaml.safe_load((CASES / "slots.yaml").read_text(encoding="utf-8"))
ROUTE_CASES = yaml.safe_load((CASES / "routes.yaml").read_text(encoding="utf-8"))


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@pytest.mark.parametrize("case", SLOT_CASES, ids=[c["name"] for c in SLOT_CASES])
def test_slots(case):
    slots = extract_slots(case["text"])
    for key, expected in case["expected"].items():
        assert _plain(slots.get(key)) == expected, f"{key}: {slots.to_dict()}"


@pytest.mark.parametrize("case", ROUTE_CASES, ids=[c["name"] for c in ROUTE_CASES])
def test_route(case):
    rt = route(case["text"])
    for intent in case["intents"]:
        assert Intent(intent) in rt.intents, rt.to_dict()
    if case["intents"] == ["lookup"]:
        assert rt.intents == [Intent.lookup]
    for form in case.get("forms", []):
        assert Form(form) in rt.forms


def test_every_routed_tool_is_a_registered_tool():
    from assistant.router import intent_specs
    from eligibility_tools.registry import load_tools

    tools = load_tools()
    for spec in intent_specs():
        for name in spec.tools:
            assert name in tools, f"routes.yaml names unknown tool {name}"


def test_every_registered_tool_has_a_builder():
    from assistant.tool_calls import BUILDERS
    from eligibility_tools.registry import load_tools

    missing = set(load_tools()) - set(BUILDERS) - {"team_score", "policy_match", "clause_rule", "document_validity", "sum_amounts"}
    assert not missing, f"tools without an assistant builder: {sorted(missing)}"
