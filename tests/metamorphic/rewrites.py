"""Surface rewrites of a question that must not change its answer; used only by the metamorphic tests.

Each is a pure str -> str function. A citizen writes the same question in traditional characters, with
full-width or Chinese-numeral figures, wrapped in polite filler, or in northern dialect; the assistant must
read all of them as the same question (STYLE.md: normalise the text before extracting facts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
# A figure becomes a Chinese numeral only before a measure word: 3年 -> 三年, 120个 -> 一百二十个. Dates (6月9日),
# clause numbers (第18条), decimals (0.8万) and years (2023年) stay as written, as people write them.
_MEASURE_WORDS = ("周岁", "岁", "年", "个", "名", "人", "次", "级", "周", "天", "项", "户", "倍", "课时", "小时", "家",
                  "所", "类", "批", "件", "份", "位", "种", "万", "元", "平方米", "亩", "只", "篇", "门")
_FIGURE = re.compile(r"(?<![0-9０-９.．第])([0-9０-９]+)(?![0-9０-９.．])(?=" + "|".join(_MEASURE_WORDS) + ")")
_YEAR = re.compile(r"(19|20)\d\d")
# 可以吗 / 能吗 / 行吗 as the closing words, not the end of 执行吗, 可能吗, 技能吗
_ENDING_ASK = re.compile(r"(?:可以吗|(?<![可功技职智才性效])能吗|(?<![执进实施推运履举银发试先自另现同])行吗)[？?]*\s*$")


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified -> traditional characters (OpenCC s2t): 职称 -> 職稱."""
    return _s2t().convert(text)


def to_fullwidth_digits(text: str) -> str:
    """ASCII digits -> full-width digits: 400 -> ４００."""
    return text.translate(_FULLWIDTH_DIGITS)


def to_chinese_numerals(text: str) -> str:
    """Arabic figures before a measure word -> Chinese numerals (cn2an): 3年 -> 三年, 120个 -> 一百二十个; not 2023年."""
    import cn2an

    def convert(m: re.Match[str]) -> str:
        value = int(m.group(1))  # int() reads full-width digits too
        if text[m.end():].startswith("年") and _YEAR.fullmatch(str(value)):
            return m.group(1)
        return cn2an.an2cn(str(value))

    return _FIGURE.sub(convert, text)


def with_filler(text: str, prefix: str = "", suffix: str = "") -> str:
    """Polite filler around the question: 请问…, …谢谢！ (not doubled when the question already has it)."""
    if prefix and not text.startswith(prefix):
        text = prefix + text
    if suffix and not text.rstrip().endswith(suffix.rstrip("！!")):
        text = text.rstrip() + suffix
    return text


def to_dialect(text: str) -> str:
    """Northern colloquial: 我们 -> 俺们, 我 -> 俺, 什么 -> 啥, 怎么 -> 咋, a closing 可以吗/能吗/行吗 -> 中不中？"""
    text = text.replace("我们", "俺们").replace("我", "俺").replace("什么", "啥").replace("怎么", "咋")
    return _ENDING_ASK.sub("中不中？", text)


REWRITES: dict[str, Callable[[str], str]] = {
    "traditional": to_traditional,
    "fullwidth_digits": to_fullwidth_digits,
    "chinese_numerals": to_chinese_numerals,
    "filler_qingwen": lambda t: with_filler(t, prefix="请问"),
    "filler_mafan": lambda t: with_filler(t, prefix="麻烦问一下", suffix="谢谢！"),
    "filler_ninhao": lambda t: with_filler(t, prefix="您好，想咨询一下：", suffix="谢谢！"),
    "dialect": to_dialect,
}
