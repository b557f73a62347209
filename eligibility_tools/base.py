"""The one result shape every tool returns, and the trace that builds it (OpenFisca / Catala style).

A tool never prints and never guesses: a fact the user did not give is unknown (None), and an
unknown that could change the outcome becomes a `MissingFact` with the question to ask.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.params import Parameter, Params


class Outcome(StrEnum):
    eligible = "eligible"
    not_eligible = "not_eligible"
    needs_info = "needs_info"
    not_in_force = "not_in_force"
    ambiguous = "ambiguous"
    computed = "computed"


OUTCOME_ZH = {
    Outcome.eligible: "符合条件",
    Outcome.not_eligible: "不符合条件",
    Outcome.needs_info: "需要补充信息",
    Outcome.not_in_force: "政策已不在执行期内",
    Outcome.ambiguous: "条文存在两种理解",
    Outcome.computed: "计算结果",
}


class ParameterUse(BaseModel):
    name: str
    value: Any
    source: str  # clause id, or "external: <document>"
    quote: str | None = None


class Step(BaseModel):
    rule: str
    text_zh: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    parameters_used: list[ParameterUse] = Field(default_factory=list)


class MissingFact(BaseModel):
    fact: str
    question_zh: str
    why: str


class ToolResult(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    tool: str = ""
    outcome: Outcome
    value: Any = None
    summary_zh: str = ""  # one-line conclusion a user reads first
    steps: list[Step] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    missing_facts: list[MissingFact] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    as_of: date

    def to_json(self) -> dict:
        """JSON-safe dict: money stays exact (integral Decimals become ints, others strings)."""
        return _json_safe(self.model_dump())


def _json_safe(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return int(obj) if obj == obj.to_integral_value() else str(obj.normalize())
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):  # JSON object keys are strings (YAML tables may be keyed by rank: {1: 金奖})
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_json_safe(v) for v in obj]
    return obj


class Trace:
    """Collects steps, citations, missing facts and warnings while a rule function runs."""

    def __init__(self, as_of: date, params: Params | None = None):
        self.as_of = as_of
        self.params = params or Params(as_of)
        self.steps: list[Step] = []
        self.citations: list[str] = []
        self.missing: list[MissingFact] = []
        self.warnings: list[str] = []

    def param(self, name: str) -> Parameter:
        """Read a dated parameter; its source clause is cited and expiry is warned about."""
        p = self.params.get(name)
        self.cite(p.clause_id)
        if p.expired_on(self.as_of):
            self.warn(p.expiry_warning(self.as_of))
        return p

    def cite(self, *clause_ids: str | None) -> None:
        for cid in clause_ids:
            if cid and cid not in self.citations:
                self.citations.append(cid)

    def step(self, rule: str, text_zh: str, inputs: dict | None = None,
             params: list[Parameter] | None = None, cite: list[str] | None = None) -> None:
        uses = [p.use() for p in params or []]
        for p in params or []:
            self.cite(p.clause_id)
        self.cite(*(cite or []))
        self.steps.append(Step(rule=rule, text_zh=text_zh, inputs=inputs or {}, parameters_used=uses))

    def ask(self, fact: str, question_zh: str, why: str) -> None:
        if all(m.fact != fact for m in self.missing):
            self.missing.append(MissingFact(fact=fact, question_zh=question_zh, why=why))

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def result(self, outcome: Outcome, value: Any = None, summary_zh: str = "") -> ToolResult:
        return ToolResult(outcome=outcome, value=value, summary_zh=summary_zh, steps=self.steps,
                          citations=self.citations, missing_facts=self.missing if outcome == Outcome.needs_info
                          or self.missing else [], warnings=self.warnings, as_of=self.as_of)


def yuan(value: Decimal | int) -> str:
    """Money as Chinese users write it: 80000 -> 80000元（8万元）."""
    amount = Decimal(value)
    text = f"{int(amount)}" if amount == amount.to_integral_value() else f"{amount.normalize()}"
    if amount >= 10000 and amount % 100 == 0:
        wan = (amount / 10000).normalize()
        wan_text = f"{int(wan)}" if wan == wan.to_integral_value() else f"{wan}"
        return f"{text}元（{wan_text}万元）"
    return f"{text}元"
