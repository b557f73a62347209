"""Failure classes found by the 职称 / 岗位 / 竞赛 probe (tests/assistant/data/probe_domains_b.jsonl), each tested as a class.

Every class is asked in several wordings (colloquial, traditional characters, full-width digits) through the whole
deterministic assistant with the lexical fake retriever; the assertion is on the verdict of the conclusion
(evals.grading.verdict_of) and on the figures the conclusion states.
"""

from __future__ import annotations

from datetime import date

import pytest

from evals.grading import missing_numbers, verdict_of

pytestmark = pytest.mark.unit
AS_OF = date(2026, 11, 30)


def _ask(assistant, question):
    return assistant.ask(question, as_of=AS_OF)


def _conclusion(answer):
    return answer["answer"].split("\n", 1)[0]


# 1. A 职称 clause rule must not answer a 竞赛 question that names a school (技校 / 职业院校 / 高职) and 能报名.
@pytest.mark.parametrize("question", [
    "孩子15岁，在技校学数控，能报名参加市里的技能竞赛吗？",
    "我是技校的学生，能报名参加全市技能大赛不？",
    "職業院校的學生能報名市裡的職業技能競賽嗎？",
])
def test_title_rules_stay_out_of_contest_questions(assistant, question):
    answer = _ask(assistant, question)
    rules = [t["arguments"]["rule"] for t in answer["tool_calls"] if t["name"] == "clause_rule"]
    assert not [r for r in rules if r.startswith("title")], rules
    assert "职称评审方面享有同等待遇" not in _conclusion(answer)


# 2. Entry conditions that time alone will meet (residence < 1 year, age < 16) are "not yet", with the gap.
@pytest.mark.parametrize("question, gap", [
    ("我刚来乌海上班半年，想报名参加市里的职业技能大赛，能报吗？", "6"),
    ("孩子15岁，在技校学数控，能报名参加市里的技能竞赛吗？", "1"),
    ("我１５周岁，在乌海住了３年了，能报名市里技能比赛不？", "1"),
    ("來烏海工作才8個月，今年的技能大賽能報名不？", "4"),
])
def test_contest_entry_time_gaps_are_not_yet(assistant, question, gap):
    answer = _ask(assistant, question)
    assert verdict_of(answer["answer"]) == "not_yet", _conclusion(answer)
    assert not missing_numbers([gap], _conclusion(answer)), _conclusion(answer)


# 3. 城区人员服务乡镇、村累计满3年提前1年参评: the years served reach the route (it was never given them).
@pytest.mark.parametrize("question, verdict", [
    ("取得现在的职称以后，我累计在乡镇服务了两年半，贡献也挺突出，能提前一年参评高一级职称吗？", "not_yet"),
    ("我在城区医院当医生，取得中级以后累计下乡服务满3年半了，贡献突出，能提前一年报副高吗？", "yes"),
    ("我是市直中学的老师，评上中级后到村里服务了4年，贡献突出，能不能提前一年参评高级？", "yes"),
])
def test_urban_township_service_advance(assistant, question, verdict):
    answer = _ask(assistant, question)
    assert answer["status"] == "answered", _conclusion(answer)
    assert verdict_of(answer["answer"]) == verdict, _conclusion(answer)
    assert answer["citations"][0]["clause_id"] == "title-review-2023/s4/p6/i4"


# 4. A 转评 question stating one duration: that is the time in the new post.
@pytest.mark.parametrize("question, numbers", [
    ("我原来是中学老师，调到区图书馆搞图书资料工作十个月了，能转评图书系列的同级职称吗？", ["2"]),
    ("從會計崗調到工程技術崗８個月了，能轉評工程系列同級職稱不？", ["4"]),
])
def test_series_change_single_duration_is_time_in_new_post(assistant, question, numbers):
    answer = _ask(assistant, question)
    assert verdict_of(answer["answer"]) == "not_yet", _conclusion(answer)
    assert not missing_numbers(numbers, _conclusion(answer)), _conclusion(answer)


# 5. "原来是公务员，后来调到单位": a transfer from the civil service, not a serving civil servant.
@pytest.mark.parametrize("question", [
    "我原来是公务员，三年前调到事业单位干技术，从来没评过职称，这次初次申报能不受职称任职资格限制吗？",
    "以前在区里当公务员，前年调进国企搞工程，第一次报职称能直接报中级吗？",
])
def test_former_civil_servant_is_a_transfer(assistant, question):
    answer = _ask(assistant, question)
    assert verdict_of(answer["answer"]) == "yes", _conclusion(answer)
    assert "不得申报" not in _conclusion(answer)


def test_serving_civil_servant_still_may_not_apply(assistant):
    answer = _ask(assistant, "我是区里的公务员，平时业余搞点工程设计，能不能申报个工程师职称？")
    assert verdict_of(answer["answer"]) == "no"


# 6. 破格 only once.
@pytest.mark.parametrize("question", [
    "我靠破格政策评上了副高，现在想再走破格申报正高，行不？",
    "前几年破格评上的中级，这回报副高还能再破格一次吗",
    "上次已經破格評過一次了，這次還能再破格申報嗎？",
])
def test_exceptional_application_only_once(assistant, question):
    answer = _ask(assistant, question)
    assert verdict_of(answer["answer"]) == "no", _conclusion(answer)
    assert answer["citations"][0]["clause_id"] == "post-title/s5/p4/i5"


# 7. Ceilings asked from their base: 双肩挑 from 领导职数, 以退定补 from the stated excess ratio.
@pytest.mark.parametrize("question, numbers", [
    ("单位领导职数５个，“双肩挑”的最多能有几个？", ["3"]),
    ("我们馆领导职数是8个，双肩挑上限是几个人？", ["4"]),
    ("我们单位专技人员超结构比例15%了，又急需进新人，得退几个才能补一个？", ["2", "1"]),
    ("专技岗位超了结构比例8%，想进人，咋补？", ["1"]),
])
def test_ceiling_from_its_base(assistant, question, numbers):
    answer = _ask(assistant, question)
    assert answer["status"] == "answered", _conclusion(answer)
    assert not missing_numbers(numbers, _conclusion(answer)), _conclusion(answer)


# 8. Demoted and still inside the new term: no (the term's length need not be asked).
@pytest.mark.parametrize("question", [
    "我聘期考核没过，从八级降到九级了，新聘期里还能去竞聘八级吗？",
    "从七级降到了八级，聘期还没满，能竞聘回七级吗",
])
def test_demoted_within_new_term(assistant, question):
    answer = _ask(assistant, question)
    assert answer["status"] == "answered", _conclusion(answer)
    assert verdict_of(answer["answer"]) == "no", _conclusion(answer)


# 9. Clauses that had no rule: 城区服务乡镇满3个月免当年继续教育学时; 技工院校各班次对应学历.
@pytest.mark.parametrize("question, verdict", [
    ("我在城区中学教书，今年被派到乡下村小支教了四个月，今年报职称能不能免掉继续教育学时？", "yes"),
    ("城区医院的大夫，今年下乡服务了两个月，申报职称的继续教育学时能免吗？", "not_yet"),
    ("我是技工学校高级工班毕业的，报职称能按大专学历算吗？", "yes"),
    ("技師學院預備技師班畢業，評職稱能當本科學歷用不？", "yes"),
    ("技校中级工班毕业，评职称能按大专学历报吗？", "no"),
])
def test_clause_rules_added(assistant, question, verdict):
    answer = _ask(assistant, question)
    assert answer["status"] == "answered", _conclusion(answer)
    assert verdict_of(answer["answer"]) == verdict, _conclusion(answer)
