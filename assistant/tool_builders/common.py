"""What every builder shares: the registry of hand builders and the readers of stated quantities.

A builder turns a routed question's slots into a tool's arguments: `(slots, question, route) -> args | [args] | None`
(None: the question does not give what the tool is about; several: one run each). Tools without a hand builder are
filled from their schema (`assistant.tool_calls.schema_arguments`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots, rounded

Builder = Callable[[Slots, str, QuestionRoute], list[dict[str, Any]] | dict[str, Any] | None]
BUILDERS: dict[str, Builder] = {}


def builder(name: str) -> Callable[[Builder], Builder]:
    def wrap(func: Builder) -> Builder:
        BUILDERS[name] = func
        return func

    return wrap


def num(value: Any) -> Any:
    """JSON-safe argument values: Decimals become int/float, also inside lists and objects (cohorts, per-person months)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [num(v) for v in value]
    if isinstance(value, dict):
        return {k: num(v) for k, v in value.items()}
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):  # a count read by a regex group
        value = Decimal(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def has(text: str, *words: str) -> bool:
    return any(w in text for w in words)



def quantity(slots: Slots, units: tuple[str, ...], before: str | None = None, after: str | None = None,
              relative: str | None = None) -> Any:
    """The first stated quantity in `units` whose own clause words match (words before it, words after it)."""
    for x in slots.quantities:
        if x.unit not in units or (x.relative or None) != relative:
            continue
        if before is not None and not re.search(before, x.before):
            continue
        if after is not None and not re.search(after, x.after):
            continue
        return x
    return None


def value_of(x: Any) -> Any:
    return None if x is None else x.value


def months_of(q: Any) -> Decimal | None:
    return q.value * {"年": 12, "月": 1}.get(q.unit, 0) if q.unit in ("年", "月") else None


def duration(slots: Slots, before: str) -> Decimal | None:
    """Years of the first duration whose own clause words match `before` ("新的聘期3年", "现在干满2年了")."""
    for x in slots.quantities:
        months = months_of(x)
        if months is not None and not x.relative and re.search(before, x.before):
            return rounded(months / 12, "0.0001").normalize()
    return None


WAGE = r"(最低工资(标准)?|最低工资标准)[^，。\d]{0,6}$"


def count_after(q: str, pattern: str) -> int | None:
    """The first count ("N个/名/人") within a few characters after a cue, in the same clause."""
    from assistant.numbers import parse_number

    m = re.search(pattern + r"[^，。,；;？?\d]{0,10}?(\d+)\s*(?:个|名|人|位)?", q)
    n = parse_number(m.group(1)) if m else None
    return int(n) if n is not None else None


def jurisdiction(slots: Slots) -> str | None:
    """市本级 or 区: the jurisdiction words, else the workplace level (区属/区直/区里/乡镇 are 区, 市直 is 市本级)."""
    jur = slots.get("jurisdiction")
    if jur:
        return jur
    level = slots.get("workplace_level")
    return {"市直": "市本级", "区": "区", "乡镇": "区", "村（嘎查）": "区"}.get(level or "")

