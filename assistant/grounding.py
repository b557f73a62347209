"""Numeric grounding check: an answer may only state numbers that a tool computed or a cited clause says.

DESIGN.md principle 1 as code. Used after every LLM answer (assistant/llm) and usable on any answer
contract: `check_grounding(answer, citations, tool_calls, corpus)` returns the list of problems, empty
when the answer is grounded. Pure and fast (regexes over a few kB of text, no model).

Numbers are compared by value, so 0.8万 = 8000 = 8,000 = 八千, 30% = 百分之三十 = 0.3, 十三级 = 13级.
The same extractor runs on both sides, so dates, years and ordinals (2025年12月31日, 第十八条, （三）) in
a cited clause's text or label count as present.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from corpus.numerals import CN_NUMERAL_CHARS, cn_to_int

# Words whose numeral characters are not quantities ("统一", "一次性", "百千万人才工程", "十分").
# Removed before extraction, on both sides, so they neither excuse nor trigger a number.
_NON_NUMERIC_WORDS = (
    "第一时间", "一方面", "一视同仁", "一带一路", "一揽子", "一系列", "一站式", "一次性", "一体化", "进一步",
    "百千万", "统一", "一般", "一律", "一定", "之一", "一些", "一起", "一并", "一致", "唯一", "同一", "一直",
    "一旦", "一体", "一线", "逐一", "一切", "万一", "千万", "十分", "一流", "一样", "一下", "一同", "一经",
    "一贯", "一向", "一概", "不一", "一对一", "三农",
)
_NON_NUMERIC_RE = re.compile("|".join(sorted(map(re.escape, _NON_NUMERIC_WORDS), key=len, reverse=True)))

_CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN = re.escape(CN_NUMERAL_CHARS)
_NUMBER_RE = re.compile(
    rf"百分之(?P<pct_ar>\d+(?:\.\d+)?)"
    rf"|百分之(?P<pct_cn>[{_CN}]+)"
    r"|(?P<ar>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<ar_mult>[千万亿]*)(?P<ar_pct>%?)"
    rf"|(?P<cn>[{_CN}]+)(?P<cn_pct>%?)"
)
_MULTIPLIER = {"千": 1000, "万": 10_000, "亿": 100_000_000}

# Answer-side structure that is not a claim: list markers at a line start ("1.", "2、", "（一）", "一、")
# and enumerators ("一是", "其二", "第一，").
_LIST_MARKER_RE = re.compile(
    r"^[ \t]*(?:[-*•][ \t]*)?(?:\d{1,2}[.、)](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])",
    re.MULTILINE,
)
_ENUMERATOR_RE = re.compile(
    r"(?<![一二三四五六七八九十\d])[一二三四五六七八九十]是|其[一二三四五六七八九十]|第[一二三四五六七八九十]{1,2}(?=[，,、：:])")

# A lone 一 is mostly a word ("一名", "再说一次", "一项工作"), not a claim; it is checked only before units
# where a wrong 1 changes the answer (一年, 一个月, 一级, 一万元 is a longer numeral anyway).
_LONE_ONE_RE = re.compile(rf"(?<![{_CN}\d])一(?![{_CN}\d]|年|个月|周岁|岁|级|元|倍)")

# Strings in tool results that are clause ids ("post-title/s7/p3") carry no claim; their digits are not sources.
_CLAUSE_ID_RE = re.compile(r"^[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*$")
_WS_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Number:
    """A number as written (`text`) and its value; percentages are stored as fractions (30% -> 0.3)."""

    text: str
    value: Decimal
    percent: bool = False


def extract_numbers(text: str) -> list[Number]:
    """Every number in `text`: Arabic (1,000 / 0.8万 / 30%), Chinese (十三 / 两 / 三万 / 百分之三十)."""
    text = _NON_NUMERIC_RE.sub(" ", unicodedata.normalize("NFKC", text))
    found: list[Number] = []
    for m in _NUMBER_RE.finditer(text):
        number = _to_number(m)
        if number is not None:
            found.append(number)
    return found


def _to_number(m: re.Match) -> Number | None:
    if m.group("pct_ar") is not None:
        return Number(m.group(0), Decimal(m.group("pct_ar")) / 100, percent=True)
    if m.group("pct_cn") is not None:
        value = _cn_value(m.group("pct_cn"))
        return None if value is None else Number(m.group(0), value / 100, percent=True)
    if m.group("ar") is not None:
        try:
            value = Decimal(m.group("ar").replace(",", ""))
        except InvalidOperation:
            return None
        for ch in m.group("ar_mult"):
            value *= _MULTIPLIER[ch]
        if m.group("ar_pct"):
            return Number(m.group(0), value / 100, percent=True)
        return Number(m.group(0), value)
    token = m.group("cn")
    if not any(ch in _CN_DIGITS for ch in token) and token != "十":
        return None  # 万 / 千 / 百 alone (万元, 百姓) are units or words, not numbers
    value = _cn_value(token)
    if value is None or (value == 0 and not m.group("cn_pct")):
        return None
    if m.group("cn_pct"):
        return Number(m.group(0), value / 100, percent=True)
    return Number(m.group(0), value)


def _cn_value(token: str) -> Decimal | None:
    try:
        return Decimal(cn_to_int(token))
    except ValueError:
        return None


def _values_in_text(text: str) -> set[Decimal]:
    return {n.value for n in extract_numbers(text)}


def values_in_json(obj: Any) -> set[Decimal]:
    """Every numeric value in a JSON-like object: numbers, numeric strings and numbers inside text."""
    values: set[Decimal] = set()
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, int | float | Decimal):
            try:
                values.add(Decimal(str(item)))
            except InvalidOperation:
                pass
        elif isinstance(item, str):
            if not _CLAUSE_ID_RE.match(item):
                values |= _values_in_text(item)
        elif isinstance(item, Mapping):
            stack.extend(k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
    return values


def squash_whitespace(text: str) -> str:
    return _WS_RE.sub("", text)


def check_grounding(answer_text: str, citations: Sequence[Mapping[str, Any]], tool_calls: Sequence[Mapping[str, Any]],
                    corpus: Any, *, extra_sources: Iterable[str] = ()) -> list[str]:
    """Problems that make `answer_text` ungrounded; an empty list means every claim is backed.

    - every cited `clause_id` exists in `corpus` and the citation's `text` is verbatim clause text
      (a whitespace-normalised substring of the clause's full text);
    - every number in the answer appears in a tool result (`tool_calls[*]["result"]`), or in the text,
      label or document title of a cited clause, or in `extra_sources` (e.g. the as-of date).
    Tool arguments are not sources: they may come from the user's own text.
    """
    problems: list[str] = []
    source_texts: list[str] = list(extra_sources)
    for citation in citations:
        clause_id = str(citation.get("clause_id") or "")
        clause = corpus.clauses.get(clause_id)
        if clause is None:
            problems.append(f"引用的条款编号不存在：{clause_id or '（空）'}")
            continue
        full_text = corpus.full_text(clause_id)
        quoted = squash_whitespace(str(citation.get("text") or ""))
        if not quoted:
            problems.append(f"引用条款 {clause_id} 缺少原文")
        elif quoted not in squash_whitespace(full_text):
            problems.append(f"引用条款 {clause_id} 的引文不是条款原文")
        source_texts += [full_text, clause.label, _document_title(corpus, clause.doc_slug)]

    allowed: set[Decimal] = set()
    for text in source_texts:
        allowed |= _values_in_text(text)
    for call in tool_calls:
        allowed |= values_in_json(call.get("result"))

    claim_text = _LONE_ONE_RE.sub(" ", _ENUMERATOR_RE.sub(" ", _LIST_MARKER_RE.sub(" ", answer_text)))
    reported: set[str] = set()
    for number in extract_numbers(claim_text):
        if _is_allowed(number, allowed) or number.text in reported:
            continue
        reported.add(number.text)
        problems.append(f"数字“{number.text}”不在任何工具结果或所引条款原文中")
    return problems


def _is_allowed(number: Number, allowed: set[Decimal]) -> bool:
    if number.value in allowed:
        return True
    # "30%" is also grounded by a source that stores the percentage as 30 rather than 0.3
    return number.percent and number.value * 100 in allowed


def _document_title(corpus: Any, slug: str) -> str:
    try:
        doc = corpus.document(slug)
    except KeyError:
        return ""
    return " ".join(part for part in (doc.title, doc.doc_number or "") if part)
