"""The total of several amounts other tools computed for one question (two hiring groups, two tax years …).

A tool computes one item at a time; a citizen asks "一共多少". The total is still a tool result, so every number in
the answer stays grounded: the items and their sum are in `tool_calls`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.bounds import ITEMS_MAX, ITEMS_MIN, LABEL_MAX, MONEY_MAX
from eligibility_tools.registry import register

TOOL_ORDER = 120  # where its tools are listed (CLI, UI forms, LLM tools)


class SumItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(max_length=LABEL_MAX, description="这一项是什么（如“招用自主就业退役士兵（2023年）”）")
    amount_yuan: Decimal = Field(ge=0, le=MONEY_MAX, description="这一项的金额（元）")


class SumInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[SumItem] = Field(min_length=ITEMS_MIN, max_length=ITEMS_MAX, description="要合计的各项金额（至少两项）")


@register("sum_amounts", "多项金额合计", SumInput, category="计算")
def sum_amounts(inp: SumInput, as_of: date) -> ToolResult:
    """把几项已算出的金额加总（如两类招用人员的扣减额、两个年度的扣减额）。"""
    t = Trace(as_of)
    total = sum((i.amount_yuan for i in inp.items), Decimal(0))
    parts = "＋".join(f"{i.label}{yuan(i.amount_yuan)}" for i in inp.items)
    text = f"合计：{parts}＝{yuan(total)}"
    t.step("total", text, {"items": [i.model_dump() for i in inp.items]})
    return t.result(Outcome.computed, {"amount_yuan": total, "items": len(inp.items)}, text + "。")
