"""Bind what a question states to the inputs of a clause rule (the schema-driven step of STYLE.md's front end).

Quantities are bound by unit and cue words (a rule's condition says "年, near 十级|岗位|聘"), with the relative
forms resolved against the rule's own threshold ("比规定多干了半年" = threshold + 0.5 年). Choices read the facts
every question gets (学历, 单位层级 …). Statements are yes/no facts recognised by the rule's patterns, negation-aware:
"没有独立法人资格" fails "独立法人", "证书还得等一阵才发" is pending. Nothing is bound that the question does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from assistant.quantities import Quantity, colloquial_age
from eligibility_tools.inventory.model import Condition, Rule
from eligibility_tools.inventory.units import to_months

# Which stated units can fill a condition written in a unit.
_COMPATIBLE: dict[str, tuple[str, ...]] = {
    "年": ("年", "月", "周", "天"), "月": ("年", "月", "周", "天"), "周": ("周", "天", "月"), "天": ("天", "周", "年", "月"),
    "工作日": ("工作日", "天"),
    "人": ("人", "名", "个"), "名": ("人", "名", "个"), "个": ("个", "人", "名", "项", "项目", "家", "户"), "户": ("户", "家", "个"),
    "项": ("项", "个", "项目"), "项目": ("项目", "个", "项"), "元": ("元",), "%": ("%",), "级": ("级",), "课时": ("课时", "小时"),
    "岁": ("岁",), "平方米": ("平方米",), "亩": ("亩",), "只": ("只",), "分": ("分",), "次": ("次", "回"), "人次": ("人次", "人"),
    "份": ("份",), "篇": ("篇",), "倍": ("倍",), "家": ("家", "户", "个"), "名次": ("名",), "年份": ("年份",),
}
_NEGATION = re.compile(r"(没有|没|无|不是|不|未|尚未|还没有?|并非|并没有?|从没有?|从未|非)(什么|啥|任何|太|多大|一点)?$")
_EPSILON = Decimal("0.01")


@dataclass(frozen=True)
class Facts:
    """What one question states, ready for binding: its normalised text, quantities and named facts."""

    text: str
    quantities: tuple[Quantity, ...]
    values: dict[str, Any]


def _convert(q: Quantity, unit: str) -> Decimal:
    """The quantity in the condition's unit (durations through months)."""
    months = to_months(q.value, q.unit)
    target = to_months(Decimal(1), unit)
    if months is not None and target is not None:
        return months / target
    return q.value


def compatible(q: Quantity, cond: Condition) -> bool:
    if cond.unit == "名次":
        return q.unit == "名" and q.ordinal
    if q.ordinal and not q.is_duration:  # "第7个月" is still a number of months; "第3名" is a rank
        return False
    return q.unit in _COMPATIBLE.get(cond.unit, (cond.unit,))


@lru_cache(maxsize=4096)
def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def cue_score(q: Quantity, cond: Condition, text: str) -> float:
    """How clearly the words around a quantity say it is this condition's quantity (0: no cue at all).

    A cue right before the number (same clause segment) counts most, then anywhere before it in the segment, then
    after it; an `avoid` pattern near the number rules it out (patterns may anchor at the number with `$`)."""
    score = 0.0
    close_before = q.before[-14:]
    for cue in cond.cues:
        pattern = _re(cue)
        if pattern.search(close_before):
            score = max(score, 3.0)
        elif pattern.search(q.before):
            score = max(score, 2.0)
        elif pattern.search(q.after[:8]):
            score = max(score, 1.5)
        elif pattern.search(q.after):
            score = max(score, 1.0)
    for cue in cond.avoid:
        pattern = _re(cue)
        if pattern.search(close_before) or pattern.search(q.after[:8]):
            score -= 4.0
    return score


def _quantity_value(q: Quantity, cond: Condition) -> Decimal:
    value = _convert(q, cond.unit)
    if q.relative and cond.value is not None:
        return cond.value + value if q.relative == "more" else cond.value - value
    if q.approx == "less":
        return value - _EPSILON
    return value


def bind_quantities(conditions: list[Condition], facts: Facts, each: str | None = None) -> dict[str, Any]:
    """Quantity conditions/inputs -> values; a quantity fills at most one condition (the best-cued one first)."""
    out: dict[str, Any] = {}
    used: set[int] = set()
    order = sorted((c for c in conditions if c.kind == "quantity"), key=lambda c: (not c.cues, c.name != each))
    for cond in order:
        cands = [q for q in facts.quantities if compatible(q, cond) and q.start not in used]
        if cond.unit == "岁" and not cands:
            age = colloquial_age(facts.text)
            if age is not None:
                out[cond.name] = age
            continue
        if not cands:
            continue
        scored = sorted(((cue_score(q, cond, facts.text), q) for q in cands), key=lambda x: (-x[0], x[1].start))
        if cond.name == each:
            chosen = [q for s, q in scored if s > 0] or ([q for s, q in scored if s >= 0] if not cond.cues or len(cands) > 1 else [])
            chosen = sorted(chosen, key=lambda q: q.start)
            if chosen and all(usable(q) for q in chosen):
                out[cond.name] = [_quantity_value(q, cond) for q in chosen] if len(chosen) > 1 else _quantity_value(chosen[0], cond)
            used.update(q.start for q in chosen)
            continue
        best_score, best = scored[0]
        if best_score > 0 or (best_score == 0 and len([1 for s, _ in scored if s >= 0]) == 1 and not _cued_elsewhere(best, conditions, cond, facts)):
            if usable(best):  # a negative or absurd number fills nothing (not even with its absolute value)
                out[cond.name] = _quantity_value(best, cond)
            used.add(best.start)
    return out


def usable(q: Quantity) -> bool:
    """A stated quantity a rule may compute with: not negative ("-1", "-0.0"), not beyond any sane bound of its unit."""
    from eligibility_tools.bounds import unit_bound

    if q.negative:
        return False
    bound = unit_bound(q.unit)
    return bound is None or q.unit == "年份" or q.value <= bound[2]


def _cued_elsewhere(q: Quantity, conditions: list[Condition], me: Condition, facts: Facts) -> bool:
    """A quantity whose words point at another condition is not taken by default for this one."""
    return any(c is not me and c.kind == "quantity" and compatible(q, c) and cue_score(q, c, facts.text) > 0 for c in conditions)


_NEGATORS = "没不未无非"
# Words that begin with a negator character without negating (不少, 不断, 无论, 非常 …).
_NOT_NEGATING = re.compile(r"不少|不断|不同|不错|不仅|不但|不过|不久|不止|无论|非常|未来|不管")


def _negated_inside(matched: str, pattern: str) -> bool:
    """A negator the pattern does not spell itself, caught in a gap of the match ("职能都没什么变化" for 职能…变化)."""
    plain = _NOT_NEGATING.sub("", matched)
    return any(ch in plain and ch not in pattern for ch in _NEGATORS)


def statement_value(cond: Condition, text: str) -> bool | str | None:
    """True / False / "pending" / None from the condition's patterns, with negation read just before a match."""
    hits: list[tuple[int, int, str, bool]] = []
    for kind, patterns in (("pending", cond.pending), ("fails", cond.fails), ("holds", cond.holds)):
        for pattern in patterns:
            for m in _re(pattern).finditer(text):
                if m.end() > m.start():
                    hits.append((m.start(), m.end(), kind, _negated_inside(m.group(0), pattern)))
    if not hits:
        return None
    # a match inside a longer match of another pattern does not count ("有空缺" inside "没有空缺")
    kept = [h for h in hits if not any(o is not h and o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in hits)]
    verdicts = []
    for start, _end, kind, inside in kept:
        negated = inside or bool(_NEGATION.search(text[max(0, start - 6):start]))
        if kind == "pending":
            verdicts.append("pending")
        elif kind == "fails":
            verdicts.append(True if negated else False)
        else:
            verdicts.append(False if negated else True)
    if "pending" in verdicts:
        return "pending"
    if False in verdicts:
        return False
    return True


def bind(rule: Rule, facts: Facts) -> dict[str, Any]:
    """Every input the question gives for this rule (absent keys: not stated)."""
    conditions = list(rule.inputs) + list(rule.conditions) + list(rule.exceptions)
    values = bind_quantities(conditions, facts, rule.each)
    for cond in conditions:
        if cond.by_fact and facts.values.get(cond.by_fact) is not None:
            values[cond.by_fact] = facts.values[cond.by_fact]
        if cond.kind == "choice":
            value = facts.values.get(cond.fact or "")
            if value is not None:
                values[cond.name] = value
        elif cond.kind == "statement":
            value = statement_value(cond, facts.text)
            if value is not None:
                values[cond.name] = value
    return values


def stated_names(rule: Rule, facts: Facts) -> set[str]:
    """The rule's facts the question states (a follow-up must never ask for one of these)."""
    return set(bind(rule, facts))
