"""Every clause rule's own cases, asked to the whole assistant: the answer's conclusion carries the rule's verdict.

This is the end-to-end check of the inventory: normalisation, fact extraction, rule selection (`about` plus
retrieval) and composition together. All mismatches are reported in one assertion per document.
"""

from __future__ import annotations

from datetime import date

import pytest

from eligibility_tools.inventory.model import load_rules

pytestmark = pytest.mark.integration
AS_OF = date(2026, 11, 30)
DOCUMENTS = sorted({r.document for r in load_rules().values()})


@pytest.fixture(scope="module")
def assistant():
    from assistant.service import Assistant

    return Assistant()


@pytest.mark.parametrize("document", DOCUMENTS)
def test_rule_cases_through_the_assistant(assistant, document):
    from evals.grading import missing_numbers, verdict_of

    problems = []
    for rule in load_rules().values():
        if rule.document != document:
            continue
        for case in rule.tests:
            answer = assistant.ask(case["q"], as_of=AS_OF)
            expected = case.get("verdict")
            got = verdict_of(answer["answer"])
            if expected == "ask":
                # a question that states none of the rule's facts may be answered from the clause instead of asked
                # back (the assistant asks only when the question engages with the rule) — but no rule may decide it
                decided = [t for t in answer["tool_calls"] if t["name"] == "clause_rule"
                           and (t["result"].get("value") or {}).get("verdict") is not None]
                if answer["status"] != "needs_more_info" and decided:
                    problems.append(f"{rule.id}: 「{case['q']}」应追问或不下结论，实际规则 {decided[0]['arguments']['rule']} 给出了结论："
                                    f"{answer['answer'][:80]}")
            elif expected is not None and got != expected:
                problems.append(f"{rule.id}: 「{case['q']}」应为 {expected}，实际 {got}：{answer['answer'][:80]}")
            missing = missing_numbers([str(n) for n in case.get("numbers") or []], answer["answer"])
            if missing:
                problems.append(f"{rule.id}: 「{case['q']}」缺少数字 {missing}：{answer['answer'][:80]}")
    assert not problems, f"{len(problems)} 处不一致：\n" + "\n".join(problems)
