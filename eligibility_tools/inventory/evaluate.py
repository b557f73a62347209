"""Apply one clause rule to the facts of a case: a verdict (yes / no / not yet / ask) or computed figures.

Three-valued, the OpenFisca way: a condition is met, unmet or unknown, and an unknown never becomes unmet. A known
failure decides without asking anything; a condition that time alone will meet ("满2年", "证书还没发") gives
"not yet" with the gap; only the facts that could still change the outcome are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.inventory.expressions import evaluate, round_value
from eligibility_tools.inventory.model import Condition, Rule
from eligibility_tools.inventory.units import format_quantity, plain, to_months

MET, UNMET, PENDING, UNKNOWN = "met", "unmet", "pending", "unknown"
VERDICT_ZH = {"yes": "可以", "no": "不可以", "not_yet": "现在还不行", None: "还需补充信息"}


@dataclass
class ConditionState:
    condition: Condition
    state: str
    given: Any = None
    gap: str = ""  # for a pending quantity: what is still missing ("4个月")

    def line(self) -> str:
        mark = {MET: "✓ 符合", UNMET: "✗ 不符合", PENDING: "… 尚未达到", UNKNOWN: "? 未知"}[self.state]
        told = f"（您的情况：{self.given}）" if self.given not in (None, "") else ""
        gap = f"，还差{self.gap}" if self.gap else ""
        return f"{mark}：{self.condition.label}{told}{gap}"


@dataclass
class RuleOutcome:
    verdict: str | None  # yes | no | not_yet | None (needs information, or not decidable)
    states: list[ConditionState] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)


def _compare(op: str, given: Decimal, threshold: Decimal) -> bool:
    return {">=": given >= threshold, ">": given > threshold, "<=": given <= threshold, "<": given < threshold,
            "==": given == threshold, "!=": given != threshold}[op]


def _quantity_state(cond: Condition, given: Any, inputs: dict[str, Any]) -> ConditionState:
    if given is None:
        return ConditionState(cond, UNKNOWN)
    if isinstance(given, list):  # several stated values: the condition must hold for each
        states = [_quantity_state(cond, g, inputs) for g in given]
        worst = next((s for s in states if s.state == UNMET), None) or next((s for s in states if s.state == PENDING), None)
        return worst or ConditionState(cond, MET, "、".join(format_quantity(Decimal(g), cond.unit) for g in given))
    value = Decimal(given)
    if cond.than is not None:
        other = inputs.get(cond.than)
        if other is None:
            return ConditionState(cond, UNKNOWN, format_quantity(value, cond.unit))
        threshold = Decimal(other)
    elif cond.by_fact:
        fact_value = inputs.get(cond.by_fact)
        if fact_value is None:
            return ConditionState(cond, UNKNOWN, format_quantity(value, cond.unit))
        by = cond.threshold_for(str(fact_value))
        if by is None:  # e.g. 中专 where the rule sets thresholds for 本科 and 大专 only
            return ConditionState(cond, UNMET, f"{fact_value}，{format_quantity(value, cond.unit)}")
        threshold = by
    else:
        threshold = cond.value
    assert threshold is not None
    shown = format_quantity(value, cond.unit)
    months_given, months_threshold = to_months(value, cond.unit), to_months(threshold, cond.unit)
    if months_given is not None and months_threshold is not None:
        ok = _compare(cond.op, months_given.quantize(Decimal("0.01")), months_threshold.quantize(Decimal("0.01")))
    else:
        ok = _compare(cond.op, value, threshold)
    if ok:
        return ConditionState(cond, MET, shown)
    if cond.grows and cond.op in (">=", ">"):
        if months_given is not None and months_threshold is not None:
            gap = format_quantity((months_threshold - months_given).quantize(Decimal("0.01")), "月")
        else:
            gap = format_quantity(threshold - value, cond.unit)
        return ConditionState(cond, PENDING, shown, gap)
    return ConditionState(cond, UNMET, shown)


def _choice_state(cond: Condition, given: Any) -> ConditionState:
    if given is None or given == "":
        return ConditionState(cond, UNKNOWN)
    values = given if isinstance(given, list) else [given]

    def matches(v: str, options: tuple[str, ...]) -> bool:
        return any(v == o or v.startswith(o) or o.startswith(v) for o in options)

    shown = "、".join(str(v) for v in values)
    if cond.allowed:
        ok = all(matches(str(v), cond.allowed) for v in values)
    else:
        ok = not any(matches(str(v), cond.excluded) for v in values)
    return ConditionState(cond, MET if ok else UNMET, shown)


def _statement_state(cond: Condition, given: Any) -> ConditionState:
    if given is None:
        given = cond.default
        if given is None:
            return ConditionState(cond, UNKNOWN)
    if given == "pending":
        return ConditionState(cond, PENDING)
    return ConditionState(cond, MET if given else UNMET)


def condition_state(cond: Condition, inputs: dict[str, Any]) -> ConditionState:
    given = inputs.get(cond.name)
    if cond.kind == "quantity":
        return _quantity_state(cond, given, inputs)
    if cond.kind == "choice":
        return _choice_state(cond, given)
    return _statement_state(cond, given)


def decide(rule: Rule, inputs: dict[str, Any]) -> RuleOutcome:
    """The verdict of a permission / requirement / prohibition rule for these inputs."""
    states = [condition_state(c, inputs) for c in rule.conditions]
    exceptions = [condition_state(c, inputs) for c in rule.exceptions]
    if rule.kind == "prohibition":
        if any(s.state == MET for s in exceptions):
            return RuleOutcome("yes", states + exceptions)
        if any(s.state == UNMET for s in states):
            return RuleOutcome(None, states + exceptions)  # the prohibition does not reach this case
        if any(s.state == PENDING for s in states):
            return RuleOutcome("not_yet", states + exceptions)
        return RuleOutcome("no", states + exceptions)
    if any(s.state == MET for s in exceptions):
        return RuleOutcome("no", states + exceptions)  # an exception excludes the case from the permission
    if any(s.state == UNMET for s in states):
        return RuleOutcome("no", states + exceptions)
    if any(s.state == PENDING for s in states):
        return RuleOutcome("not_yet", states + exceptions)
    if any(s.state == UNKNOWN for s in states + exceptions if not s.condition.optional):
        return RuleOutcome(None, states + exceptions)
    return RuleOutcome("yes", states + exceptions)


def compute(rule: Rule, inputs: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Condition]]:
    """The figures of a formula rule (one set per value of the `each` input, then totals) and the missing inputs."""
    missing = [c for c in rule.inputs if not c.optional and inputs.get(c.name) is None]
    if missing:
        return [], missing
    base: dict[str, Decimal] = {name: p.number for name, p in rule.params.items()}
    for c in rule.inputs:
        value = inputs.get(c.name)
        if value is not None and not isinstance(value, list):
            base[c.name] = Decimal(value)
        elif c.optional and value is None:
            base[c.name] = Decimal(0)
    each_values = inputs.get(rule.each) if rule.each else None
    runs: list[dict[str, Decimal]] = []
    if isinstance(each_values, list):
        for v in each_values:
            runs.append({**base, rule.each: Decimal(v)})
    else:
        runs.append(base)
    figures: list[dict[str, Any]] = []
    for values in runs:
        for out in rule.outputs:
            values[out.name] = round_value(evaluate(out.expr, values), out.rounding)
        figures.append(dict(values))
    return figures, []


def render(template: str, values: dict[str, Any], rule: Rule) -> str:
    """A `show` template with every {name} replaced by its value as users write it (60% for a percentage param)."""
    shown: dict[str, str] = {}
    for name, value in values.items():
        param = rule.params.get(name)
        if param is not None:
            shown[name] = param.display if param.unit == "%" else plain(param.value)
        else:
            shown[name] = plain(value) if isinstance(value, Decimal) else str(value)
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template


def run_rule(rule: Rule, inputs: dict[str, Any], as_of: date) -> ToolResult:
    """The rule applied to the inputs, as the tool result every tool returns (DESIGN.md)."""
    t = Trace(as_of)
    t.cite(rule.clause, *rule.also_cites)
    for p in rule.params.values():
        t.cite(p.clause)
    if rule.kind == "formula":
        return _formula_result(rule, inputs, t)
    outcome = decide(rule, inputs)
    for s in outcome.states:
        t.step(s.condition.name, s.line(), {s.condition.name: jsonable(s.given)})
    value = {"verdict": outcome.verdict, "rule": rule.id, "subject": rule.subject,
             "conditions": [{"name": s.condition.name, "label": s.condition.label, "state": s.state, "given": jsonable(s.given),
                             "gap": s.gap} for s in outcome.states]}
    if outcome.verdict is None:
        unknown = [s for s in outcome.states if s.state == UNKNOWN and s.condition.ask and not s.condition.optional]
        inputs_by_name = {c.name: c for c in rule.inputs + rule.conditions}
        for s in unknown:
            other = inputs_by_name.get(s.condition.than or "")
            by = s.condition.by_fact
            if by and inputs.get(by) is None:
                t.ask(by, s.condition.by_ask, s.condition.label)  # the fact that sets the threshold (学历 …)
            if s.given is not None and other is not None and inputs.get(other.name) is None:
                t.ask(other.name, other.ask or s.condition.ask, other.label)  # the value to compare with is what is missing
            elif s.given is None:
                t.ask(s.condition.name, s.condition.ask, s.condition.label)
        if rule.kind == "prohibition" and not unknown:
            return t.result(Outcome.eligible, value, summary(rule, outcome))
        return t.result(Outcome.needs_info, value, summary(rule, outcome))
    if outcome.verdict == "yes":
        return t.result(Outcome.eligible, value, summary(rule, outcome))
    value["gap"] = "、".join(s.gap for s in outcome.states if s.gap)
    return t.result(Outcome.not_eligible, value, summary(rule, outcome))


def summary(rule: Rule, outcome: RuleOutcome) -> str:
    """The verdict sentence a user reads first: 可以 / 不可以 / 现在还不行，还差N / 还需确认…"""
    if outcome.verdict == "yes":
        return f"可以。{rule.yes or rule.subject}。".replace("。。", "。")
    if outcome.verdict == "no":
        failed = [s.condition.label for s in outcome.states if s.state == UNMET]
        if rule.kind == "prohibition":
            return f"不可以。{rule.no or rule.subject}。".replace("。。", "。")
        why = f"不符合“{'”“'.join(failed)}”" if failed else ""
        exc = [s.condition.label for s in outcome.states if s.state == MET and s.condition in rule.exceptions]
        if exc:
            why = f"属于例外情形“{'”“'.join(exc)}”"
        return f"不可以。{rule.no or rule.subject}" + (f"：{why}。" if why else "。")
    if outcome.verdict == "not_yet":
        gaps = [s for s in outcome.states if s.state == PENDING]
        gap = "、".join(s.gap for s in gaps if s.gap)
        head = f"现在还不行，还差{gap}。" if gap else "现在还不行。"
        return head + f"{rule.subject}须满足：{'；'.join(s.condition.label for s in gaps)}。"
    if rule.kind == "prohibition" and not any(s.state == UNKNOWN for s in outcome.states):
        return f"这条规定（{rule.subject}）不适用于您所说的情况。"
    asks = [s.condition.ask for s in outcome.states if s.state == UNKNOWN and s.condition.ask and not s.condition.optional]
    return f"{rule.subject}：还需确认——" + " ".join(asks)


def _formula_result(rule: Rule, inputs: dict[str, Any], t: Trace) -> ToolResult:
    gate = decide(rule, inputs) if rule.conditions else RuleOutcome("yes")
    for s in gate.states:
        t.step(s.condition.name, s.line(), {s.condition.name: jsonable(s.given)})
    value: dict[str, Any] = {"rule": rule.id, "subject": rule.subject}
    if gate.verdict in ("no", "not_yet"):
        value["verdict"] = gate.verdict
        return t.result(Outcome.not_eligible, value, summary(rule, gate))
    figures, missing = compute(rule, inputs)
    if missing:
        for c in missing:
            t.ask(c.name, c.ask, c.label)
        return t.result(Outcome.needs_info, value, f"{rule.subject}：还需知道——" + " ".join(c.ask for c in missing if c.ask))
    lines: list[str] = []
    for fig in figures:
        for out in rule.outputs:
            text = render(out.show, fig, rule) if out.show else f"{out.label}＝{plain(fig[out.name])}{out.unit}"
            if text not in lines:
                lines.append(text)
                t.step(out.name, text, {k: jsonable(v) for k, v in fig.items() if k in inputs})
    last = rule.outputs[-1]
    value["figures"] = [{o.name: jsonable(f[o.name]) for o in rule.outputs} for f in figures]
    if len(figures) > 1:
        total = sum((f[last.name] for f in figures), Decimal(0))
        value["total"] = jsonable(total)
        parts = "＋".join(plain(f[last.name]) for f in figures)
        t.step("total", f"合计：{parts}＝{plain(total)}{last.unit}")
        lines.append(f"合计{plain(total)}{last.unit}")
    if gate.verdict is None and any(s.state == UNKNOWN for s in gate.states):
        for s in gate.states:
            if s.state == UNKNOWN and s.condition.ask:
                t.ask(s.condition.name, s.condition.ask, s.condition.label)
    value["lines"] = lines
    return t.result(Outcome.computed, value, "；".join(lines) + "。")


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value
