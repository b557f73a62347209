"""Which clause rules a question is about, and what they say for it.

A rule is a candidate when every `about` pattern matches the normalised question. Candidates are ranked by how much
of the question they explain: the number of `about` patterns (specificity), whether retrieval found the rule's clause
(and how high), and how many of the rule's facts the question states. The rule is then applied to the bound facts
(`eligibility_tools.inventory.evaluate.run_rule`); the assistant shows a rule's result when it decides something
(a verdict or a figure) or when the question gives some of its facts and asks whether it qualifies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from assistant.binding import Facts, bind
from assistant.quantities import extract_quantities
from assistant.slots import Slots
from eligibility_tools.base import ToolResult
from eligibility_tools.inventory.evaluate import run_rule
from eligibility_tools.inventory.model import Rule, load_rules

# A yes/no question, however it is typed: 吗/么, "…不？", "…吧？", "是不是", "X不X" (行不行, 合规不, 还算数不 …).
_YES_NO = re.compile(r"[吗么嘛][？?！!。\s]*$|[吗么]？|不[？?！!。\s]*$|吧[？?！!。\s]*$|是不是|能不能|可不可以|可以不|行不行|中不中|"
                     r"够不够|算不算|要不要|需不需要|用不用|有没有|对不对|合不合|([\u4e00-\u9fff])不\1|能否|是否|可否|行不|成不|没有[？?！!。\s]*$|了没[？?！!。\s]*$")
RETRIEVAL_BONUS = 2.0  # a rule whose clause retrieval ranks first gets this much, less 0.25 per rank below
STATED_BONUS = 0.6  # per fact of the rule the question states
MAX_MATCHES = 4


@dataclass
class RuleMatch:
    rule: Rule
    inputs: dict[str, Any]
    score: float
    retrieval_rank: int | None
    result: ToolResult

    @property
    def verdict(self) -> str | None:
        value = self.result.value if isinstance(self.result.value, dict) else {}
        return value.get("verdict")

    @property
    def decisive(self) -> bool:
        return self.result.outcome in ("eligible", "not_eligible", "computed") and (self.rule.kind == "formula" or self.verdict is not None)


_APPROXIMATE = re.compile(r"[十百千][几多来]|几[十百千]|[一二两三四五六七八九\d]{1,2}[几多]|(好|这|那|前|后|有|没)几")
_FIGURE = re.compile(r"多少|几个|几名|几人|几级|几年|几个月|几天|多久|多长|怎么分|怎么算|怎么拨|算一下|一共|合计|总共|最多|最少|第几|几次|几份|几项|几户")


def asks_figure(text: str) -> bool:
    """Whether the question asks for a number: in the sentences that ask (a story's "手上有几项专利" tells, it does
    not ask), with approximate numbers ("十几年", "好几个月", "二十多人") taken out."""
    parts = [p for p in re.split(r"(?<=[？?！!。；;])", text) if p.strip()]
    asking = [p for p in parts if re.search(r"[？?]$", p.strip())] or parts
    return any(_FIGURE.search(_APPROXIMATE.sub("", p)) for p in asking)


def pick(matches: list[RuleMatch], margin: float = 2.0) -> RuleMatch | None:
    """The rule to apply: the best one that can say something (it decides, or the question gives some of its facts so
    its missing ones can be asked), unless a nearly as good one decides and it does not."""
    matches = [m for m in matches if m.decisive or m.inputs]
    if not matches:
        return None
    best = matches[0]
    if best.decisive:
        return best
    # a lower rule that decides, when retrieval ranks its clause higher than the best one's (a sibling rule of the
    # same clause that decides only because it asks less is not preferred over the more specific one)
    deciding = [m for m in matches[1:] if m.decisive and m.score >= best.score - margin
                and (best.retrieval_rank is None or (m.retrieval_rank is not None and m.retrieval_rank < best.retrieval_rank))]
    return deciding[0] if deciding else best


def asks_yes_no(text: str) -> bool:
    """Whether the question (or one of its parts) asks for a yes or a no."""
    return any(_YES_NO.search(part) for part in re.split(r"(?<=[？?！!。])", text) if part.strip())


def question_facts(text: str, slots: Slots) -> Facts:
    """The facts of a normalised question for binding: typed quantities and the named slots (+ the series)."""
    from assistant.tool_calls import find_series

    values = dict(slots.values)
    series = find_series(text)
    if series:
        values.setdefault("series", series)
    return Facts(text=text, quantities=tuple(extract_quantities(text)), values=values)


@lru_cache(maxsize=1)
def _rules() -> tuple[Rule, ...]:
    return tuple(load_rules().values())


def _rank(rule: Rule, retrieved: list[str]) -> int | None:
    ids = (rule.clause, *rule.also_cites)
    best = None
    for i, cid in enumerate(retrieved):
        if any(cid == r or cid.startswith(r + "/") or r.startswith(cid + "/") for r in ids):
            best = i if best is None else min(best, i)
    return best


def match_rules(facts: Facts, retrieved: list[str], as_of: date, *, kinds: tuple[str, ...] | None = None) -> list[RuleMatch]:
    """The rules the question is about, best first, each applied to what the question states."""
    matches: list[RuleMatch] = []
    for rule in _rules():
        if kinds and rule.kind not in kinds:
            continue
        if not all(p.search(facts.text) for p in rule.about_res):
            continue
        inputs = bind(rule, facts)
        rank = _rank(rule, retrieved)
        topics = sum(1 for p in rule.about if not p.startswith("^(?!"))  # a guard ("not about X") is no evidence
        score = topics + STATED_BONUS * len(inputs)
        if rank is not None:
            score += max(0.0, RETRIEVAL_BONUS - 0.25 * rank)
        result = run_rule(rule, inputs, as_of)
        matches.append(RuleMatch(rule=rule, inputs=inputs, score=score, retrieval_rank=rank, result=result))
    matches.sort(key=lambda m: -m.score)
    return matches[:MAX_MATCHES]
