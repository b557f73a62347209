"""Answer typing: the clause that states the asked-for kind of fact wins a near-tie, never more."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from indexing.answer_type import asked_types, states
from indexing.fusion import Fused
from indexing.retriever import ANSWER_TYPE_BONUS, _prefer_answer_type


@pytest.mark.parametrize("question, kind", [
    ("以奖代补能给多少钱？", "money"),
    ("正高和副高按规定大概怎么分？", "ratio"),
    ("企业在孵化基地里一般最多能孵化几年？", "duration"),
    ("统计表每年最晚什么时候要报上去？", "date"),
    ("每个赛项至少要多少人参赛？", "count"),
    ("快递工程的材料归哪个单位收？", "contact"),
    ("以奖代补资金怎么拨？", "payment"),
])
def test_asked_types(question, kind):
    assert kind in asked_types(question)


def test_yes_no_question_asks_no_type():
    assert asked_types("创业园的运营机构必须是独立法人吗") == []


def test_states_money_ratio_and_not_others():
    assert states("奖励标准为30万元—60万元", ["money"])
    assert states("比例为1：3：6", ["ratio"])
    assert not states("经认定的基地可申请以奖代补资金", ["money", "ratio"])


def _units(texts: dict[str, str]):
    return SimpleNamespace(by_id={k: SimpleNamespace(text=v) for k, v in texts.items()})


def test_near_tie_goes_to_the_clause_stating_the_amount():
    units = _units({"a10": "经认定的基地可申请以奖代补资金。", "a11": "奖励标准为30万元—60万元。"})
    fused = [Fused("a10", 0.98), Fused("a11", 0.96)]
    out = _prefer_answer_type("以奖代补能给多少钱？", fused, units, ANSWER_TYPE_BONUS)
    assert [f.id for f in out] == ["a11", "a10"]


def test_clear_lead_is_not_overturned():
    units = _units({"a10": "经认定的基地可申请以奖代补资金。", "a11": "奖励标准为30万元—60万元。"})
    fused = [Fused("a10", 1.0), Fused("a11", 0.7)]
    out = _prefer_answer_type("以奖代补能给多少钱？", fused, units, ANSWER_TYPE_BONUS)
    assert [f.id for f in out] == ["a10", "a11"]
