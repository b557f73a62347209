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


def test_run_a_calculation_fed_by_the_question_is_what_it_asks():
    from assistant.service import computed_kinds, fed_calculation

    fed = _run({"provider": "企业", "apprentices": 15, "years": 2})
    assert fed_calculation([fed]) and not fed_calculation([_run({"provider": "企业"})])
    done = ToolRun(name="apprenticeship_subsidy", arguments={"apprentices": 15}, primary=True,
                   result={"outcome": "computed", "value": {"amount_yuan": 120000}, "citations": []})
    assert computed_kinds([done]) == {"money"} and computed_kinds([fed]) == frozenset()


def test_run_a_tool_figure_of_the_asked_kind_is_never_overruled_by_a_form_title():
    from assistant.abstain import decide

    question = "厂里搞新型学徒制，15名学员都培养2年，按最低标准补贴总共多少钱？"
    form = "3. 《新型学徒制学员培训情况汇总表》；4. 企业在银行开立的基本账户凭证复印件（加盖单位公章）；"
    common = dict(has_intent=True, tool_answered=True, retrieved_ids=["apprenticeship/s5/p6/i1"])
    assert not decide(question, [form], tool_figures=frozenset({"money"}), **common).out_of_scope
