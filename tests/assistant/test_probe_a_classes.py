"""Classes of failures found by probing the training / apprenticeship / HR-service / incubator / tax domains with
citizen-style questions (tests/assistant/data/probe_domains_a.jsonl). Each test covers a class with several wordings;
none is a copy of a probe question's expected answer alone.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.normalize import normalize_question
from assistant.router import route
from assistant.slots import extract_slots
from assistant.tool_calls import plan_tool_calls
from eligibility_tools.registry import load_tools, run_tool

pytestmark = pytest.mark.unit

AS_OF = date(2026, 11, 30)


def _calls(question: str, tool: str) -> list[dict]:
    """The arguments the assistant would call `tool` with, for a question as a citizen types it."""
    q = normalize_question(question).text
    rt = route(q, extract_slots(q))
    return [c.arguments for c in plan_tool_calls(rt, q, load_tools()) if c.name == tool]


def _run(question: str, tool: str) -> list[dict]:
    return [run_tool(tool, args, AS_OF).to_json() for args in _calls(question, tool)]


def _rules(question: str) -> list[str]:
    from eligibility_tools.inventory.model import load_rules

    q = normalize_question(question).text
    return [r.id for r in load_rules().values() if all(p.search(q) for p in r.about_res)]


# ---------------------------------------------------------------- counts said with 个 / as the people helped
@pytest.mark.parametrize("question, field, count", [
    ("我们人力资源公司今年给就业困难人员成功推荐就业了12个人，按清单能拿多少补助？", "persons", 12),
    ("我們人力資源公司今年給就業困難人員成功推薦就業了１２個人，能拿多少補助？", "persons", 12),
    ("人力资源服务机构帮就业困难人员推荐上岗了七个，援助补助多少？", "persons", 7),
    ("俺们人力资源机构今年给5个经工商注册、稳定经营的实体做了创业服务，创业服务补贴最多多少？", "entities", 5),
    ("经营性人力资源服务机构为3家企业提供创业指导，都注册登记稳定经营了，创业服务补贴多少？", "entities", 3),
    ("人力资源公司储备了两个高校毕业生，每人都储备了18个月，生活补贴一共能拿多少？", "persons", 2),
    ("小微型人力资源服务机构在职职工40人，今年新招了5个符合创业担保贷款条件的人，能贷300万吗？", "new_hires", 5),
])
def test_count_said_with_ge_is_read_for_the_item(question, field, count):
    calls = _calls(question, "hr_service_support")
    assert calls and calls[0][field] == count


def test_short_of_new_hires_for_the_loan_is_not_eligible():
    result = _run("我们是小微型人力资源服务机构，在职职工40人，今年新招了5个符合创业担保贷款条件的人，能申请创业担保贷款吗？",
                  "hr_service_support")[0]
    assert result["outcome"] == "not_eligible" and result["value"]["required_new_hires"] == 6


# ---------------------------------------------------------------- 一年半 as months / years
@pytest.mark.parametrize("question, months, total", [
    ("人力资源公司储备了两个高校毕业生，每人都储备了一年半，生活补贴一共能拿多少？", 18, 25200),
    ("人力资源公司储备了两个高校毕业生，每人都储备了一年半，生活补贴一共能拿多少？".replace("一年半", "1年6个月"), 18, 25200),
])
def test_reserve_duration_said_in_years(question, months, total):
    calls = _calls(question, "hr_service_support")
    assert calls and calls[0]["months"] == months
    assert _run(question, "hr_service_support")[0]["value"]["amount_yuan"] == total


@pytest.mark.parametrize("question, years, total", [
    ("我们公司新型学徒制带了9个学徒，培养期一年半，按每人每年最低标准算补贴至少多少？", 1.5, 54000),
    ("我們公司新型學徒制帶了９個學徒，培養期一年半，補貼至少多少？", 1.5, 54000),
    ("新型学徒制10名学徒培养两年，补贴最少多少？", 2, 80000),
])
def test_apprenticeship_years_may_be_fractional(question, years, total):
    calls = _calls(question, "apprenticeship_subsidy")
    assert calls and float(calls[0]["years"]) == years
    assert _run(question, "apprenticeship_subsidy")[0]["value"]["amount_yuan"] == total


@pytest.mark.parametrize("question", [
    "厂里搞新型学徒制，15名学员都培养2年，按最低标准补贴总共多少钱？",
    "企业新型学徒制招了15个人，培养2年，补贴最少多少？",
])
def test_apprentices_said_as_trainees_or_people(question):
    calls = _calls(question, "apprenticeship_subsidy")
    assert calls and calls[0]["apprentices"] == 15 and calls[0]["years"] == 2


# ---------------------------------------------------------------- training hours: rate denominators, 没够基本课时
@pytest.mark.parametrize("question, per_person", [
    ("重点产业目录里的电工培训，课时达到了基本培训课时还多出20课时，基准培训补贴1200元，课时补贴6元一课时，每人能补多少？", 1584),
    ("重点产业目录里的电工培训，课时达到了基本培训课时还多出２０课时，基准培训补贴１２００元，课时补贴６元一课时，每人能补多少？", 1584),
    ("重点产业目录里的焊工培训，比基本课时多出20课时，基准补贴1200元，课时补贴按6元/课时，每人补多少？", 1584),
])
def test_rate_denominator_is_not_the_hours_trained(question, per_person):
    calls = _calls(question, "training_subsidy")
    assert calls and "hours" not in calls[0]
    assert _run(question, "training_subsidy")[0]["value"]["per_person_yuan"] == per_person


@pytest.mark.parametrize("question, per_person", [
    ("重点产业目录的工种培训了70课时，没够基本课时，课时补贴按12元算，一个人补多少？", 1008),
    ("重点产业目录里的工种上了70课时，还不到基本培训课时，课时补贴12元，每人多少？", 1008),
    ("重點產業目錄的工種培訓了70課時，沒夠基本課時，課時補貼按12元算，一個人補多少？", 1008),
])
def test_below_basic_hours_without_its_number(question, per_person):
    result = _run(question, "training_subsidy")[0]
    assert result["outcome"] in ("computed", "eligible") and result["value"]["per_person_yuan"] == per_person


@pytest.mark.parametrize("question", [
    "考了个专项职业能力证书想申领鉴定补贴，要交啥材料？",
    "鉴定补贴的事想咨询一下，找哪个科室，电话多少？",
    "培训补贴申领流程是怎样的？",
])
def test_procedure_questions_do_not_run_the_subsidy_tool(question):
    assert _calls(question, "training_subsidy") == []


def test_certificate_said_as_kaoxia():
    calls = _calls("我第一次考下了电工职业技能等级证书，能领鉴定补贴吗？", "training_subsidy")
    assert calls and calls[0]["certificate"] == "职业技能等级证书"


# ---------------------------------------------------------------- rules that must not answer a neighbouring question
@pytest.mark.parametrize("question", [
    "我们公司新型学徒制带了9个学徒，培养期一年半，按每人每年最低标准算补贴至少多少？",
    "学徒制每人每年补贴多少？一共带了3年，能拿多少钱？",
])
def test_apprenticeship_target_rules_not_on_subsidy_questions(question):
    assert not [r for r in _rules(question) if r.startswith("apprenticeship-target")]


def test_apprenticeship_target_rule_still_on_target_questions():
    assert "apprenticeship-target-annual-sum" in _rules("2021年起每年要培训多少学徒？连续搞3年加起来一共得多少人？")


@pytest.mark.parametrize("question", [
    "我们是小微型人力资源服务机构，在职职工40人，今年新招了5个人，能申请300万的创业担保贷款吗？",
    "小微人力资源公司新招了8个人，创业担保贷款最多贷多少？",
])
def test_small_micro_tax_rule_not_on_loan_questions(question):
    assert "hr-small-micro-tax" not in _rules(question)


def test_small_micro_tax_rule_on_tax_questions():
    assert "hr-small-micro-tax" in _rules("我们人力资源公司是小微企业，能享受税收优惠吗？")


# ---------------------------------------------------------------- several levels asked in one question
def test_each_project_level_asked_gets_a_run():
    calls = _calls("人力资源服务机构参与建自治区级高技能人才培训基地，补助多少钱？国家级的呢？", "hr_service_support")
    assert {c.get("project_level") for c in calls} == {"自治区级高技能人才培训基地", "国家级高技能人才培训基地"}


# ---------------------------------------------------------------- incubator: 孵化成功户数, award cycle in calendar years
@pytest.mark.parametrize("question, households", [
    ("我们基地今年孵化成功、注册登记并搬走了6户，另外在孵企业新增就业8人，孵化补贴和带动就业补贴最多一共多少？", 6),
    ("基地今年有企业注册登记后搬离基地，一共4户，孵化补贴能拿多少？", 4),
])
def test_incubation_success_households(question, households):
    calls = _calls(question, "incubator_recognition")
    assert calls and calls[0]["incubated_success"] == households


@pytest.mark.parametrize("question, verdict", [
    ("我们基地2024年拿了以奖代补，2026年还能再申请吗？", "不可以"),
    ("我們基地2022年獲得以獎代補，2026年還能再申請嗎？", "可以"),
    ("基地2023年获得以奖代补资金，2025年能不能重复申请？", "不可以"),
])
def test_award_cycle_from_calendar_years(question, verdict):
    result = _run(question, "incubator_recognition")[0]
    assert result["summary_zh"].startswith(verdict + "，")


# ---------------------------------------------------------------- tax: counts with 个, the clause of the item asked
@pytest.mark.parametrize("question", [
    "我们人力资源公司职工40人，一年里月平均安置了12个残疾人，城镇土地使用税每年能减多少？",
    "我們公司職工40人，月平均安置了12個殘疾人，土地使用稅能減多少？",
])
def test_disabled_count_said_with_ge(question):
    calls = _calls(question, "tax_benefits")
    assert calls and calls[0]["disabled_count"] == 12 and calls[0]["total_staff"] == 40


def test_veteran_hiring_cites_its_own_clause_only():
    result = _run("公司招了2名自主就业退役士兵，签了三年合同交了社保，3年内最多一共能扣减多少税？", "tax_benefits")[0]
    assert result["citations"][0] == "hr-service/att1/s5/i22"
    assert "hr-service/att1/s5/i20" not in result["citations"]
