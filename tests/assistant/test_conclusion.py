"""The contract's one-sentence `conclusion` says what the answer's 结论 line says, first sentence only."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.conclusion import conclusion_of

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("answer, status, conclusion", [
    ("结论：金奖1万元，银奖0.8万元。\n条文原文：第十八条……", "answered", "金奖1万元，银奖0.8万元。"),
    ("结论：不能。公务员不得申报评审职称；另外……。\n依据：", "answered", "不能。公务员不得申报评审职称；另外……。"),
    ("根据政策原文：学徒每人每年的补贴标准原则上不低于4000元。其他。\n依据：", "answered", "学徒每人每年的补贴标准原则上不低于4000元。"),
    ("汇编只提到（第十三条）：“按最低工资标准60%给予补贴”，没有写明最低工资标准的具体金额。\n建议咨询", "out_of_scope",
     "汇编没有写明最低工资标准的具体金额。"),
    ("", "error", ""),
])
def test_conclusion_is_the_first_sentence_of_the_conclusion_line(answer, status, conclusion):
    assert conclusion_of(answer, status) == conclusion


def test_every_contract_carries_its_conclusion(assistant):
    for question in ["全市技能大赛金奖奖金多少", "北京的住房补贴多少", "企业招了3个学徒能补多少"]:
        result = assistant.ask(question, as_of=date(2026, 11, 30))
        assert result["conclusion"] and result["conclusion"] == conclusion_of(result["answer"], result["status"])
