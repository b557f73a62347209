"""One tool for every clause rule of `eligibility_tools/inventory/rules/*.yaml` (conditions, prohibitions, formulas).

The CLI (`policy-qa tool run clause_rule --args '{"rule": "...", "facts": {...}}'`), the LLM agent and the assistant
all apply a clause rule through it; `policy-qa tool coverage` lists the rules with their clauses.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from corpus.errors import ToolInputError
from eligibility_tools.base import ToolResult
from eligibility_tools.bounds import FACTS_MAX, LABEL_MAX
from eligibility_tools.registry import register

TOOL_ORDER = 100  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "条款规则"


class ClauseRuleInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str = Field(max_length=LABEL_MAX, title="条款规则编号", description="条款规则编号（见 policy-qa tool coverage），如 title-publicity-5-days")
    facts: dict[str, Any] = Field(default_factory=dict, max_length=FACTS_MAX, title="已知事实", description="已知事实：条件或输入名称 -> 取值（数量按规则的单位，是/否用 true/false）")

    @field_validator("rule")
    @classmethod
    def _known(cls, value: str) -> str:
        from eligibility_tools.inventory.model import load_rules

        if value not in load_rules():
            shown = value.replace("`", "").strip()  # the user's text is quoted, never read as part of the command
            raise ValueError(f"没有编号为“{shown}”的条款规则，请用 `policy-qa tool coverage` 查看全部编号")
        return value


@register("clause_rule", "条款规则判断与计算", ClauseRuleInput, category=CATEGORY)
def clause_rule(inp: ClauseRuleInput, as_of: date) -> ToolResult:
    """按汇编条款逐条判断条件（可以/不可以/还差多少/需补充什么）或按条款数字计算金额与数量。"""
    from eligibility_tools.inventory.evaluate import run_rule
    from eligibility_tools.inventory.model import load_rules

    rule = load_rules()[inp.rule]
    known = {c.name: c for c in rule.conditions + rule.exceptions + rule.inputs}
    by_facts = {c.by_fact for c in known.values() if c.by_fact}
    facts: dict[str, Any] = {}
    for name, value in inp.facts.items():
        if name in by_facts:  # a fact that sets a threshold (学历 …)
            facts[name] = str(value)
            continue
        cond = known.get(name)
        if cond is None:
            raise ToolInputError("已知事实", f"规则 {rule.id} 没有事实“{name}”。可用：{'、'.join(known) or '（无）'}")
        facts[name] = _coerce(cond, value)
    return run_rule(rule, facts, as_of)


def _coerce(cond: Any, value: Any) -> Any:
    """A fact in the rule's terms; a quantity must be a finite number within the sanity bounds of its unit (bounds.py)."""
    from decimal import Decimal, InvalidOperation

    from eligibility_tools.bounds import shown, unit_bound

    if value is None:
        return None
    label = cond.label or cond.name
    if cond.kind == "quantity":
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, bool) for v in values):
            raise ToolInputError(label, "必须是数字，不能填“是/否”。")
        try:
            numbers = [Decimal(str(v)) for v in values]
        except (InvalidOperation, ValueError):
            raise ToolInputError(label, "必须是数字。") from None
        if any(not n.is_finite() for n in numbers):
            raise ToolInputError(label, "必须是有限的数字。")
        if any(n.is_signed() for n in numbers):
            raise ToolInputError(label, "不能是负数，请检查输入的数字。")
        bound = unit_bound(cond.unit)
        if bound is not None:
            _noun, low, high = bound
            if any(not low <= n <= high for n in numbers):
                raise ToolInputError(label, f"应为{shown(low)}到{shown(high)}{cond.unit}之间的数。")
        return numbers if isinstance(value, list) else numbers[0]
    if cond.kind == "statement":
        if value in (True, False, "pending"):
            return value
        raise ToolInputError(label, "必须是“是”“否”或“尚未达到”。")
    return str(value)
