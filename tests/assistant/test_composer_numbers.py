"""The grounding invariant: every number in an answer appears in a tool result or a cited clause (or the as-of date).

Run over the whole dev set (questions only; no gold answers are used) and over extra questions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.numbers import numbers_in
from tests.assistant.conftest import AS_OF

DEV = Path(__file__).resolve().parents[2] / "evals" / "gold" / "dev.jsonl"
QUESTIONS = [json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
EXTRA = ["我们有12个人，招了3个退役士兵，三年能扣多少税？", "全市技能大赛第二名奖金多少？", "本科在村里干了1年能认定什么职称？",
         "商贸类基地1200平方米入驻12户吸纳就业120人够标准化吗？", "理论80分，实操90分，总成绩多少？"]


def allowed_numbers(result: dict) -> set[str]:
    sources = [c["text"] + c["document"] + c["label"] for c in result["citations"]]
    sources += [json.dumps(t["result"], ensure_ascii=False) + json.dumps(t["arguments"], ensure_ascii=False) for t in result["tool_calls"]]
    sources.append(AS_OF.isoformat())
    out: set[str] = set()
    for s in sources:
        out |= numbers_in(s)
    return out


@pytest.mark.parametrize("question", QUESTIONS + EXTRA)
def test_every_number_in_the_answer_is_grounded(assistant, question):
    result = assistant.ask(question, as_of=AS_OF)
    stray = numbers_in(result["answer"]) - allowed_numbers(result)
    assert not stray, f"ungrounded numbers {sorted(stray)} in: {result['answer']}"


def test_numbers_in_normalises_units():
    assert {"0.8", "8000"} <= numbers_in("0.8万元")
    assert "70%" in numbers_in("不低于 70%")
    assert "3" in numbers_in("满三年")
    assert "12" in numbers_in("十二个人")
    assert "1" not in numbers_in("一般为")


def test_citation_text_is_verbatim_corpus_text(assistant):
    import re

    from corpus.loader import load_corpus

    corpus = load_corpus()
    result = assistant.ask("企业招了10个学徒，培养2年，能拿多少补贴？", as_of=AS_OF)
    assert result["citations"]
    for c in result["citations"]:
        full = re.sub(r"\s+", "", corpus.full_text(c["clause_id"]))
        assert re.sub(r"\s+", "", c["text"]) in full


def test_tool_answer_leads_with_the_conclusion_and_shows_steps(assistant):
    result = assistant.ask("全市技能大赛，我们区拿了1金、2银、1铜、3个优胜奖，另有2个项目只参赛没获奖，团体总分是多少？", as_of=AS_OF)
    assert result["status"] == "answered"
    assert result["answer"].startswith("结论：")
    assert "24" in result["answer"]
    assert "计算/判断过程" in result["answer"]
    assert result["citations"][0]["clause_id"] == "skills-contest/a19"
    call = result["tool_calls"][0]
    assert call["name"] == "team_score" and call["arguments"]["gold"] == 1
    assert call["result"]["value"]["team_score"] == 24


def test_lookup_is_extractive(assistant):
    result = assistant.ask("特设岗位人员聘期一般是几年？", as_of=AS_OF)
    assert result["status"] == "answered"
    assert "特设岗位人员聘期一般为3年" in result["answer"].replace(" ", "")
    assert result["tool_calls"] == []
