"""Chinese numerals <-> int, shared by the parser (第十八条), the router (满三年) and the evals (三年 = 3)."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4,
           "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG_UNITS)
CN_NUMBER_RE = re.compile(f"[{CN_NUMERAL_CHARS}]+")


def cn_to_int(text: str) -> int:
    """Convert a Chinese numeral ("二十九", "十", "一百零五", "三万") to int; ValueError if not one."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG_UNITS for ch in text):
        raise ValueError(f"不是中文数字：{text!r}")
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        # digit-by-digit form such as 二〇二三
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    number = 0
    for ch in text:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _UNITS:
            section += (number or 1) * _UNITS[ch]
            number = 0
        else:  # 万 / 亿
            section += number
            total += (section or 1) * _BIG_UNITS[ch]
            section = 0
            number = 0
    return total + section + number


def int_to_cn(value: int) -> str:
    """Small ints as written in article numbers: 18 -> 十八, 29 -> 二十九, 105 -> 一百零五."""
    if value < 0:
        raise ValueError("negative")
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    if value < 20:
        return "十" + (digits[value % 10] if value % 10 else "")
    if value < 100:
        return digits[value // 10] + "十" + (digits[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        head = digits[value // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + digits[rest]
        return head + (int_to_cn(rest) if rest >= 20 else "一" + int_to_cn(rest))
    return str(value)
