"""Numbers in Chinese text, normalised, for the rule "every number in an answer comes from a tool or a cited clause".

`numbers_in(text)` returns normalised number strings: Arabic numbers with their multiplier applied as well
as raw (0.8万 -> {"0.8", "8000"}), percentages as "70%", Chinese numerals as ints (三年 -> "3", 十二 -> "12").
The answer side and the evidence side use the same function, so the check is symmetric.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from corpus.numerals import cn_to_int

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_ARABIC = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?\s*(%)?")
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_CN_DIGITS = set("零〇一二两三四五六七八九")
_MULT = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10) ** 12}
# A lone Chinese digit is a number only before a measure word (三年, 两个), so that 一般 / 统一 are not numbers.
_MEASURE = ("年", "个", "名", "人", "次", "级", "元", "岁", "周", "月", "日", "号", "天", "项", "户", "倍", "分", "课时",
            "小时", "家", "类", "批", "期", "档", "件", "份", "位", "种", "只", "条", "款", "章", "节", "层", "成", "届",
            "等奖", "亩", "平方米", "万", "千", "百")
_NOT_NUMBERS = ("一次性", "十分", "一些", "一定", "一般", "一律", "一并", "统一", "一体", "一致", "万人计划", "百千万")


def _norm(value: Decimal) -> str:
    value = value.normalize()
    text = format(value, "f")
    return text


def numbers_in(text: str) -> set[str]:
    """Every number of the text, normalised (see the module docstring)."""
    text = (text or "").translate(_FULLWIDTH)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    out: set[str] = set()
    masked = text
    for m in _ARABIC.finditer(text):
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:
            continue
        if m.group(3):
            out.add(_norm(value) + "%")
            continue
        out.add(_norm(value))
        if m.group(2):
            out.add(_norm(value * _MULT[m.group(2)]))
        masked = masked[:m.start()] + "#" * (m.end() - m.start()) + masked[m.end():]
    for m in _CN_RUN.finditer(masked):
        run = m.group(0)
        after = masked[m.end():]
        before = masked[max(0, m.start() - 1):m.start()]
        if any((run + after).startswith(w) or (before + run + after).startswith(w) for w in _NOT_NUMBERS):
            continue
        if not any(ch in _CN_DIGITS for ch in run) and run != "十":
            continue
        if len(run) == 1 and not after.startswith(_MEASURE):
            continue
        try:
            value = cn_to_int(run)
        except ValueError:
            continue
        if after.startswith("%"):
            out.add(f"{value}%")
        else:
            out.add(str(value))
    return out


def parse_number(token: str) -> Decimal | None:
    """One number as a user writes it: "12", "两", "十二", "0.8万", "1.5" -> Decimal; None if not a number."""
    token = (token or "").strip().translate(_FULLWIDTH)
    mult = Decimal(1)
    for suffix in ("万亿", "亿", "万", "千"):
        if token.endswith(suffix) and len(token) > len(suffix):
            mult = _MULT[suffix]
            token = token[: -len(suffix)]
            break
    try:
        return Decimal(token) * mult
    except InvalidOperation:
        pass
    if token == "半":
        return Decimal("0.5") * mult
    try:
        return Decimal(cn_to_int(token)) * mult
    except ValueError:
        return None
