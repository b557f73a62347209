"""The clause-rule engine on hand-made rules: three-valued conditions, not-yet gaps, comparisons, thresholds set by a
fact, prohibitions with exceptions, formulas with repeated inputs — each on both sides of its boundary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from corpus.errors import CorpusError
from eligibility_tools.inventory.evaluate import run_rule
from eligibility_tools.inventory.model import _rule

AS_OF = date(2026, 11, 30)


def rule(**raw):
    base = {"id": "r", "clause": "post-title/s6/p3/i2/n2", "kind": "requirement", "quote": "q", "about": ["x"], "subject": "晋升"}
    return _rule({**base, **raw}, "test", "测试")


PROMOTION = rule(conditions=[{"name": "years", "label": "在下一等级岗位工作满2年", "kind": "quantity", "unit": "年", "op": ">=",
                              "value": 2, "grows": True, "ask": "干了多久？"}])


class TestQuantityConditions:
    @pytest.mark.parametrize("years, verdict, gap", [
        (Decimal(2), "yes", None),
        (Decimal(3), "yes", None),
        (Decimal(20) / 12, "not_yet", "4个月"),  # 1年8个月
        (Decimal("1.5"), "not_yet", "6个月"),
        (Decimal(1), "not_yet", "1年"),
    ])
    def test_run_threshold_both_sides(self, years, verdict, gap):
        result = run_rule(PROMOTION, {"years": years}, AS_OF)
        assert result.value["verdict"] == verdict
        if gap:
            assert result.value["gap"] == gap and result.summary_zh.startswith(f"现在还不行，还差{gap}")

    def test_run_unknown_asks_and_never_says_no(self):
        result = run_rule(PROMOTION, {}, AS_OF)
        assert result.outcome == "needs_info" and result.value["verdict"] is None
        assert [m.fact for m in result.missing_facts] == ["years"]

    def test_run_not_growing_condition_says_no(self):
        r = rule(conditions=[{"name": "days", "label": "公示不少于5个工作日", "kind": "quantity", "unit": "工作日", "op": ">=", "value": 5,
                              "ask": "公示了几天？"}])
        assert run_rule(r, {"days": Decimal(3)}, AS_OF).value["verdict"] == "no"
        assert run_rule(r, {"days": Decimal(5)}, AS_OF).value["verdict"] == "yes"

    def test_run_compares_two_inputs(self):
        r = rule(inputs=[{"name": "main", "label": "主系列最高等级", "kind": "quantity", "unit": "级", "ask": "主系列几级？"}],
                 conditions=[{"name": "aux", "label": "辅系列低于主系列", "kind": "quantity", "unit": "级", "op": ">", "than": "main",
                              "ask": "辅系列几级？"}])
        assert run_rule(r, {"main": Decimal(5), "aux": Decimal(5)}, AS_OF).value["verdict"] == "no"
        assert run_rule(r, {"main": Decimal(5), "aux": Decimal(6)}, AS_OF).value["verdict"] == "yes"
        asked = run_rule(r, {"aux": Decimal(6)}, AS_OF)
        assert [m.fact for m in asked.missing_facts] == ["main"]  # the missing side is asked, not the given one


class TestThresholdSetByAFact:
    R = rule(conditions=[{"name": "years", "label": "本科满5年、专科满8年", "kind": "quantity", "unit": "年", "op": ">=", "grows": True,
                          "ask": "干了几年？", "value_by": {"fact": "education", "ask": "什么学历？", "values": {"本科": 5, "大专": 8}}}])

    @pytest.mark.parametrize("education, years, verdict", [
        ("本科", 5, "yes"), ("本科", 4, "not_yet"), ("大专", 8, "yes"), ("大专", 6, "not_yet"), ("中专", 20, "no"),
    ])
    def test_run_threshold_follows_the_fact(self, education, years, verdict):
        assert run_rule(self.R, {"education": education, "years": Decimal(years)}, AS_OF).value["verdict"] == verdict

    def test_run_unknown_fact_is_asked_not_the_stated_years(self):
        result = run_rule(self.R, {"years": Decimal(6)}, AS_OF)
        assert [m.fact for m in result.missing_facts] == ["education"]

    def test_init_rejects_value_by_without_ask(self):
        with pytest.raises(CorpusError):
            rule(conditions=[{"name": "y", "label": "l", "kind": "quantity", "unit": "年", "ask": "a",
                              "value_by": {"fact": "education", "values": {"本科": 5}}}])


class TestProhibitions:
    R = rule(kind="prohibition", no_text="一个聘期内不再调整",
             exceptions=[{"name": "major_change", "label": "编制、结构、职能发生重大变化", "kind": "statement", "holds": ["重大变化"],
                          "optional": True}])

    def test_run_prohibition_says_no(self):
        assert run_rule(self.R, {}, AS_OF).value["verdict"] == "no"

    def test_run_exception_lifts_it(self):
        assert run_rule(self.R, {"major_change": True}, AS_OF).value["verdict"] == "yes"


class TestFormulas:
    R = rule(kind="formula",
             params={"monthly": {"value": 700, "unit": "元", "quote": "q"}, "cap": {"value": 24, "unit": "月", "quote": "q"}},
             inputs=[{"name": "months", "label": "储备月数", "kind": "quantity", "unit": "月", "ask": "几个月？"}], each="months",
             outputs=[{"name": "paid", "label": "补贴月数", "expr": "min(months, cap)"},
                      {"name": "amount", "label": "生活补贴", "unit": "元", "expr": "monthly * paid", "rounding": "money",
                       "show": "{monthly}元×{paid}个月＝{amount}元"}])

    def test_run_one_value(self):
        result = run_rule(self.R, {"months": Decimal(18)}, AS_OF)
        assert result.outcome == "computed" and "700元×18个月＝12600元" in result.summary_zh

    def test_run_each_value_then_total_with_cap(self):
        result = run_rule(self.R, {"months": [Decimal(18), Decimal(30)]}, AS_OF)
        assert "700元×24个月＝16800元" in result.summary_zh and result.value["total"] == 29400

    def test_run_missing_input_asks(self):
        result = run_rule(self.R, {}, AS_OF)
        assert result.outcome == "needs_info" and result.missing_facts[0].fact == "months"

    def test_init_rejects_unknown_names_in_expressions(self):
        with pytest.raises(CorpusError):
            rule(kind="formula", outputs=[{"name": "a", "label": "a", "expr": "undefined_name * 2"}])

    def test_init_rejects_calls_outside_the_whitelist(self):
        with pytest.raises(CorpusError):
            rule(kind="formula", inputs=[{"name": "x", "label": "x", "kind": "quantity", "unit": "元", "ask": "?"}],
                 outputs=[{"name": "a", "label": "a", "expr": "__import__('os')"}])
