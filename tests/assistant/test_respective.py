"""Lists and their figures, read "respectively": a question naming several items of a list gets each item's own figure.

The class: a clause lists items (often elided: "金、银、铜奖", "一、二、三等奖") and then their figures in the same
order ("1万元、0.8万元、0.5万元"); a question names one, several or all of them, in any order and wording.
"""

from __future__ import annotations

import pytest

from assistant.composer import Candidate
from assistant.direct import respective_values
from indexing.coordination import expand_coordination

pytestmark = pytest.mark.unit

PRIZES = "对全市技能大赛各竞赛项目前3名的选手，颁发金、银、铜奖，给予1万元、0.8万元、0.5万元的奖金奖励。"
UPLIFT = "开展自治区级就业技能知名品牌培训和特色品牌培训的，培训补贴标准统一上浮 30% 和 25%。"


class TestElidedLists:
    @pytest.mark.parametrize("text, expected", [
        ("颁发金、银、铜奖，给予", "颁发金奖、银奖、铜奖，给予"),
        ("颁发一、二、三等奖，职工", "颁发一等奖、二等奖、三等奖，职工"),
        ("初、中、高级职称的评审", "初级、中级、高级职称的评审"),
        ("中、初级职称", "中级、初级职称"),
        ("省、市、区级以上", "省级、市级、区级以上"),
        ("一、二类赛", "一类、二类赛"),
        ("金、银、铜奖等", "金奖、银奖、铜奖等"),
    ])
    def test_an_elided_list_is_written_out_in_place(self, text, expected):
        assert expand_coordination(text) == expected

    @pytest.mark.parametrize("text", ["工资、奖金、补贴", "对甲、乙、丙的", "金、银奖", "（一）、（二）", "1、2、3项", "没有列表"])
    def test_text_without_an_elided_list_is_unchanged(self, text):
        # two items (工资、奖金 vs 金、银奖) cannot be told apart without a parser: left alone
        assert expand_coordination(text) == text


class TestRespectiveValues:
    @pytest.mark.parametrize("question, expected", [
        ("银奖多少钱", [("银奖", "0.8万元")]),
        ("金奖和银奖各多少钱", [("金奖", "1万元"), ("银奖", "0.8万元")]),
        ("银奖、金奖分别奖励多少", [("银奖", "0.8万元"), ("金奖", "1万元")]),  # in the order asked
        ("铜奖跟金奖各给多少", [("金奖", "1万元"), ("铜奖", "0.5万元")][::-1]),
        ("金奖银奖铜奖分别多少", [("金奖", "1万元"), ("银奖", "0.8万元"), ("铜奖", "0.5万元")]),
    ])
    def test_each_named_item_gets_its_own_figure(self, question, expected):
        assert respective_values(PRIZES, question) == expected

    def test_a_question_naming_no_item_pairs_nothing(self):
        assert respective_values(PRIZES, "技能大赛奖金怎么发") == []

    @pytest.mark.parametrize("question, figure", [("知名品牌培训上浮多少", "30%"), ("特色品牌培训上浮多少", "25%")])
    def test_two_items_told_apart_by_their_distinct_words(self, question, figure):
        assert respective_values(UPLIFT, question) == [(question[:6], figure)]

    def test_the_whole_list_repeated_without_asking_for_each_is_left_to_the_clause(self):
        assert respective_values(UPLIFT, "知名品牌培训和特色品牌培训的补贴上浮吗") == []


@pytest.mark.integration
class TestThroughTheAssistant:
    @pytest.mark.parametrize("question, figures", [
        ("金奖和银奖各多少钱", ["1万元", "0.8万元"]),
        ("金獎和銀獎各多少錢？", ["1万元", "0.8万元"]),
        ("请问铜奖和银奖分别奖励多少，谢谢", ["0.5万元", "0.8万元"]),
    ])
    def test_a_list_question_is_answered_with_each_figure(self, question, figures):
        from assistant.service import get_assistant
        from tests.assistant.conftest import AS_OF

        result = get_assistant().ask(question, as_of=AS_OF)
        assert result["status"] == "answered", result["answer"][:200]
        first = result["answer"].splitlines()[0]
        assert all(f in first for f in figures), first
        assert result["citations"][0]["clause_id"] == "skills-contest/a18"


class TestAskedSubject:
    @pytest.mark.parametrize("question, subject", [
        ("创业园以奖代补最多给多少钱", "创业园以奖代补"),  # 补 ends a word of the compilation here, not a verb
        ("学徒每人每年能补多少", "学徒每人每年"),  # here it is the verb
        ("拟聘人员公示期至少几天", "拟聘人员公示期"),
        ("事业单位专技岗位，高级占多少比例", "高级"),
    ])
    def test_run_the_subject_keeps_whole_words_and_drops_the_verbs(self, question, subject):
        from assistant.direct import asked_subject

        assert asked_subject(question) == subject


class TestParts:
    @pytest.mark.parametrize("question, parts", [
        ("金奖奖金多少？银奖呢？铜奖又是多少？", ["金奖奖金多少？", "银奖呢？", "铜奖又是多少？"]),
        ("金奖奖金多少？那银奖呢？", ["金奖奖金多少？", "那银奖呢？"]),
        ("银奖呢？", []),  # alone it is a follow-up of the conversation, not a part of this question
    ])
    def test_run_an_elliptical_part_is_kept_after_a_part_that_asks(self, question, parts):
        from assistant.direct import question_parts

        assert question_parts(question) == parts

    @pytest.mark.parametrize("fact, value", [
        ("培养期限为1-2年", "1-2年"), ("培养期限为1—2年", "1—2年"), ("学徒每人每年的补贴标准原则上不低于4000元", "原则上不低于4000元"),
        ("期限一般为三至五年", "三至五年"),
    ])
    def test_run_a_range_is_stated_whole(self, fact, value):
        from assistant.direct import value_phrase

        assert value_phrase(fact) == value

    @pytest.mark.parametrize("question", ["补贴每年多少？", "学徒补贴每人多少", "奖金一共多少"])
    def test_run_how_much_apart_from_its_noun_asks_for_money(self, question):
        from assistant.composer import answer_kinds

        assert "money" in answer_kinds(question)


class TestTheFactForTheSubjectAsked:
    """One sentence often states the same kind of fact for several subjects: the phrase naming the subject asked wins."""

    GRADES = ("2. 专业技术岗位分为 13 个等级，包括高级岗位、中级岗位、初级岗位。高级岗位分 7 个等级，即一至七级，其中：正高级岗位"
              "包括一至四级，副高级岗位包括五至七级；中级岗位分 3 个等级，即八至十级；初级岗位分3个等级，即十一至十三级。")

    @pytest.mark.parametrize("question, stated", [
        ("正高级岗位分几级？", "一至四级"), ("副高级岗位是几级到几级", "五至七级"), ("中级岗位分几个等级", "3个等级"),
        ("专业技术岗位分几个等级？", "13个等级"), ("初级岗位分几个等级？", "3个等级"),
    ])
    def test_run_the_phrase_of_the_subject_asked(self, question, stated):
        from assistant.direct import direct_answers, render_direct

        cand = Candidate(clause_id="post-title/s4/p1/i2", label="", document="", text=self.GRADES)
        line = render_direct(direct_answers(question, [cand]))
        assert stated in line, line


@pytest.mark.parametrize("fact, kinds, value", [
    ("减征标准为每安置一名残疾人每年定额减征2500元", ["money"], "2500元"),
    ("减征标准为每安置一名残疾人每年定额减征2500元", ["count"], "一名"),
    ("对吸纳就业10人以上的，给予5万元奖励", ["money"], "5万元"),
    ("对吸纳就业10人以上的，给予5万元奖励", ["count"], "10人以上"),
])
def test_run_of_several_figures_the_one_of_the_asked_kind_is_stated(fact, kinds, value):
    from assistant.direct import value_phrase

    assert value_phrase(fact, kinds) == value
