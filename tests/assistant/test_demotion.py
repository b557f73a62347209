"""Which tool runs lead the answer when retrieval found other clauses (assistant.service.demote_unsupported)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.composer import ToolRun
from assistant.service import demote_unsupported

pytestmark = pytest.mark.unit

ASKS = {"outcome": "needs_info", "citations": ["apprenticeship/s4/p2/i2"], "summary_zh": "还需补充信息。"}
ELSEWHERE = ["apprenticeship/s7/p1", "apprenticeship/s6/p3"]


def _run(arguments: dict) -> ToolRun:
    return ToolRun(name="apprenticeship_subsidy", arguments=arguments, result=dict(ASKS), primary=True)


@pytest.mark.parametrize("count", [3, 3.0, Decimal("3")])
def test_run_a_calculation_fed_by_the_questions_numbers_keeps_leading(count):
    run = _run({"provider": "企业", "apprentices": count})
    demote_unsupported([run], ELSEWHERE, calculation=True)
    assert run.primary


@pytest.mark.parametrize("arguments, calculation", [
    ({"provider": "企业", "apprentices": 3}, False),  # not a calculation question
    ({"provider": "企业", "contract": True}, True),  # a calculation, but no number of the question's
])
def test_run_a_run_that_only_asks_about_clauses_retrieval_missed_steps_back(arguments, calculation):
    run = _run(arguments)
    demote_unsupported([run], ELSEWHERE, calculation=calculation)
    assert not run.primary


def test_run_a_run_about_a_retrieved_clause_keeps_leading():
    run = _run({"provider": "企业"})
    demote_unsupported([run], ["apprenticeship/s4/p2/i2"])
    assert run.primary
