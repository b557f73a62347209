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


# -- the three consumers read every written form the same way (issue 14: "one number normaliser") ------------------------

SURFACE_FORMS = [
    ("奖金2萬元", "20000"), ("奖金2 万元", "20000"), ("奖金貳萬元", "20000"), ("奖金2w元", "20000"), ("奖金2W元", "20000"),
    ("奖金２万元", "20000"), ("奖金20000元", "20000"), ("奖金20,000元", "20000"), ("奖金两万元", "20000"),
    ("奖金0.8万元", "8000"), ("奖金０．８万元", "8000"), ("补贴3k元", "3000"), ("补贴八千元", "8000"), ("奖金壹万元", "10000"),
    ("奖金两万五千元", "25000"), ("补贴1.5亿元", "150000000"), ("招了1,200人", "1200"), ("招了一千二百人", "1200"),
    ("招了壹仟贰佰人", "1200"), ("招了１２００人", "1200"),
]


@pytest.mark.parametrize(("text", "value"), SURFACE_FORMS, ids=[f[0] for f in SURFACE_FORMS])
def test_grounding_slots_and_evals_read_the_same_value(text, value):
    from assistant.grounding import extract_numbers
    from assistant.quantities import extract_quantities
    from evals.grading import parse_numbers

    expected = Decimal(value)
    assert [n.value for n in extract_numbers(text)] == [expected], "grounding"
    assert [q.value for q in extract_quantities(text)] == [expected], "slot extraction"
    assert parse_numbers(text).values == {expected}, "evals"


def test_text_rewriting_numeral_readers_agree_with_the_normaliser():
    """The normalisation stage rewrites 三年 -> 3年 with cn2an and the corpus parser reads 第十八条: on every well-formed
    numeral both give the value `assistant.numbers` gives, so a question reads the same before and after rewriting."""
    import cn2an

    from assistant.normalize import cn_value
    from assistant.numbers import chinese_value
    from corpus.numerals import cn_to_int

    for n in [*range(0, 3001), *range(3001, 200_000, 997), 100_000_000, 120_000_000]:
        numeral = cn2an.an2cn(n, "low")
        assert chinese_value(numeral) == n, numeral
        if cn_value(numeral) is not None:
            assert cn_value(numeral) == n, numeral
        assert cn_to_int(numeral) == n, numeral
