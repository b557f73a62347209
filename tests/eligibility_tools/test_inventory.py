"""Clause rules (eligibility_tools/inventory): quotes are verbatim, the format holds, every rule passes its own cases.

A rule's `tests` are questions written from its clause: each is normalised and read the way the assistant reads a
question (slots, quantities), must match the rule's `about`, and must give the stated verdict, gap, figures or asks.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from eligibility_tools.inventory.evaluate import run_rule
from eligibility_tools.inventory.model import load_rules

AS_OF = date(2026, 11, 30)
RULES = load_rules()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _facts(question: str):
    from assistant.normalize import normalize_question
    from assistant.rule_select import question_facts
    from assistant.slots import extract_slots

    text = normalize_question(question).text
    return question_facts(text, extract_slots(text))


CASES = [(rule.id, i, case) for rule in RULES.values() for i, case in enumerate(rule.tests)]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_quotes_its_clause(corpus, rule_id):
    rule = RULES[rule_id]
    assert rule.clause in corpus.clauses, f"{rule_id}: 条款 {rule.clause} 不存在"
    assert _squash(rule.quote) in _squash(corpus.full_text(rule.clause)), f"{rule_id}: quote 不在条款 {rule.clause} 中"
    for cid in rule.also_cites:
        assert cid in corpus.clauses, f"{rule_id}: also_cites {cid} 不存在"
    for name, param in rule.params.items():
        assert param.clause in corpus.clauses, f"{rule_id}.{name}: 条款 {param.clause} 不存在"
        assert _squash(param.quote) in _squash(corpus.full_text(param.clause)), f"{rule_id}.{name}: quote 不在条款中"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_cases_on_both_sides(rule_id):
    rule = RULES[rule_id]
    verdicts = {c.get("verdict") for c in rule.tests}
    if rule.kind == "formula":
        assert any(c.get("numbers") for c in rule.tests), f"{rule_id}: 公式规则至少要有一个带 numbers 的用例"
    elif rule.kind == "prohibition":
        assert "no" in verdicts, f"{rule_id}: 禁止性规则至少要有一个 verdict: no 的用例"
    elif not rule.conditions and not rule.exceptions:
        assert "yes" in verdicts, f"{rule_id}: 无条件的许可至少要有一个 verdict: yes 的用例"
    else:
        assert "yes" in verdicts and verdicts & {"no", "not_yet"}, f"{rule_id}: 阈值两侧都要有用例（yes 与 no/not_yet）"


@pytest.mark.parametrize("rule_id,index,case", CASES, ids=[f"{r}-{i}" for r, i, _ in CASES])
def test_rule_case(rule_id, index, case):
    from assistant.binding import bind

    rule = RULES[rule_id]
    facts = _facts(case["q"])
    unmatched = [p.pattern for p in rule.about_res if not p.search(facts.text)]
    assert not unmatched, f"about 未匹配：{unmatched}（规范化后：{facts.text}）"
    inputs = bind(rule, facts)
    result = run_rule(rule, inputs, AS_OF)
    value = result.value if isinstance(result.value, dict) else {}
    where = f"输入 {inputs} → {result.outcome}：{result.summary_zh}"
    expected = case.get("verdict")
    if expected == "ask":
        assert result.outcome == "needs_info", where
        asked = {m.fact for m in result.missing_facts}
        for name in case.get("asks") or []:
            assert name in asked, f"应追问 {name}；{where}"
    elif expected is not None:
        assert value.get("verdict") == expected, where
    if case.get("gap"):
        assert value.get("gap") == case["gap"], where
    for number in case.get("numbers") or []:
        assert str(number) in result.summary_zh or any(str(number) in s.text_zh for s in result.steps), f"缺少 {number}；{where}"
    stated = set(inputs)
    for m in result.missing_facts:
        assert m.fact not in stated, f"追问了问题已给出的事实 {m.fact}；{where}"
