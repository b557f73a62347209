"""Same question, other surface form, same answer: status, verdict, stated numbers and first cited clause.

Every single-turn question of both gold sets is asked as written and after each rewrite of `rewrites.py`.
All differing items of a rewrite go into one assertion message, so one run shows the whole picture.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from evals.gold import CITIZEN_SET, DEV_SET, GoldItem, load_gold
from evals.grading import number_in_answer, verdict_of
from tests.metamorphic.conftest import AS_OF, SUMMARY
from tests.metamorphic.rewrites import REWRITES

pytestmark = pytest.mark.integration
MAX_LISTED_CHARS = 60


@lru_cache(maxsize=1)
def single_turn_items() -> tuple[GoldItem, ...]:
    items = [*load_gold(DEV_SET), *load_gold(CITIZEN_SET)]
    return tuple(i for i in items if isinstance(i.question, str))


@pytest.fixture(scope="module")
def originals(real_assistant) -> dict[str, dict]:
    return {i.id: real_assistant.ask(i.question, as_of=i.as_of or AS_OF) for i in single_turn_items()}


def _first_clause(response: dict) -> str | None:
    citations = response.get("citations") or []
    return citations[0].get("clause_id") if citations else None


def differences(item: GoldItem, before: dict, after: dict) -> list[str]:
    """What changed between the answer to the question and to its rewrite, in Chinese; empty when nothing did."""
    out = []
    if before.get("status") != after.get("status"):
        out.append(f"状态 {before.get('status')} → {after.get('status')}")
    verdict_before, verdict_after = verdict_of(before.get("answer") or ""), verdict_of(after.get("answer") or "")
    if verdict_before != verdict_after:
        out.append(f"结论 {verdict_before} → {verdict_after}")
    stated = [n for n in item.expected_numbers if number_in_answer(n, before.get("answer") or "")]
    lost = [n for n in stated if not number_in_answer(n, after.get("answer") or "")]
    if lost:
        out.append("丢失数字 " + "、".join(lost))
    if _first_clause(before) != _first_clause(after):
        out.append(f"首条引用 {_first_clause(before)} → {_first_clause(after)}")
    return out


@pytest.mark.parametrize("rewrite_name", list(REWRITES))
def test_rewrite_keeps_the_answer(rewrite_name, real_assistant, originals):
    rewrite = REWRITES[rewrite_name]
    compared, differing = 0, []
    for item in single_turn_items():
        rewritten = rewrite(item.question)
        if rewritten == item.question:
            continue  # nothing to rewrite in this question (no digits, no 我 …)
        compared += 1
        after = real_assistant.ask(rewritten, as_of=item.as_of or AS_OF)
        changed = differences(item, originals[item.id], after)
        if changed:
            differing.append(f"  {item.id} [{item.category}] {'；'.join(changed)}\n"
                             f"      改写后：{rewritten[:MAX_LISTED_CHARS]}")
    SUMMARY[rewrite_name] = (compared, len(differing))
    assert not differing, (f"改写 {rewrite_name} 后有 {len(differing)}/{compared} 题的回答变了：\n" + "\n".join(differing))
