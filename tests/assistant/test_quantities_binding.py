"""Typed quantities and their binding to rule conditions: one table per class of wording, both sides of each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.binding import Facts, bind, statement_value
from assistant.quantities import extract_month_dates, extract_quantities
from eligibility_tools.inventory.model import _rule


def _q(text):
    return [(q.value, q.unit, q.approx, q.relative, q.ordinal) for q in extract_quantities(text)]


class TestQuantities:
    @pytest.mark.parametrize("text, expected", [
        ("在十级岗位1年8个月了", [(Decimal(10), "级", None, None, False), (Decimal(20), "月", None, None, False)]),
        ("干了1.5年", [(Decimal("1.5"), "年", None, None, False)]),
        ("一年半", [(Decimal("1.5"), "年", None, None, False)]),
        ("两年半", [(Decimal("2.5"), "年", None, None, False)]),
        ("3000人", [(Decimal(3000), "人", None, None, False)]),
        ("三千人", [(Decimal(3000), "人", None, None, False)]),
        ("3年多", [(Decimal(3), "年", "more", None, False)]),
        ("不到1年", [(Decimal(1), "年", "less", None, False)]),
        ("比规定多干了半年", [(Decimal("0.5"), "年", None, "more", False)]),
        ("还差4个月", [(Decimal(4), "月", None, "less", False)]),
        ("第3名", [(Decimal(3), "名", None, None, True)]),
        ("前3名", [(Decimal(3), "名", None, None, True)]),
        ("提前3天", [(Decimal(3), "天", None, None, False)]),
        ("两周", [(Decimal(2), "周", None, None, False)]),
        ("应纳税所得额400万", [(Decimal(4000000), "元", None, None, False)]),
        ("45万元", [(Decimal(450000), "元", None, None, False)]),
        ("百分之六十", [(Decimal(60), "%", None, None, False)]),
        ("一事一议、一心多点、三层次", []),
    ])
    def test_run_reads_the_quantity(self, text, expected):
        assert _q(text) == expected

    def test_run_month_of_a_date_is_no_duration(self):
        assert _q("2014年7月本科毕业") == [(Decimal(2014), "年份", None, None, False)]
        assert extract_month_dates("2014年7月本科毕业")[0].month == 7


def _facts(text, **values):
    return Facts(text=text, quantities=tuple(extract_quantities(text)), values=values)


PROMOTION = _rule({"id": "r", "clause": "c", "kind": "requirement", "quote": "q", "about": ["x"], "subject": "s",
                   "conditions": [{"name": "years", "label": "满2年", "kind": "quantity", "unit": "年", "op": ">=", "value": 2,
                                   "cues": ["十级|岗位|聘"], "ask": "?"}]}, "t", "t")


class TestBinding:
    def test_run_cue_picks_the_right_quantity(self):
        inputs = bind(PROMOTION, _facts("我38岁，本科毕业工作9年了，聘在十级岗位1年8个月"))
        assert inputs["years"] == Decimal(20) / 12

    def test_run_relative_quantity_is_read_against_the_threshold(self):
        assert bind(PROMOTION, _facts("在十级岗位比规定多干了半年"))["years"] == Decimal("2.5")
        assert bind(PROMOTION, _facts("在十级岗位上还差4个月"))["years"] == Decimal(2) - Decimal(4) / 12

    def test_run_nothing_stated_binds_nothing(self):
        assert bind(PROMOTION, _facts("我能竞聘九级吗")) == {}

    @pytest.mark.parametrize("text, expected", [
        ("我们有独立法人资格", True),
        ("我们没有独立法人资格", False),
        ("是分支机构，不具备独立法人", False),
        ("单位编制和职能都没什么重大变化", False),
        ("证书还没发下来", "pending"),
        ("问一下认定条件", None),
    ])
    def test_run_statements_read_negation(self, text, expected):
        cond = _rule({"id": "r", "clause": "c", "kind": "requirement", "quote": "q", "about": ["x"], "subject": "s",
                      "conditions": [{"name": "s", "label": "l", "kind": "statement", "ask": "?",
                                      "holds": ["独立法人", "重大变化", "证书"], "fails": ["分支机构"],
                                      "pending": ["证书.{0,4}(还没|没)发"]}]}, "t", "t").conditions[0]
        assert statement_value(cond, text) == expected
