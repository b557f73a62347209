"""Typed quantities in a (normalised) question: value, unit, and how the user said it.

Understanding is layered (STYLE.md): `assistant.normalize` folds widths, scripts and numerals first; this module
reads every quantity the question states — "1年8个月" is one duration of 20 months, "3年多" is at least 3 years,
"比规定多干了半年" is half a year *more than the rule asks*, "还差4个月" is a shortfall — and records where it
stands (its clause segment and the words around it), so that a rule's inputs can be bound by unit and cue words
(`assistant.binding`). Chinese numerals are still read here, so the module is correct on unnormalised text too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from assistant.numbers import ARABIC_NUMBER, MULTIPLIER, apply_multiplier, fold
from assistant.numbers import parse_number as _read_number
from eligibility_tools.inventory.units import format_quantity  # noqa: F401 - re-exported: one formatter for both sides

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．：＾＊", "0123456789%.:^*")
_CN = "零〇一二两三四五六七八九十百千万亿"
_NUM = rf"({ARABIC_NUMBER}|[{_CN}]+|半(?=个?[年月天]))"  # the number text as `assistant.numbers` reads it (1,200)

# Units as users write them -> canonical unit. Longest first, so that 个月 wins over 个 and 平方米 over 米.
_UNIT_WORDS: dict[str, str] = {
    "个工作日": "工作日", "工作日": "工作日", "平方米": "平方米", "个课时": "课时", "课时": "课时", "个小时": "小时", "小时": "小时",
    "个多月": "月", "个月": "月", "周岁": "岁", "万元": "元", "亿元": "元", "块钱": "元", "个人": "人", "个学徒": "人", "名学徒": "人",
    "个岗位": "个", "个项目": "项目", "个创业项目": "项目", "人次": "人次", "年度": "年", "年": "年", "月": "月", "天": "天", "日": "天",
    "岁": "岁", "元": "元", "块": "元", "人": "人", "名": "名", "位": "人", "户": "户", "家": "家", "个": "个", "项": "项", "次": "次",
    "回": "次", "篇": "篇", "份": "份", "亩": "亩", "只": "只", "头": "只", "分": "分", "%": "%", "倍": "倍", "级": "级", "期": "期",
    "个星期": "周", "星期": "周", "周": "周",
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNIT_WORDS, key=len, reverse=True))
_QUANTITY = re.compile(rf"{_NUM}\s*(半)?\s*({MULTIPLIER})?\s*({_UNIT_RE})?(半)?")  # 2万, 2 萬, 2w, 3k
_DURATION_MONTHS = {"年": Decimal(12), "月": Decimal(1), "周": Decimal(7) / Decimal(30), "天": Decimal(1) / Decimal(30)}
_SEGMENT_BREAK = re.compile(r"[，,。；;？?！!\n、]|(?<=[了])(?=[，,])")

# How a number is qualified. Patterns look at the few characters before / after the quantity in its segment.
_APPROX_MORE_AFTER = re.compile(r"^(多|余|以上|出头|还多|开外)")
_APPROX_LESS_BEFORE = re.compile(r"(不到|不足|不满|未满|没满|没到|差不多|将近|快)$")
_RELATIVE_MORE_BEFORE = re.compile(r"(比.{0,12}?(多|超出|超过|高出|长)了?[干做读培训储备]*了?|多出了?|超出了?|多干了?|多了)$")
_RELATIVE_LESS_BEFORE = re.compile(r"(比.{0,12}?(少|短|低)了?[干做]*了?|还差|差了?|还缺|少了)$")
_AT_LEAST_BEFORE = re.compile(r"(满|超过|以上|至少|不少于|不低于)$")
_NOT_A_QUANTITY_AFTER = re.compile(r"^(等奖|类|层次|区|把手|体|线|律|般|致|次性|事一议|心多点|位一体)")
_ORDINAL_BEFORE = re.compile(r"第$")
_RANK_BEFORE = re.compile(r"(?<!提)(前|后|头)$")  # 前3名 is a rank; 提前3天, 前3天 are durations
_PERCENT_WORD = re.compile(rf"百分之(\d+(?:\.\d+)?|[{_CN}]+)")
_RATIO = re.compile(r"(\d+(?:\.\d+)?)\s*[:：比]\s*(\d+(?:\.\d+)?)(?:\s*[:：比]\s*(\d+(?:\.\d+)?))?")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")
_AGE_COLLOQUIAL = re.compile(r"(?:我|俺|他|她|今年|已经)\s*(\d{2})\s*(?:了|岁)")
# A minus sign (ASCII, U+2212, full-width, small) or 负 right before a number makes it negative ("招了-1个学徒", "负3个").
# A dash between two numbers is a range or a phone/date separator, not a sign ("2023-2024年", "3年-5年", "0473-2022599").
_SIGN_BEFORE = re.compile(r"(?:[-−－﹣]|负)\s*$")
# A number with an exponent ("10^40", "1e17", "3.8×10^17", "10的40次方"): one number, never its exponent alone. Read as
# mantissa × base^exponent; the unit after it is read as for any quantity.
_EXPONENT = re.compile(rf"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)\s*(?:(?:[×xX*]\s*(10)\s*)?(?:\^|\*\*)\s*|[eE]\+?|的\s*)"
                       rf"(\d+|[{_CN}]+)(?(2)|(?:\s*次方)?)\s*({MULTIPLIER})?\s*({_UNIT_RE})?")
_EXPONENT_MAX = 400  # 10^400 is already past every bound; a larger exponent is read as this one (no huge powers computed)
_RANGE_HEAD = re.compile(rf"(?:[\dA-Za-z)）]|[{_CN}])\s*(?:千|万|亿)?\s*(?:{_UNIT_RE})?\s*$")


@dataclass(frozen=True)
class Quantity:
    """One stated quantity. `value` is in `unit` (durations keep the unit they were written in; see `months`)."""

    value: Decimal
    unit: str  # canonical: 年 月 天 工作日 岁 人 名 个 户 家 项 项目 次 人次 元 % 课时 小时 平方米 亩 只 分 级 篇 份 倍 期, or "" (bare)
    text: str
    start: int
    end: int
    segment: int  # index of the clause segment (split at ，。；？！、)
    before: str  # text of the segment before the quantity
    after: str  # text of the segment after the quantity
    approx: str | None = None  # "more" (3年多, 满3年), "less" (不到1年)
    relative: str | None = None  # "more" (比规定多干了半年, 超出15课时), "less" (还差4个月)
    ordinal: bool = False  # 第3名, 前3名
    word: str = ""  # the unit as written (个岗位, 名学徒, 万元 …)
    signed: bool = False  # written with a minus sign (−1, -0.0, 负3): never a count, never computed with

    @property
    def negative(self) -> bool:
        """Below zero as written: "-0.0" counts too (the user typed a minus; no tool may read it as 0 or its absolute value)."""
        return self.signed or self.value < 0

    @property
    def is_duration(self) -> bool:
        return self.unit in _DURATION_MONTHS

    @property
    def months(self) -> Decimal | None:
        """A duration in months (1年8个月 -> 20); None for other units."""
        factor = _DURATION_MONTHS.get(self.unit)
        return None if factor is None else self.value * factor

    @property
    def dimension(self) -> str:
        """What is measured: duration | money | people | percent | count | area | grade | … (the unit itself otherwise)."""
        if self.is_duration:
            return "duration"
        if self.unit == "元":
            return "money"
        if self.unit in ("人", "名") and not self.ordinal:
            return "people"
        return {"%": "percent", "平方米": "area", "亩": "area_mu", "级": "grade"}.get(self.unit, self.unit or "number")


@dataclass(frozen=True)
class Ratio:
    parts: tuple[Decimal, ...]
    text: str
    start: int


@dataclass(frozen=True)
class MonthDate:
    year: int
    month: int
    text: str
    start: int


def parse_number(token: str) -> Decimal | None:
    """"12", "0.8", "两", "十二", "一千二百", "3万" (with the multiplier) -> Decimal; None when it is not a number.

    The one number reading of `assistant.numbers` (also 貳萬, 2w, 2 万), which the grounding check and the evals share."""
    return _read_number(token)


def segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the clause segments of a text, split at Chinese and ASCII clause punctuation."""
    out, start = [], 0
    for m in _SEGMENT_BREAK.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _segment_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int, int]:
    for i, (s, e) in enumerate(spans):
        if s <= pos < e:
            return i, s, e
    return len(spans), pos, pos


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity of the text, in order; composite durations (1年8个月) merged into one."""
    return list(_extract(text))


@lru_cache(maxsize=1024)
def _extract(text: str) -> tuple[Quantity, ...]:
    text = fold((text or "").translate(_FULLWIDTH))  # 貳萬 -> 二万, one character for one: offsets stay
    spans = segments(text)
    found: list[Quantity] = []
    for m in _PERCENT_WORD.finditer(text):
        value = parse_number(m.group(1))
        if value is not None:
            found.append(_make(text, spans, value, "%", m.start(), m.end()))
    found += _exponent_quantities(text, spans)
    taken = [(q.start, q.end) for q in found]
    for m in _QUANTITY.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        number, half_before, mult, unit_word, half_after = m.groups()
        if unit_word is None and mult is None:
            continue  # a bare number: not a quantity (ids, clause numbers), unless a multiplier makes it money
        if number[0] not in "0123456789" and unit_word is None:
            continue  # 万一, 千万: words, not numbers
        after_all = text[m.end():]
        if _NOT_A_QUANTITY_AFTER.match((unit_word or "") + after_all) or (unit_word in ("级", "期") and number[0] not in "0123456789"
                                                                         and not re.match(rf"[{_CN}]+级", m.group(0))):
            continue
        value = parse_number(number)
        if value is None:
            continue
        if half_before or half_after:
            value += Decimal("0.5")
        value = apply_multiplier(value, mult or "")
        unit = _UNIT_WORDS.get(unit_word or "", "")
        if unit_word in ("万元", "亿元"):
            value = apply_multiplier(value, unit_word[0])
        if not unit and mult:
            unit = "元"  # "400万", "1.5万": in this domain a bare 万 amount is money
        sign = sign_start(text, m.start())
        if unit == "年" and value >= 1900 and value == value.to_integral_value() and sign is None:
            unit = "年份"  # a calendar year, not a duration
        start = m.start() if sign is None else sign
        q = _make(text, spans, -value if sign is not None else value, unit, start, m.end())
        found.append(replace(q, word=unit_word or mult or "", signed=sign is not None))
    found.sort(key=lambda q: q.start)
    found = [q for i, q in enumerate(found) if not _month_of_date(text, found, i)]
    return tuple(_merge_durations(text, found))


def _exponent_quantities(text: str, spans: list[tuple[int, int]]) -> list[Quantity]:
    """"10^40个", "1e17元", "3.8×10^17元", "10的40次方个": the whole number (a bare one counts, as for 万), sign kept."""
    out = []
    for m in _EXPONENT.finditer(text):
        mantissa, times_ten, exponent_text, mult, unit_word = m.groups()
        joiner = text[m.end(1):m.start(3)]
        if "的" in joiner and "次方" not in m.group(0):
            continue  # "3的2个" is no power
        exponent = parse_number(exponent_text)
        if exponent is None or exponent != exponent.to_integral_value():
            continue
        base, factor = (Decimal(10), Decimal(mantissa)) if times_ten or re.search(r"[eE]", joiner) else (Decimal(mantissa), Decimal(1))
        value = factor * base ** min(int(exponent), _EXPONENT_MAX)
        value = apply_multiplier(value, mult or "")
        unit = _UNIT_WORDS.get(unit_word or "", "") or ("元" if mult else "")
        if unit_word in ("万元", "亿元"):
            value = apply_multiplier(value, unit_word[0])
        sign = sign_start(text, m.start())
        start = m.start() if sign is None else sign
        q = _make(text, spans, -value if sign is not None else value, unit, start, m.end())
        out.append(replace(q, word=unit_word or mult or "", signed=sign is not None))
    return out


def sign_start(text: str, start: int) -> int | None:
    """Where the minus sign of the number at `start` begins, or None when it has none (a dash after a number is a range)."""
    m = _SIGN_BEFORE.search(text, max(0, start - 4), start)
    if m is None:
        return None
    if not m.group(0).startswith("负") and _RANGE_HEAD.search(text, max(0, m.start() - 12), m.start()):
        return None
    return m.start()


def _month_of_date(text: str, found: list[Quantity], i: int) -> bool:
    """"2014年7月": the 7 is the month of a date, not a duration of 7 months."""
    q = found[i]
    if q.unit != "月" or i == 0:
        return False
    prev = found[i - 1]
    return prev.unit == "年份" and not text[prev.end:q.start].strip()


def _make(text: str, spans: list[tuple[int, int]], value: Decimal, unit: str, start: int, end: int) -> Quantity:
    seg, s, e = _segment_of(spans, start)
    before, after = text[s:start], text[end:e]
    approx = None
    if _APPROX_MORE_AFTER.match(after) or _AT_LEAST_BEFORE.search(before):
        approx = "more"
    elif _APPROX_LESS_BEFORE.search(before):
        approx = "less"
    relative = None
    if _RELATIVE_MORE_BEFORE.search(before):
        relative = "more"
    elif _RELATIVE_LESS_BEFORE.search(before):
        relative = "less"
    ordinal = bool(_ORDINAL_BEFORE.search(before)) or (unit == "名" and bool(_RANK_BEFORE.search(before)))
    return Quantity(value=value, unit=unit, text=text[start:end], start=start, end=end, segment=seg, before=before, after=after,
                    approx=approx, relative=relative, ordinal=ordinal)


def _merge_durations(text: str, found: list[Quantity]) -> list[Quantity]:
    """"1年8个月" / "1年零8个月" / "2年3天": one duration in the smaller unit."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit == "年" and q.unit in ("月", "天") and re.fullmatch(r"\s*(零|又)?\s*", text[prev.end:q.start])
                and prev.relative is None):
            months = (prev.months or 0) + (q.months or 0)
            value, unit = (months, "月") if q.unit == "月" else (months * 30, "天")
            out[-1] = replace(prev, value=value.normalize() if value != value.to_integral_value() else Decimal(int(value)), unit=unit,
                              text=text[prev.start:q.end], end=q.end, after=q.after,
                              approx=q.approx or prev.approx)
            continue
        out.append(q)
    return out


def extract_ratios(text: str) -> list[Ratio]:
    """Ratios written with a colon or 比 (1:5, 3：4：3, 1比5)."""
    text = (text or "").translate(_FULLWIDTH)
    out = []
    for m in _RATIO.finditer(text):
        parts = tuple(Decimal(g) for g in m.groups() if g is not None)
        out.append(Ratio(parts=parts, text=m.group(0), start=m.start()))
    return out


def extract_month_dates(text: str) -> list[MonthDate]:
    """Year-month dates (2014年7月) in the text."""
    text = (text or "").translate(_FULLWIDTH)
    return [MonthDate(int(m.group(1)), int(m.group(2)), m.group(0), m.start()) for m in _DATE.finditer(text) if 1 <= int(m.group(2)) <= 12]


def colloquial_age(text: str) -> Decimal | None:
    """"俺17了" / "我今年62了": an age stated without 岁."""
    m = _AGE_COLLOQUIAL.search((text or "").translate(_FULLWIDTH))
    return Decimal(m.group(1)) if m else None
