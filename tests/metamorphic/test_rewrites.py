"""The rewrites themselves, table-driven: each changes what it should and nothing else."""

from __future__ import annotations

import pytest

from tests.metamorphic.rewrites import (
    REWRITES,
    to_chinese_numerals,
    to_dialect,
    to_fullwidth_digits,
    to_traditional,
    with_filler,
)


@pytest.mark.parametrize("text, expected", [
    ("评职称需要什么材料？", "評職稱需要什麼材料？"),
    ("我们单位属于市本级，岗位总数400个", "我們單位屬於市本級，崗位總數400個"),
])
def test_to_traditional(text, expected):
    assert to_traditional(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("岗位总数400个，2023年", "岗位总数４００个，２０２３年"),
    ("0.8万元", "０.８万元"),
    ("没有数字", "没有数字"),
])
def test_to_fullwidth_digits(text, expected):
    assert to_fullwidth_digits(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("工作满3年", "工作满三年"),
    ("专技岗位120个", "专技岗位一百二十个"),
    ("今年62岁了", "今年六十二岁了"),
    ("一共10000元", "一共一万元"),
    ("全日制４００个", "全日制四百个"),                       # full-width figures too
    ("2023年的通知，满2年", "2023年的通知，满二年"),            # a year stays
    ("按第18条，前3名", "按第18条，前三名"),                    # a clause number stays
    ("奖金0.8万元", "奖金0.8万元"),                          # a decimal stays
    ("6月9日前报送", "6月9日前报送"),                        # a date stays (no measure word)
    ("电话8991659", "电话8991659"),
])
def test_to_chinese_numerals(text, expected):
    assert to_chinese_numerals(text) == expected


@pytest.mark.parametrize("prefix, suffix, text, expected", [
    ("请问", "", "聘期几年？", "请问聘期几年？"),
    ("请问", "", "请问聘期几年？", "请问聘期几年？"),
    ("麻烦问一下", "谢谢！", "聘期几年？", "麻烦问一下聘期几年？谢谢！"),
    ("您好，想咨询一下：", "谢谢！", "聘期几年？谢谢", "您好，想咨询一下：聘期几年？谢谢"),
])
def test_with_filler(prefix, suffix, text, expected):
    assert with_filler(text, prefix=prefix, suffix=suffix) == expected


@pytest.mark.parametrize("text, expected", [
    ("我们单位能设特设岗位吗？", "俺们单位能设特设岗位吗？"),
    ("我想评职称，需要什么材料？", "俺想评职称，需要啥材料？"),
    ("怎么申请补贴？", "咋申请补贴？"),
    ("我能报名参赛，可以吗？", "俺能报名参赛，中不中？"),
    ("我能申报中级职称吗？", "俺能申报中级职称吗？"),   # 能吗 only as the closing words
    ("这样行吗?", "这样中不中？"),
    ("评上了能涨工资吗", "评上了能涨工资吗"),
    ("还按它执行吗？", "还按它执行吗？"),                # 执行吗 is not 行吗
    ("有这种可能吗？", "有这种可能吗？"),
])
def test_to_dialect(text, expected):
    assert to_dialect(text) == expected


def test_every_rewrite_is_pure_and_keeps_a_plain_question_readable():
    question = "我们单位有120个专技岗位，怎么设置才可以吗？"
    for name, rewrite in REWRITES.items():
        once = rewrite(question)
        assert once == rewrite(question), name
        assert once and once != question, name
