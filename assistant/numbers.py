"""One reading of the numbers in Chinese text, shared by the grounding check, slot extraction and the evals.

Everything that turns written numbers into values goes through here, so that the LLM grounding check
(`assistant.grounding`), slot extraction (`assistant.quantities`, `assistant.slots`) and the eval grader
(`evals.grading`) agree on what "2萬元" or "貳萬" means. Three layers:

1. `fold(text)` — the same text, character for character (offsets are kept): full-width digits, Latin letters and
   ％ ． ＋ － ＠ to ASCII, the ideographic space to a space, and inside a run of numerals the traditional and financial
   forms to plain ones (貳萬 -> 二万, 壹仟 -> 一千, 兩 -> 两, 二○二三 -> 二〇二三). A lone 伍 / 陆 / 拾 is folded only
   before a unit (伍元), so that 队伍, 陆续 and 收拾 stay words. `simplify(text)` adds OpenCC t2s for the other
   characters (金獎 -> 金奖); it may change the length, so only callers that need no offsets use it.
2. `scan_numbers(text)` — every number of a folded text as a `NumberToken` (span, value, percent, multiplier):
   Arabic numbers with thousands commas, a multiplier after optional spaces (2 万, 0.8万, 2w, 3k, 1.5亿, 2千万) and a
   percent sign (70 %); 百分之七十 / 百分之12.5; Chinese numerals (十二, 两万五, 一点五万, 二〇二三). Consumers decide
   which tokens count (a lone 一 in 一般 is a word): each token says whether it is Chinese and how long it is.
3. `parse_number(token)` — one number as a user writes it ("12", "两", "十二", "0.8万", "2 萬", "-1") -> Decimal.

`ARABIC_NUMBER` / `MULTIPLIER` / `apply_multiplier` let a module that finds quantities in its own context (units and cue
words, `assistant.quantities`) read the number text the same way (1,200 / 2w / 3k / 2 萬).
`numbers_in(text)` is the set-of-strings view (raw and multiplied: 0.8万 -> {"0.8", "8000"}) the composer tests use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# -- 1. folding (length-preserving) -------------------------------------------------------------------------

_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_WIDTH.update({0xFF21 + i: ord("A") + i for i in range(26)})
_WIDTH.update({0xFF41 + i: ord("a") + i for i in range(26)})
_WIDTH.update({ord("％"): "%", ord("．"): ".", ord("＋"): "+", ord("－"): "-", ord("＠"): "@", 0x3000: " "})

SIMPLE_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
CN_DIGITS = "零〇一二两三四五六七八九"
# Traditional and financial (大写) numerals -> the plain form. The t2s table of OpenCC maps 參 to 参 and 貳 to 贰, which
# are not plain numerals, so numerals are folded here (a test checks this table against OpenCC where they overlap).
NUMERAL_VARIANTS = {
    "壹": "一", "弌": "一", "贰": "二", "貳": "二", "弍": "二", "叁": "三", "參": "三", "叄": "三", "弎": "三", "肆": "四",
    "伍": "五", "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "仟": "千", "萬": "万",
    "億": "亿", "兩": "两", "○": "〇",
}
_NUMERAL_FOLD = str.maketrans(NUMERAL_VARIANTS)
_ANY_NUMERAL_RUN = re.compile(f"[{SIMPLE_NUMERALS}{''.join(NUMERAL_VARIANTS)}]+")
# Financial forms that are also everyday characters: 队伍, 陆续, 大陆, 收拾, 肆意, 參加. A run made only of these is a
# numeral only before a unit (伍元, 陆个月); 伍佰, 壹仟 and 拾萬 have a plain or unambiguous numeral beside them.
_WORDLIKE_VARIANTS = frozenset("伍陆陸拾肆參柒")
_UNIT_AFTER = re.compile(r"\s*(?:[元块万亿千百%]|个|年|名|人|岁|项|次|倍|分|级|天|周|日|月|户|家)")


def fold(text: str) -> str:
    """Width and numeral-form folding, one character for one character (see the module docstring)."""
    text = (text or "").translate(_WIDTH)
    if not any(ch in NUMERAL_VARIANTS for ch in text):
        return text

    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        if not any(ch in NUMERAL_VARIANTS for ch in run):
            return run
        if all(ch in _WORDLIKE_VARIANTS for ch in run) and not _UNIT_AFTER.match(text, m.end()):
            return run  # 队伍, 陆续, 收拾: words
        return run.translate(_NUMERAL_FOLD)

    return _ANY_NUMERAL_RUN.sub(repl, text)


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=2048)
def simplify(text: str) -> str:
    """`fold`, then OpenCC traditional -> simplified for the words (金獎 -> 金奖). May change the length."""
    folded = fold(text)
    if folded.isascii():
        return folded
    try:
        return _opencc().convert(folded)
    except Exception:  # noqa: BLE001 - OpenCC is a declared dependency; without it the text is still folded
        return folded


# -- 2. scanning -----------------------------------------------------------------------------------------------

_MULTIPLIERS = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000),
                "w": Decimal(10_000), "W": Decimal(10_000), "k": Decimal(1000), "K": Decimal(1000)}
_MULT = r"(?:万亿|千万|百万|亿|万|千|百(?!分)|[wWkK](?![A-Za-z]))"
_GAP = r"[^\S\n]*"  # spaces inside a number ("2 万", "70 %"), never a line break
_PERCENT_WORD = re.compile(rf"百分之{_GAP}(?:(?P<ar>\d+(?:\.\d+)?)|(?P<cn>[{SIMPLE_NUMERALS}]+(?:点[{CN_DIGITS}]+)?))")
_ARABIC = re.compile(rf"(?<![\d.])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:{_GAP}(?P<mult>{_MULT}))?"
                     rf"(?:{_GAP}(?P<pct>%))?")
_CHINESE = re.compile(rf"(?P<int>[{SIMPLE_NUMERALS}]+)(?:点(?P<frac>[{CN_DIGITS}]+)(?P<fmult>[千万亿]*))?(?:{_GAP}(?P<pct>%))?")
_FRACTION_DIGITS = str.maketrans("零〇一二两三四五六七八九", "001223456789")


@dataclass(frozen=True)
class NumberToken:
    """One number of a folded text. `value` has the multiplier applied; a percentage keeps its number (70% -> 70)."""

    text: str
    start: int
    end: int
    value: Decimal
    base: Decimal  # before the multiplier (0.8万 -> 0.8)
    multiplier: str = ""  # as written: 万, 亿, w, k, 千万 …
    percent: bool = False
    chinese: bool = False  # written in Chinese numerals (十二, 两万五); 百分之七十 is Chinese too
    percent_word: bool = False  # 百分之…


def _multiply(base: Decimal, mult: str) -> Decimal:
    for ch in mult:
        base *= _MULTIPLIERS[ch]
    return base


# For modules that find quantities in their own context (units, cue words: `assistant.quantities`) but must read the
# number text the same way: an Arabic number with optional thousands commas, and a multiplier as written.
ARABIC_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
MULTIPLIER = _MULT


def apply_multiplier(value: Decimal, multiplier: str) -> Decimal:
    """`value` times a multiplier as written: 万 / 萬 / w / k / 千万 / 亿 (0.8, "万" -> 8000); "" leaves it as it is."""
    return _multiply(value, fold(multiplier or ""))


_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}


@lru_cache(maxsize=4096)
def chinese_value(run: str) -> Decimal | None:
    """A run of plain Chinese numerals -> its value, as cn2an reads it; None if it is not a number.

    十二 -> 12, 一万零五 -> 10005, 七万亿 -> 7000000000000, digit by digit 二〇二三 -> 2023 and 三四 -> 34, and the
    colloquial tail 两万五 = 25000, 三千五 = 3500, 一百五 = 150 (the last digit counts in the next smaller unit).
    """
    if not run or any(ch not in _DIGIT_VALUES and ch not in _SMALL_UNITS and ch not in "万亿" for ch in run):
        return None
    if len(run) > 1 and all(ch in _DIGIT_VALUES for ch in run):
        return Decimal("".join(str(_DIGIT_VALUES[ch]) for ch in run))
    if (len(run) >= 3 and run[-1] in "一二两三四五六七八九" and run[-2] in "百千万" and run[-3] in CN_DIGITS + "十"
            and "零" not in run[-3:]):
        head = chinese_value(run[:-1])
        if head is not None:
            return head + _DIGIT_VALUES[run[-1]] * {"百": 10, "千": 100, "万": 1000}[run[-2]]
    total = wan = section = number = 0  # parts finished at 亿, at 万, below 万, and the pending digit
    for ch in run:
        if ch in _DIGIT_VALUES:
            number = _DIGIT_VALUES[ch]
        elif ch in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[ch]
            number = 0
        elif ch == "万":
            wan += ((section + number) or 1) * 10_000
            section = number = 0
        else:  # 亿
            total = (total + wan + section + number or 1) * 100_000_000
            wan = section = number = 0
    return Decimal(total + wan + section + number)


def _chinese_decimal(integer: str, fraction: str, mult: str) -> Decimal | None:
    head = chinese_value(integer)
    if head is None:
        return None
    value = head + Decimal("0." + fraction.translate(_FRACTION_DIGITS)) if fraction else head
    return _multiply(value, mult)


def scan_numbers(text: str) -> list[NumberToken]:
    """Every number of `text` (fold it first), in order. Spans index into `text`."""
    tokens: list[NumberToken] = []
    masked = list(text)  # what is read is masked, so that 2万五千 reads 2万 and then 五千

    def add(token: NumberToken) -> None:
        tokens.append(token)
        masked[token.start:token.end] = "#" * (token.end - token.start)

    for m in _PERCENT_WORD.finditer(text):
        if m.group("ar") is not None:
            value = _decimal(m.group("ar"))
        else:
            integer, _, fraction = m.group("cn").partition("点")
            value = _chinese_decimal(integer, fraction, "")
        if value is not None:
            add(NumberToken(m.group(0), m.start(), m.end(), value, value, "", True, m.group("cn") is not None, True))
    for m in _ARABIC.finditer("".join(masked)):
        base = _decimal(m.group("num").replace(",", ""))
        if base is None:
            continue
        mult = m.group("mult") or ""
        add(NumberToken(m.group(0), m.start(), m.end(), _multiply(base, mult), base, mult, bool(m.group("pct"))))
    for m in _CHINESE.finditer("".join(masked)):
        integer, fraction, fmult = m.group("int"), m.group("frac") or "", m.group("fmult") or ""
        if not any(ch in CN_DIGITS for ch in integer) and not integer.startswith("十"):
            continue  # 万元, 百姓, 千万: units and words, not numbers
        if fraction:
            value = _chinese_decimal(integer, fraction, fmult)
            base = _chinese_decimal(integer, fraction, "")
        else:
            value = base = chinese_value(integer)
        if value is None or base is None:
            continue
        add(NumberToken(m.group(0), m.start(), m.end(), value, base, fmult, bool(m.group("pct")), True))
    tokens.sort(key=lambda t: t.start)
    return tokens


def _decimal(token: str) -> Decimal | None:
    try:
        value = Decimal(token)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


# -- 3. one token ----------------------------------------------------------------------------------------------

_SIGN = re.compile(r"^[-−－负]\s*")
_SUFFIX = re.compile(rf"{_GAP}(?P<mult>{_MULT})$")
_CN_DECIMAL = re.compile(f"([{SIMPLE_NUMERALS}]+)点([{CN_DIGITS}]+)([千万亿]*)")


def parse_number(token: str) -> Decimal | None:
    """One number as a user writes it: "12", "两", "十二", "0.8万", "2 萬", "貳萬", "2w", "1,000", "半", "-1" -> Decimal;
    None when the token is not exactly one number."""
    token = fold((token or "").strip())
    sign = Decimal(1)
    m = _SIGN.match(token)
    if m and len(token) > m.end():
        sign, token = Decimal(-1), token[m.end():]
    value = _unsigned(token)
    return None if value is None else sign * value


def _unsigned(token: str) -> Decimal | None:
    if not token:
        return None
    value = _decimal(token.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token) else token)
    if value is not None:
        return value
    if token == "半":
        return Decimal("0.5")
    if all(ch in SIMPLE_NUMERALS for ch in token):
        return chinese_value(token)  # 一千二百 is one numeral, not 一千二 × 百
    m = _CN_DECIMAL.fullmatch(token)
    if m:
        return _chinese_decimal(m.group(1), m.group(2), m.group(3))
    m = _SUFFIX.search(token)
    if m and m.start() > 0 and token[:m.start()][-1:].isdigit():
        head = _decimal(token[:m.start()].replace(",", ""))
        if head is not None:
            return _multiply(head, m.group("mult"))
    return None


# -- the set-of-strings view -------------------------------------------------------------------------------

# A lone Chinese digit is a number only before a measure word (三年, 两个), so that 一般 / 统一 are not numbers.
_MEASURE = ("年", "个", "名", "人", "次", "级", "元", "岁", "周", "月", "日", "号", "天", "项", "户", "倍", "分", "课时",
            "小时", "家", "类", "批", "期", "档", "件", "份", "位", "种", "只", "条", "款", "章", "节", "层", "成", "届",
            "等奖", "亩", "平方米", "万", "千", "百")
_NOT_NUMBERS = ("一次性", "十分", "一些", "一定", "一般", "一律", "一并", "统一", "一体", "一致", "万人计划", "百千万")


def _norm(value: Decimal) -> str:
    return format(value.normalize(), "f")


def numbers_in(text: str) -> set[str]:
    """Every number of the text as normalised strings: Arabic with and without the multiplier (0.8万 -> {"0.8", "8000"}),
    percentages as "70%", Chinese numerals as ints (三年 -> "3"; a lone 一 only before a measure word)."""
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", fold(text))
    out: set[str] = set()
    for token in scan_numbers(text):
        if token.percent_word and not token.chinese:
            out.add(_norm(token.value) + "%")
            continue
        if token.chinese:
            run = token.text
            after = text[token.end:]
            before = text[max(0, token.start - 1):token.start]
            if any((run + after).startswith(w) or (before + run + after).startswith(w) for w in _NOT_NUMBERS):
                continue
            if not any(ch in CN_DIGITS for ch in run) and run != "十" and not token.percent_word:
                continue
            if len(run) == 1 and not after.startswith(_MEASURE):
                continue
            if token.value != token.value.to_integral_value():
                out.add(_norm(token.value))
                continue
            out.add(f"{int(token.value)}%" if token.percent else str(int(token.value)))
            continue
        if token.percent:
            out.add(_norm(token.base) + "%")
            continue
        out.add(_norm(token.base))
        if token.multiplier:
            out.add(_norm(token.value))
    return out
