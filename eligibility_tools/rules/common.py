"""Small helpers shared by the contest, training, HR-service, incubator, tax and matching rules.

No policy number lives here either: only unit conversions and result bookkeeping.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.params import Parameter

CENT = Decimal("0.01")  # money is rounded to 分, half up
PERCENT = Decimal("100")  # unit conversion: 70 (%) -> 0.70


def pct(ratio: Decimal | int) -> str:
    """0.7 -> '70%', 0.125 -> '12.5%'."""
    text = f"{(Decimal(ratio) * PERCENT).normalize():f}"
    return f"{text}%"


def money(value: Decimal | int) -> Decimal:
    """Exact yuan, rounded to 分; integral amounts carry no trailing zeros (80000, not 80000.00)."""
    q = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(int(q)) if q == q.to_integral_value() else q


def ceil_int(value: Decimal) -> int:
    return math.ceil(value)


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def article(t: Trace, ref: Parameter | str, home: str) -> str:
    """The short citation label of the clause a parameter (or a clause id) stands on, for `t.as_of`.

    `ref` is a Parameter read through `t.param` (its version in force cites its own source), a parameter name, or a
    clause id (contains "/"). A clause of the tool's own document `home` is named by its numbers ("第十八条",
    "第六条（一）"); a clause of another document — e.g. a notice a dated parameter version now cites — by its full
    label ("《…通知》一、调整奖金标准"); an external source by its name.
    """
    if isinstance(ref, str) and "/" not in ref:
        ref = t.params.get(ref)
    if isinstance(ref, Parameter):
        if not ref.clause_id:
            return f"《{ref.external}》" if ref.external and not ref.external.startswith("《") else ref.external or ""
        ref = ref.clause_id
    corpus = t.params.corpus
    clause = corpus.clauses[ref]
    if clause.doc_slug != home:
        return clause.label
    chain = [clause] + [corpus.clauses[a] for a in corpus.ancestors(ref)]
    numbers = [c.number for c in reversed(chain) if c.kind not in ("root", "chapter")]
    short = "".join(numbers)
    return short if short and all(c.kind in _NUMBERED for c in chain if c.kind not in ("root", "chapter")) \
        else re.sub(r"^《[^》]*》", "", clause.label)


_NUMBERED = {"article", "section", "item", "point", "subpoint"}


def not_started(p: Parameter, as_of: date) -> bool:
    return p.valid_from is not None and as_of < p.valid_from


@dataclass
class Checks:
    """Three-valued condition bookkeeping: a failed condition decides; unknowns are asked only if nothing failed."""

    failed: list[str] = field(default_factory=list)
    met: list[str] = field(default_factory=list)
    unknown: list[tuple[str, str, str]] = field(default_factory=list)  # (fact, question, why)

    def check(self, value: bool | None, met_text: str, failed_text: str, fact: str, question: str, why: str) -> bool | None:
        if value is None:
            self.unknown.append((fact, question, why))
        elif value:
            self.met.append(met_text)
        else:
            self.failed.append(failed_text)
        return value

    def ask(self, fact: str, question: str, why: str) -> None:
        self.unknown.append((fact, question, why))

    def flush(self, t: Trace) -> None:
        """Ask the unknowns, unless a known failure already decides the outcome."""
        if not self.failed:
            for fact, question, why in self.unknown:
                t.ask(fact, question, why)

    @property
    def decided_no(self) -> bool:
        return bool(self.failed)

    @property
    def status(self) -> bool | None:
        if self.failed:
            return False
        return None if self.unknown else True


def finish(t: Trace, checks: Checks, value: dict, yes: str, no: str, unknown: str,
           yes_outcome: Outcome = Outcome.eligible) -> ToolResult:
    """The usual ending: not_eligible on a known failure, needs_info on an open fact, else `yes_outcome`."""
    checks.flush(t)
    value.setdefault("failed_conditions", checks.failed)
    if checks.failed:
        return t.result(Outcome.not_eligible, value, no + "：" + "；".join(checks.failed) + "。")
    if checks.unknown:
        return t.result(Outcome.needs_info, value, unknown)
    return t.result(yes_outcome, value, yes)


def hr_list_notes(t: Trace) -> None:
    """政策扶持清单“其他说明事项”：补贴奖励有效期不超过3年（未载明起算日）、从高从优不重复."""
    validity = t.param("hr_policy_validity_note")
    no_double = t.param("hr_no_double_benefit")
    t.warn("政策扶持清单的补贴奖励政策有效期不超过3年，汇编未载明起算日期，请向人社部门确认是否仍在有效期内。")
    t.warn("同一项目或事项与其他政策交叉重叠的，按“从高、从优、不重复”原则执行，不能重复领取。")
    t.cite(validity.clause_id, no_double.clause_id)


def ambiguous(t: Trace, value: dict, summary: str) -> ToolResult:
    """Return `ambiguous`, showing each reading of the text as a step so the user sees both."""
    readings = value.get("readings") or {}
    text = "；".join(f"理解{n}（{name}）：{reading.rstrip('。')}" for n, (name, reading) in enumerate(readings.items(), 1))
    t.step("readings", f"条文存在两种理解——{text}")
    return t.result(Outcome.ambiguous, value, summary)
