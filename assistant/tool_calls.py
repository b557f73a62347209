"""From a routed question to tool calls: planning, and filling each tool's input model from the question's facts.

A tool's arguments come from its own builder (`ToolSpec.builder`, declared where the tool is registered), else a hand
builder of `assistant/tool_builders/` (one module per policy area), else the schema: `schema_arguments` fills every
field whose name — or the slot it names in `json_schema_extra={"slot": …}` — is a slot the question gives.
A builder returns None when the question does not give what the tool is about (then retrieval answers alone).
Arguments are adapted to the tool's input model as registered (`eligibility_tools.registry`): unknown fields
are dropped and enum values are matched to the allowed ones, so a tool's schema can grow without breaking
the assistant. A tool that rejects its arguments is skipped (logged), never shown to the user as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders import BUILDERS, Builder, builder
from assistant.tool_builders.common import num as _num
from assistant.tool_builders.match import _policy_match
from assistant.tool_builders.titles import find_series, series_terms, title_focus

__all__ = ["ALWAYS_CONSIDER", "BUILDERS", "Builder", "ToolCall", "adapt_arguments", "assumption_options", "builder",
           "builder_for", "describe_assumption", "find_series", "normalised_arguments", "plan_tool_calls",
           "planned_arguments", "schema_arguments", "series_terms", "title_focus"]


@dataclass
class ToolCall:
    name: str
    arguments: dict[str, Any]
    primary: bool = True  # False: run for context (its citations rank lower)
    focus: list[str] = field(default_factory=list)  # title routes the question is about (see `title_focus`)



def schema_arguments(model: Any, slots: Slots) -> dict[str, Any] | None:
    """The default builder: each input field filled from the slot of the same name (or the slot named by the
    field's `json_schema_extra={"slot": …}`, or its alias). None when the question gives none of them."""
    args: dict[str, Any] = {}
    for name, info in getattr(model, "model_fields", {}).items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        for slot in (extra.get("slot"), info.alias, name):
            if slot and slots.get(str(slot)) is not None:
                args[name] = slots.get(str(slot))
                break
    return args or None


def builder_for(name: str, spec: Any) -> Builder | None:
    """How a tool's arguments are filled: its own builder, a hand builder, else the schema (None: no input model)."""
    own = getattr(spec, "builder", None)
    if own is not None:
        return own
    if name in BUILDERS:
        return BUILDERS[name]
    model = getattr(spec, "input_model", None)
    if model is None:
        return None
    return lambda slots, question, rt: schema_arguments(model, slots)


# --------------------------------------------------------------------------- adaptation to the schema

def planned_arguments(rt: QuestionRoute, question: str, tools: dict[str, Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    """Each tool the question would run with its builder's arguments, before adaptation: (name, spec, arguments)."""
    if "policy_match" in tools:  # "我能享受哪些政策": one profile run over every tool (policy_match runs them itself)
        built = _policy_match(rt.slots, question, rt)
        if built and adapt_arguments(tools["policy_match"].input_model, built) is not None:
            return [("policy_match", tools["policy_match"], built)]
    out: list[tuple[str, Any, dict[str, Any]]] = []
    for name in rt.tools + [n for n in BUILDERS if n not in rt.tools and n in ALWAYS_CONSIDER]:
        spec = tools.get(name)
        build = builder_for(name, spec) if spec is not None else None
        if build is None:
            continue
        built = build(rt.slots, question, rt)
        if not built:
            continue
        out.extend((name, spec, args) for args in (built if isinstance(built, list) else [built]))
    return out


def plan_tool_calls(rt: QuestionRoute, question: str, tools: dict[str, Any]) -> list[ToolCall]:
    """The tool calls for a routed question; none when it states a negative or out-of-range quantity
    (`assistant.quantity_check`: the assistant then says which number is wrong, and no tool computes from it)."""
    from assistant.quantity_check import quantity_problem

    planned = planned_arguments(rt, question, tools)
    if quantity_problem(question, rt.slots, planned, tools) is not None:
        return []
    calls: list[ToolCall] = []
    for name, spec, args in planned:
        adapted = adapt_arguments(spec.input_model, args)
        if adapted is not None:
            calls.append(ToolCall(name=name, arguments=adapted, primary=not args.get("_secondary", False),
                                  focus=list(args.get("_focus") or [])))
    return calls


ALWAYS_CONSIDER: set[str] = set()


def normalised_arguments(model: Any, args: dict[str, Any]) -> dict[str, Any]:
    """The fields the model has, JSON-safe, enum values matched to the allowed ones (nothing dropped yet)."""
    fields = getattr(model, "model_fields", {})
    return {key: _coerce(fields[key].annotation, _num(value)) for key, value in args.items()
            if not key.startswith("_") and key in fields and value is not None}


def adapt_arguments(model: Any, args: dict[str, Any]) -> dict[str, Any] | None:
    """Keep the fields the model has, coerce enum values to allowed ones, drop fields that still fail."""
    from pydantic import ValidationError

    out = normalised_arguments(model, args)
    for _ in range(len(out) + 1):
        try:
            model.model_validate(out)
            return out
        except ValidationError as err:
            bad = {str(e["loc"][0]) for e in err.errors() if e.get("loc")}
            missing = [e for e in err.errors() if e["type"] == "missing"]
            if missing:
                return None
            if not bad & set(out):
                return None
            for key in bad:
                out.pop(key, None)
    return None


def _enum_of(annotation: Any) -> type[Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _enum_of(arg)
        if found:
            return found
    return None


def _coerce(annotation: Any, value: Any) -> Any:
    enum = _enum_of(annotation)
    if enum is None or not isinstance(value, str):
        return value
    values = [m.value for m in enum]
    if value in values:
        return value
    for v in values:  # 村 -> 村（嘎查）, 非公有制 -> 非公有制经济组织, 公务员 -> 公务员（含参公人员）
        if isinstance(v, str) and (v.startswith(value) or value.startswith(v) or re.sub(r"（.*?）", "", v) == value):
            return v
    for v in values:
        if isinstance(v, str) and (value in v or v in value):
            return v
    for m in enum:
        if m.name == value:
            return m.value
    return value


def assumption_options(model: Any, facts: list[str], limit_values: int = 5) -> list[dict[str, Any]] | None:
    """Assignments of the missing yes/no or choice facts to try (None when a missing fact is a number or text)."""
    from itertools import product

    fields = getattr(model, "model_fields", {})
    choices: list[list[tuple[str, Any]]] = []
    for fact in facts:
        info = fields.get(fact)
        if info is None:
            return None
        enum = _enum_of(info.annotation)
        annotation_args = getattr(info.annotation, "__args__", ()) or (info.annotation,)
        if enum is not None:
            values = [m.value for m in enum][:limit_values]
        elif bool in annotation_args:
            values = [False, True]
        else:
            return None
        choices.append([(fact, v) for v in values])
    if not choices or len(choices) > 3:
        return None
    return [dict(combo) for combo in product(*choices)]


def describe_assumption(model: Any, assumed: dict[str, Any]) -> str:
    """'所选工种是否为简单易学工种：否；学徒来源：技能岗位新招用人员' from the model's Chinese field descriptions."""
    fields = getattr(model, "model_fields", {})
    parts = []
    for key, value in assumed.items():
        info = fields.get(key)
        label = (info.description if info and info.description else key).split("（")[0]
        shown = "是" if value is True else "否" if value is False else str(value)
        parts.append(f"{label}——{shown}")
    return "；".join(parts)
