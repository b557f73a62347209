"""The one number reading (assistant.numbers) that the grounding check, slot extraction and the evals share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.numbers import NUMERAL_VARIANTS, fold, numbers_in, parse_number, scan_numbers


@pytest.mark.parametrize(("text", "folded"), [
    ("２０２３年", "2023年"),
    ("贰万元", "二万元"),
    ("貳萬元", "二万元"),
    ("壹仟贰佰元", "一千二百元"),
    ("二○二三年", "二〇二三年"),
    ("伍元", "五元"),  # a lone financial numeral before a unit
    ("人才队伍陆续壮大，收拾好參加", "人才队伍陆续壮大，收拾好參加"),  # the same characters as words
])
def test_fold_keeps_length_and_words(text, folded):
    assert fold(text) == folded and len(fold(text)) == len(text)


def test_numeral_variants_agree_with_opencc():
    """Where OpenCC t2s turns a traditional numeral into a simplified one, the fold table reads it as the same numeral."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    for variant, plain in NUMERAL_VARIANTS.items():
        converted = t2s.convert(variant)
        assert converted == variant or NUMERAL_VARIANTS.get(converted, converted) == plain or converted == "参", variant


@pytest.mark.parametrize(("token", "value"), [
    ("12", "12"), ("1.5", "1.5"), ("1,000", "1000"), ("０．８万", "8000"), ("0.8万", "8000"), ("2 万", "20000"),
    ("2萬", "20000"), ("貳萬", "20000"), ("2w", "20000"), ("2W", "20000"), ("3k", "3000"), ("1.5亿", "150000000"),
    ("两", "2"), ("十二", "12"), ("一千二百", "1200"), ("五十六万", "560000"), ("两万五", "25000"), ("三千五", "3500"),
    ("一百五", "150"), ("一百零五", "105"), ("二〇二三", "2023"), ("零点八", "0.8"), ("一点五万", "15000"),
    ("壹仟贰佰", "1200"), ("半", "0.5"), ("-1", "-1"), ("负三", "-3"), ("－2", "-2"),
])
def test_parse_number(token, value):
    assert parse_number(token) == Decimal(value)


@pytest.mark.parametrize("token", ["", "x", "元", "-", "1万元", "3个", "Infinity", "一点"])
def test_parse_number_rejects_non_numbers(token):
    assert parse_number(token) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("给予1万元、0.8万元、0.5万元", [("1万", "10000", False), ("0.8万", "8000", False), ("0.5万", "5000", False)]),
    ("不低于 70 %，即百分之七十", [("70 %", "70", True), ("百分之七十", "70", True)]),
    ("2万五千", [("2万", "20000", False), ("五千", "5000", False)]),
    ("共8,000元", [("8,000", "8000", False)]),
    ("单位为万元，千万不要", []),
])
def test_scan_numbers(text, expected):
    assert [(t.text, t.value, t.percent) for t in scan_numbers(fold(text))] == [(a, Decimal(b), c) for a, b, c in expected]


def test_numbers_in_is_the_same_reading():
    assert {"0.8", "8000"} <= numbers_in("0.8万元")
    for text in ("金奖2萬元", "金奖2 万元", "金奖貳萬元", "金奖2w元"):
        assert "20000" in numbers_in(text), text
    assert "70%" in numbers_in("不低于 70%") and "3" in numbers_in("满三年") and "1" not in numbers_in("一般为")
