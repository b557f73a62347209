"""Normalise a citizen's question before routing, fact extraction and retrieval: the first stage of understanding.

`normalize_question(text)` runs five small stages, each a function with its own tests:

1. `fold_width`          full-width digits / Latin letters / ％ ． and the ideographic space -> ASCII
2. `to_simplified`       traditional -> simplified characters (OpenCC t2s), 「」『』 -> “”‘’
3. `apply_colloquial`    dialect, everyday words and abbreviations -> policy wording (reviewed table colloquial.yaml)
4. `convert_numerals`    Chinese numerals before a quantity unit -> Arabic (三年 -> 3年, 一年半 -> 1.5年, 二〇二三年 -> 2023年),
                         and Chinese decimals (一点六亿 -> 1.6亿, 零点五 -> 0.5)
5. `repair_homophones`   typos that sound like (or are one character off) a domain word -> that word (职成 -> 职称), never
                         a valid phrase read as a typo (钱能, 打到卡上, 区住建局, 培养期最短, 单位以前 stay)

A question already written in plain simplified policy language comes out unchanged except for stages 1 and 4.
Fillers are kept (they do not hurt retrieval), and so are the meaning, the order and the question mark.
Every change is recorded as an `Edit`, whose `start` is an offset into the text that stage received.

Heavy resources (OpenCC, cn2an, pypinyin, jieba's dictionary and the domain vocabulary) load once, lazily, under a
lock; `warm_up()` loads them ahead of the first question.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
COLLOQUIAL_FILE = PACKAGE_DIR / "colloquial.yaml"
REPO_DIR = PACKAGE_DIR.parent
CORPUS_RAW_DIR = REPO_DIR / "corpus" / "raw"
DOMAIN_TERMS_FILE = REPO_DIR / "indexing" / "domain_terms.txt"
SYNONYMS_FILE = REPO_DIR / "indexing" / "synonyms.yaml"

_lock = threading.RLock()


@dataclass(frozen=True)
class Edit:
    """One change: `kind` is the stage (width, t2s, colloquial, numeral, homophone); `start` is where `before`
    began in the text that stage received."""

    kind: str
    before: str
    after: str
    start: int


@dataclass(frozen=True)
class Normalized:
    text: str
    original: str
    edits: list[Edit] = field(default_factory=list)

    def edits_of(self, kind: str) -> list[Edit]:
        return [e for e in self.edits if e.kind == kind]


# One replacement found by a stage: text[start:end] -> replacement.
_Span = tuple[int, int, str]


def _apply(text: str, spans: Iterable[_Span], kind: str) -> tuple[str, list[Edit]]:
    """Apply non-overlapping replacements (any order) and record them as edits."""
    out: list[str] = []
    edits: list[Edit] = []
    pos = 0
    for start, end, replacement in sorted(spans):
        if start < pos:
            raise ValueError(f"overlapping replacements at {start}")
        before = text[start:end]
        if before == replacement:
            continue
        out.append(text[pos:start])
        out.append(replacement)
        edits.append(Edit(kind, before, replacement, start))
        pos = end
    out.append(text[pos:])
    return "".join(out), edits


def _diff_runs(before: str, after: str, kind: str) -> list[Edit]:
    """Edits for a character-aligned conversion (same length): one edit per run of changed characters."""
    if len(before) != len(after):
        return [Edit(kind, before, after, 0)] if before != after else []
    edits: list[Edit] = []
    i = 0
    while i < len(before):
        if before[i] == after[i]:
            i += 1
            continue
        j = i
        while j < len(before) and before[j] != after[j]:
            j += 1
        edits.append(Edit(kind, before[i:j], after[i:j], i))
        i = j
    return edits


# --- 1. width folding ------------------------------------------------------------------------------------------

_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_WIDTH.update({0xFF21 + i: ord("A") + i for i in range(26)})
_WIDTH.update({0xFF41 + i: ord("a") + i for i in range(26)})
_WIDTH.update({ord("％"): ord("%"), ord("．"): ord("."), 0x3000: ord(" ")})


def fold_width(text: str) -> tuple[str, list[Edit]]:
    """Full-width digits, Latin letters, ％ ． and the ideographic space -> ASCII; Chinese punctuation stays."""
    folded = text.translate(_WIDTH)
    return folded, _diff_runs(text, folded, "width")


# --- 2. traditional -> simplified ------------------------------------------------------------------------------

_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, list[Edit]]:
    """Traditional -> simplified over the whole text (OpenCC t2s), and the traditional corner quotes -> “” ‘’."""
    with _lock:
        converter = _opencc()
    simplified = converter.convert(text).translate(_QUOTES)
    return simplified, _diff_runs(text, simplified, "t2s")


# --- 3. colloquial / dialect / abbreviation table --------------------------------------------------------------

_CLAUSE_END = "？?！!。，,；;…"
_NUMERAL_BEFORE = set("0123456789零〇一二两三四五六七八九十百千万几")
_GUARDS = {"to", "after", "before", "not_before", "not_after", "clause_has"}


@dataclass(frozen=True)
class ColloquialEntry:
    say: str
    write: str
    group: str
    after: str | None = None  # "numeral" | "han"
    before: str | None = None  # "end"
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    clause_has: tuple[str, ...] = ()

    def matches(self, text: str, start: int) -> bool:
        end = start + len(self.say)
        if text[start:end] != self.say:
            return False
        prev = text[start - 1] if start else ""
        if self.after == "numeral" and prev not in _NUMERAL_BEFORE:
            return False
        if self.after == "han" and not _is_han(prev):
            return False
        if self.before == "end" and end < len(text) and text[end] not in _CLAUSE_END:
            return False
        if any(text.startswith(s, end) for s in self.not_before):
            return False
        head = text[:start]
        if any(head.endswith(s) for s in self.not_after):
            return False
        if self.clause_has:
            clause = re.split(f"[{_CLAUSE_END}：:]", head)[-1]
            if not any(w in clause for w in self.clause_has):
                return False
        return True


def _is_han(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def load_colloquial(path: Path = COLLOQUIAL_FILE) -> tuple[ColloquialEntry, ...]:
    """The reviewed table, longest key first; ValueError on a malformed entry."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path.name}: top level must be a mapping of groups")
    entries: list[ColloquialEntry] = []
    seen: set[str] = set()
    for group, table in raw.items():
        if not isinstance(table, dict):
            raise ValueError(f"{path.name}: group {group!r} must be a mapping")
        for say, spec in table.items():
            say = str(say)
            if say in seen:
                raise ValueError(f"{path.name}: {say!r} is listed twice")
            seen.add(say)
            if isinstance(spec, str):
                spec = {"to": spec}
            if not isinstance(spec, dict) or not isinstance(spec.get("to"), str):
                raise ValueError(f"{path.name}: {group}.{say} needs a replacement string (`to`)")
            unknown = set(spec) - _GUARDS
            if unknown:
                raise ValueError(f"{path.name}: {group}.{say} has unknown guards {sorted(unknown)}")
            if spec.get("after") not in (None, "numeral", "han"):
                raise ValueError(f"{path.name}: {group}.{say}: after must be numeral or han, got {spec['after']!r}")
            if spec.get("before") not in (None, "end"):
                raise ValueError(f"{path.name}: {group}.{say}: before must be end, got {spec['before']!r}")
            entries.append(ColloquialEntry(
                say=say, write=spec["to"], group=str(group), after=spec.get("after"), before=spec.get("before"),
                not_before=tuple(spec.get("not_before", ())), not_after=tuple(spec.get("not_after", ())),
                clause_has=tuple(spec.get("clause_has", ())),
            ))
    return tuple(sorted(entries, key=lambda e: -len(e.say)))


@lru_cache(maxsize=1)
def _colloquial_index() -> dict[str, tuple[ColloquialEntry, ...]]:
    by_first: dict[str, list[ColloquialEntry]] = {}
    for entry in load_colloquial():
        by_first.setdefault(entry.say[0], []).append(entry)
    return {k: tuple(v) for k, v in by_first.items()}


def apply_colloquial(text: str) -> tuple[str, list[Edit]]:
    """Rewrite how people say it into how the policies say it, one left-to-right pass, longest key first."""
    with _lock:
        index = _colloquial_index()
    spans: list[_Span] = []
    i = 0
    while i < len(text):
        for entry in index.get(text[i], ()):
            if entry.matches(text, i):
                spans.append((i, i + len(entry.say), entry.write))
                i += len(entry.say)
                break
        else:
            i += 1
    return _apply(text, spans, "colloquial")


# --- 4. numerals -----------------------------------------------------------------------------------------------

# Longest first. 级 / 类 / 等奖 / 层次 / 条 are deliberately absent: 十级, 一类赛, 三等奖 are names, not quantities.
_UNITS = ("平方米", "个月", "周岁", "课时", "学时", "小时", "万元", "年", "月", "岁", "天", "日", "号", "周", "个", "名", "人",
          "户", "家", "项", "次", "元", "块", "万", "亿", "亩", "只", "分", "篇", "份", "回", "倍")
# A unit followed by one of these is part of another word: 一次性, 三分之一, 一元化, 一回事, 一块儿.
_UNIT_NOT_BEFORE = {"次": ("性",), "分": ("之", "为", "钟"), "元": ("化",), "回": ("事",), "块": ("儿", "地"),
                    "周": ("年",), "号": ("召",), "个": ("体", "别", "性", "个")}
# A lone 一 after these is part of a word: 第一, 统一, 同一, 唯一, 万一, 逐一, 划一, 之一, 不一, 每一, 某一, 上一年度.
_ONE_NOT_AFTER = set("第统同唯万逐划归均专单之不每某任上下")
_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUMERAL_RUN = re.compile(f"[{_CN_DIGIT}十百千万亿]+")
_RANGE = re.compile(f"([{_CN_DIGIT}十百千]+)([至到])([{_CN_DIGIT}十百千]+)")
_YEAR_ZERO = re.compile(r"(?<=年)零(?=(?:\d+|[一二两三四五六七八九十]+)个?月)")
_CN_FRACTION = "零〇一二三四五六七八九"  # digits after 点, read one by one (一点两 is no decimal)
_FRACTION_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")
_PERCENT = re.compile(f"百分之([{_CN_DIGIT}十百]+(?:点[{_CN_FRACTION}]+)?|\\d+(?:\\.\\d+)?)")
# 一点六亿, 零点五, 三点五万, 十二点五: a Chinese decimal, the integer part by cn2an and the fraction digit by digit.
# Clock times (三点五分, 三点零五分, 三点五十, 三点一刻) and 一点一滴 / 一点一点 are no decimals.
_DECIMAL = re.compile(f"(?<![{_CN_DIGIT}十百千万亿\\d.])([{_CN_DIGIT}十百千]+)点([{_CN_FRACTION}]+)(?![{_CN_FRACTION}十百千分刻点钟半滴])")
# A lone 一点 after these is "a little" (好一点, 快一点, 差一点) or "the first point" (第一点), not a number.
_ONE_POINT_NOT_AFTER = set("第有差这那好快慢早晚多少高低大小些再")
# After these, X点Y is a clock time (下午五点零五, 6月1日八点三), not a decimal.
_CLOCK_AFTER = ("上午", "下午", "中午", "早上", "晚上", "凌晨", "傍晚", "早晨", "日", "号", "天")
_ARABIC_HALF = re.compile(r"(?<![\d.])(\d+)(年半|个半月|天半)")
_LONE_HALF = re.compile(r"(?<![上下前后大多小过一二两三四五六七八九十百千万零〇\d年月天个])半(?=年(?!度)|个月)")


@lru_cache(maxsize=1)
def _cn2an():
    import cn2an

    return cn2an


def cn_value(numeral: str) -> int | None:
    """The value of a Chinese numeral by cn2an ("一千二百" -> 1200, "二〇二三" -> 2023); None if it is not one."""
    if not numeral or numeral[0] in "百千万亿":
        return None
    digits_only = all(ch in _CN_DIGIT for ch in numeral)
    if digits_only and len(numeral) > 1:
        # 二〇二三 is read digit by digit, but 三四 / 一两 are ranges ("三四个月"), not 34 / 12.
        if len(numeral) != 4:
            return None
    try:
        with _lock:
            module = _cn2an()
        value = module.cn2an(numeral, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    return value


def _unit_at(text: str, pos: int) -> str | None:
    for unit in _UNITS:
        if text.startswith(unit, pos):
            if any(text.startswith(s, pos + len(unit)) for s in _UNIT_NOT_BEFORE.get(unit, ())):
                return None
            return unit
    return None


def _numeral_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    taken = 0
    for m in _CN_NUMERAL_RUN.finditer(text):
        start, end = m.span()
        if start < taken:
            continue
        run = m.group(0)
        if len(run) > 1 and run[0] in "零〇" and run[1] not in "零〇":
            start, run = start + 1, run[1:]  # 一年零八个月: 零 joins two quantities and no number starts with it
        prev = text[start - 1] if start else ""
        if prev.isdigit():
            continue
        big = ""
        if len(run) > 1 and run[-1] in "万亿":
            run, big = run[:-1], run[-1]
        if run == "一" and not big and (prev in _ONE_NOT_AFTER or _is_one_x_one_y(text, end)):
            continue
        value = cn_value(run)
        if value is None:
            continue
        digits = str(value)
        if big:
            spans.append((start, end, digits + big))
            taken = end
            continue
        span = _quantity_after(text, start, end, run, digits)
        if span:
            spans.append(span)
            taken = span[1]
    return spans


def _is_one_x_one_y(text: str, end: int) -> bool:
    """一人一档 / 一事一议 / 一年一度: a 一X一Y idiom, not a count."""
    return end + 1 < len(text) and text[end + 1] == "一"


def _quantity_after(text: str, start: int, end: int, run: str, digits: str) -> _Span | None:
    """Numeral text[start:end] (value `digits`) followed by a quantity unit -> the replacement span, else None."""
    if text.startswith("个半月", end):
        return start, end + 3, f"{digits}.5个月"
    if text.startswith("个半小时", end):
        return start, end + 4, f"{digits}.5小时"
    for unit in ("年", "天"):
        if text.startswith(unit + "半", end):
            return start, end + 2, f"{digits}.5{unit}"
    if end < len(text) and text[end] in "多余" and run[-1] in "十百千" and _unit_at(text, end + 1):
        return start, end, digits  # 二十多年 -> 20多年
    unit = _unit_at(text, end)
    if unit is None:
        return None
    if len(run) == 4 and all(ch in _CN_DIGIT for ch in run) and unit != "年":
        return None  # digit-by-digit numerals are years only
    if run == "十" and unit == "分":
        return None  # 十分 = very
    if unit == "块" and run == "一" and not text.startswith("钱", end + 1):
        return None  # 一块 = together
    return start, end, digits


def convert_numerals(text: str) -> tuple[str, list[Edit]]:
    """Chinese numerals followed by a quantity unit -> Arabic digits (values by cn2an).

    三年 -> 3年, 一千二百人 -> 1200人, 四十五万元 -> 45万元, 一年半 -> 1.5年, 半个月 -> 0.5个月, 三到五年 -> 3到5年,
    一年零八个月 -> 1年8个月, 二〇二三年 -> 2023年, 百分之七十 -> 70%; decimals anywhere: 一点六亿 -> 1.6亿, 零点五 -> 0.5,
    百分之三点五 -> 3.5%. Names and grades stay: 十级, 一类赛, 三等奖, 一次性; clock times too (三点五分).
    All rules read the same input; where two would overlap, the earlier rule in this list wins.
    """
    rules: tuple[Callable[[str], list[_Span]], ...] = (
        lambda t: [(m.start(), m.end(), "") for m in _YEAR_ZERO.finditer(t)],
        _percent_spans,
        _decimal_spans,
        _range_spans,
        lambda t: [(m.start(), m.end(), f"{m.group(1)}.5{'个月' if m.group(2) == '个半月' else m.group(2)[0]}")
                   for m in _ARABIC_HALF.finditer(t)],
        lambda t: [(m.start(), m.end(), "0.5") for m in _LONE_HALF.finditer(t)],
        _numeral_spans,
    )
    spans: list[_Span] = []
    for rule in rules:
        for span in rule(text):
            if all(span[1] <= s or span[0] >= e for s, e, _ in spans):
                spans.append(span)
    return _apply(text, spans, "numeral")


def _percent_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for m in _PERCENT.finditer(text):
        number = m.group(1)
        value = number if number[0].isdigit() else _cn_number(*number.partition("点")[::2])
        if value is not None:
            spans.append((m.start(), m.end(), f"{value}%"))
    return spans


def _cn_number(integer: str, fraction: str = "") -> str | None:
    """A Chinese number, with the digits after its 点 if any, in Arabic ("一", "六" -> "1.6"; "十二" -> "12")."""
    value = cn_value(integer)
    if value is None:
        return None
    if not fraction:
        return str(value)
    return f"{value}." + fraction.translate(_FRACTION_DIGITS)


def _decimal_spans(text: str) -> list[_Span]:
    """一点六亿 -> 1.6亿, 零点五 -> 0.5, 三点五万 -> 3.5万 (the 万 / 亿 stays, as in 四十五万元 -> 45万元)."""
    spans: list[_Span] = []
    for m in _DECIMAL.finditer(text):
        integer, fraction = m.group(1), m.group(2)
        if integer == "一" and m.start() and text[m.start() - 1] in _ONE_POINT_NOT_AFTER:
            continue
        if text[:m.start()].endswith(_CLOCK_AFTER):
            continue
        if len(integer) > 1 and all(ch in _CN_DIGIT for ch in integer):
            continue  # 二〇二三 is a year, 三四 a range: neither has a decimal part
        value = _cn_number(integer, fraction)
        if value is not None:
            spans.append((m.start(), m.end(), value))
    return spans


def _range_spans(text: str) -> list[_Span]:
    """三到五年 -> 3到5年: the first numeral of a range takes the unit of the second."""
    spans: list[_Span] = []
    for m in _RANGE.finditer(text):
        if not _unit_at(text, m.end()) or (m.start() and text[m.start() - 1].isdigit()):
            continue
        low, high = cn_value(m.group(1)), cn_value(m.group(3))
        if low is not None and high is not None and low < high:
            spans.append((m.start(), m.end(), f"{low}{m.group(2)}{high}"))
    return spans


# --- 5. homophone / typo repair against the domain vocabulary --------------------------------------------------

# A span that is itself a word this common in jieba's dictionary is what the citizen meant (坚定, 市里, 区里).
COMMON_WORD_FREQ = 20
# A span must not cut a word this common in two (共能 in 一共能, 工证 in 电工证), corpus word or not.
ANCHOR_FREQ = 200
# A repair must make its neighbourhood this much more probable (natural log, jieba's unigram word model):
# 职成材料 -> 职称材料 gains 11, 金将 -> 金奖 1.6; 有几个 -> 有机个 gains nothing.
MIN_GAIN = 1.0
# A character this common as a word of its own in jieba's dictionary (出, 用, 报; not 锐) can stand alone after a
# whole word: 市财政出 is 市财政 + 出.
FREE_CHAR_FREQ = 2000
# Domain words jieba's dictionary lacks count as this frequent in that model.
DOMAIN_WORD_FREQ = 50
# Longest corpus term tried for one-character-off (shape) typos: 治金工程 -> 冶金工程.
MAX_TERM_LEN = 8
# Closed-class characters are what the citizen wrote, not a typo of a content word: 我是 is not 我市, 打给 is not
# 打击, 是不 is not 是否, 开了家 is not 开了解, 培养期最短 is not 培养期限短, 表各要 is not 表格要. A repair never changes
# one, and never keeps only such characters (钱能 is not 潜能, 打到卡上 is not 达到, 不附 is not 不符: what is left of
# the citizen's span is a function word, so the rest is another word, not a typo).
# 以 is left out: it is mostly bound (以上, 所以), and 以经 is a common typo; so is 将 (金将 -> 金奖).
CLOSED_CLASS = frozenset(
    "我你您他她它们咱这那哪谁啥怎么什此"  # pronouns, demonstratives, question words (not 其: 其限 is a typo of 期限)
    "是不没别"  # copula, negation
    "的地得了着过吗呢吧啊呀嘛"  # particles
    "和与或及跟同就都也还又再才只仅已曾共均时"  # conjunctions, adverbs, 时 (when)
    "最很更太挺蛮较越"  # degree adverbs
    "在于给把被让对向往朝从到为按依"  # prepositions
    "要会能可想几有来去"  # auxiliaries, 想, 有, 几, 来, 去
    "个家位件种张各每"  # measure words, 各, 每
)
# Places and administrative levels: 区住建局 is not a typo of 市住建局, nor 找人社局 of 市人社局. A repair never changes
# one of these characters and never writes one in.
PLACE_CLASS = frozenset("省市区县旗盟州镇乡村街国")
# Grades: one is never swapped for another (副高 / 正高, 中级 / 高级 / 初级 are all valid).
GRADE_CLASS = frozenset("初中高正副")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass
class _Vocabulary:
    corpus_text: str
    corpus_bigrams: frozenset[str]
    freq: dict[str, int]  # jieba's dictionary
    log_total: float  # log of the sum of its frequencies
    counts: dict[str, int]  # domain word -> occurrences in the corpus (>= 1 for reviewed terms)
    anchors: frozenset[str]  # words of 2-4 characters in the corpus, and the citizens' words of synonyms.yaml
    trie: dict  # toneless pinyin syllable -> ... -> {"": [words]}, words of 2-4 characters
    wildcard: dict[str, tuple[str, ...]]  # term with one character replaced by "?" -> terms of 4+ characters

    def in_corpus(self, span: str) -> bool:
        if any(span[k:k + 2] not in self.corpus_bigrams for k in range(len(span) - 1)):
            return False
        return span in self.corpus_text

    def is_word(self, text: str, min_freq: int = 1) -> bool:
        return text in self.counts or self.freq.get(text, 0) >= min_freq


def _read_terms(path: Path) -> list[str]:
    return [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _synonyms(path: Path) -> tuple[list[str], list[str]]:
    """(citizens' words, corpus terms) of the reviewed synonym table."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values = [v for vs in raw.values() if isinstance(vs, list) for v in vs if isinstance(v, str)]
    return [str(k) for k in raw], values


@lru_cache(maxsize=1)
def _readings_table() -> Callable[[str], tuple[str, ...]]:
    from pypinyin import Style, pinyin

    @lru_cache(maxsize=8192)
    def readings(ch: str) -> tuple[str, ...]:
        """Every toneless reading of one character (调 -> tiao, diao), so a typo is heard in any of them."""
        return tuple(dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0]))

    return readings


def _listed_terms(corpus_text: str) -> list[str]:
    """Runs of 4-8 Chinese characters standing alone between punctuation or tabs: the terms a table or a list
    names (机械工程、化工工程、冶金工程). A run cut off by a number (高级岗位分1-4级) is no term."""
    terms: list[str] = []
    for m in _HAN_RUN.finditer(corpus_text):
        if not 4 <= len(m.group(0)) <= MAX_TERM_LEN:
            continue
        before = corpus_text[:m.start()].rstrip(" ")[-1:]
        after = corpus_text[m.end():m.end() + 8].lstrip(" ")[:1]
        if not any(ch.isalnum() or ch in "%％.．" for ch in (before, after)):
            terms.append(m.group(0))
    return terms


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """The domain vocabulary: jieba words of 2-4 characters in the corpus, the corpus's own short runs between
    punctuation (listed terms such as 冶金工程), indexing/domain_terms.txt and the values of indexing/synonyms.yaml."""
    import logging

    import jieba
    from pypinyin import Style, lazy_pinyin

    jieba.setLogLevel(logging.CRITICAL)  # jieba logs "Building prefix dict ..." at DEBUG; library code stays quiet
    jieba.dt.initialize()  # the default dictionary, read only: nothing is added to the shared jieba.dt
    freq = jieba.dt.FREQ
    corpus_text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS_RAW_DIR.glob("*.txt")))
    corpus_text = to_simplified(corpus_text)[0]
    runs = _HAN_RUN.findall(corpus_text)

    counts: dict[str, int] = {}
    for run in runs:
        for token in jieba.dt.cut(run, HMM=False):
            if 2 <= len(token) <= 4:
                counts[token] = counts.get(token, 0) + 1
    for term in _listed_terms(corpus_text):
        counts[term] = counts.get(term, 0) + 1
    citizen_words, synonym_values = _synonyms(SYNONYMS_FILE)
    for term in _read_terms(DOMAIN_TERMS_FILE) + synonym_values:
        if _HAN_RUN.fullmatch(term) and 2 <= len(term) <= MAX_TERM_LEN:
            counts.setdefault(term, max(1, corpus_text.count(term)))

    anchors = {w for w in citizen_words if 2 <= len(w) <= 4}
    for run in runs:
        for size in (2, 3, 4):
            for k in range(len(run) - size + 1):
                gram = run[k:k + size]
                if gram in counts or freq.get(gram, 0) > 0:
                    anchors.add(gram)

    trie: dict = {}
    wildcard: dict[str, list[str]] = {}
    for word in counts:
        if len(word) <= 4:
            node = trie
            for syllable in lazy_pinyin(word, style=Style.NORMAL):
                node = node.setdefault(syllable, {})
            node.setdefault("", []).append(word)
        if len(word) >= 4:
            for k in range(len(word)):
                wildcard.setdefault(word[:k] + "?" + word[k + 1:], []).append(word)
    return _Vocabulary(
        corpus_text=corpus_text, corpus_bigrams=frozenset(run[k:k + 2] for run in runs for k in range(len(run) - 1)),
        freq=freq, log_total=math.log(jieba.dt.total), counts=counts, anchors=frozenset(anchors), trie=trie,
        wildcard={k: tuple(v) for k, v in wildcard.items()},
    )


def _cuts_a_word(run: str, i: int, j: int, vocab: _Vocabulary) -> bool:
    """Does run[i:j] cut a word in two? (上副 in 评上副高 cuts 副高; 以经 in 以经营 cuts 经营; 共能 in 一共能 cuts 一共)"""
    for a in range(max(0, i - 3), j):
        for b in range(a + 2, min(len(run), a + 4) + 1):
            if ((a < i < b) or (a < j < b)) and not (i <= a and b <= j):
                gram = run[a:b]
                if gram in vocab.anchors or vocab.freq.get(gram, 0) >= ANCHOR_FREQ:
                    return True
    return False


def _eligible(run: str, i: int, j: int, vocab: _Vocabulary) -> bool:
    """A span may be repaired only if the corpus never writes it, it is no common word and it cuts no word."""
    span = run[i:j]
    return (vocab.freq.get(span, 0) < COMMON_WORD_FREQ and not vocab.in_corpus(span)
            and not _cuts_a_word(run, i, j, vocab))


def _route(text: str, vocab: _Vocabulary) -> tuple[list[float], list[int]]:
    """jieba's route calculation, in small: for each position the best log-probability of the rest under jieba's
    unigram dictionary (domain words counted too) and where the first word of that segmentation ends."""
    n = len(text)
    best = [0.0] * (n + 1)
    ends = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        score = -math.inf
        for j in range(i + 1, min(n, i + 6) + 1):
            word = text[i:j]
            freq = vocab.freq.get(word, 0) or (DOMAIN_WORD_FREQ if word in vocab.counts else 0) or int(j == i + 1)
            if freq:
                candidate = math.log(freq) - vocab.log_total + best[j]
                if candidate > score:
                    score, ends[i] = candidate, j
        best[i] = score
    return best, ends


def _logprob(text: str, vocab: _Vocabulary) -> float:
    """Best segmentation log-probability of `text` (see `_route`)."""
    return _route(text, vocab)[0][0]


def _segment(text: str, vocab: _Vocabulary) -> list[str]:
    """The best segmentation of `text` into words (see `_route`)."""
    ends = _route(text, vocab)[1]
    words: list[str] = []
    i = 0
    while i < len(text):
        words.append(text[i:ends[i]])
        i = ends[i]
    return words


def _plausible(run: str, i: int, j: int, word: str, vocab: _Vocabulary) -> bool:
    """A repair changes no closed-class, place or grade character, keeps more than function words, replaces no whole
    common word (单位以前 is not 单位意见), does not just swap a one-character word standing next to a whole word
    (搞技术 is not 高技术), keeps or improves how the span joins its neighbours in the corpus (评上副高 -> 评上浮高
    loses 副高), and makes its neighbourhood more probable."""
    span = run[i:j]
    changed = [k for k, (a, b) in enumerate(zip(span, word, strict=True)) if a != b]
    if not _keeps_the_words(span, word, changed, vocab):
        return False
    if len(span) >= 3 and len(changed) == 1 and changed[0] in (0, len(span) - 1):
        rest = span[1:] if changed[0] == 0 else span[:-1]
        if vocab.is_word(rest, ANCHOR_FREQ):
            return False

    def edges(inner: str) -> int:
        pairs = ([run[i - 1] + inner[0]] if i > 0 else []) + ([inner[-1] + run[j]] if j < len(run) else [])
        return sum(p in vocab.corpus_bigrams for p in pairs)

    if edges(word) < edges(span):
        return False
    lo, hi = max(0, i - 6), min(len(run), j + 6)
    gain = _logprob(run[lo:i] + word + run[j:hi], vocab) - _logprob(run[lo:hi], vocab)
    return gain >= MIN_GAIN


def _keeps_the_words(span: str, word: str, changed: list[int], vocab: _Vocabulary) -> bool:
    """The classes of false repair that read a valid phrase as a typo:

    - a closed-class character is changed (培养期最 -> 培养期限 eats 最), or only closed-class characters or numerals
      are kept (钱能 -> 潜能, 打到 -> 达到, 不附 -> 不符, 多少钱一平 -> 一并: the citizen wrote a function word or a
      number next to another word);
    - a place character is changed or written in (区住建局 -> 市住建局, 找人社局 -> 市人社局), a grade swapped for
      another (中级 / 高级), one level word for another (隔级 -> 各级), or a numeral written in (找区人社局 -> 三区:
      a repair never invents a number);
    - the changed characters are together a common word (单位以前 -> 单位意见 replaces 以前).
    """
    if any(span[k] in CLOSED_CLASS or span[k] in PLACE_CLASS or word[k] in PLACE_CLASS or word[k] in _CN_DIGIT
           for k in changed):
        return False
    if any(span[k] in GRADE_CLASS and word[k] in GRADE_CLASS for k in changed):
        return False
    if len(span) == 2 and span[1] == word[1] and span[1] in "级数":
        return False  # X级 names a level, X数 counts X: 隔级 is not 各级, 核数 not 户数 (助里级 -> 助理级 is fine)
    if all(span[k] in CLOSED_CLASS or span[k] in _CN_DIGIT for k in range(len(span)) if k not in changed):
        return False
    if len(changed) >= 2 and changed[-1] - changed[0] == len(changed) - 1:
        replaced = span[changed[0]:changed[-1] + 1]
        if vocab.freq.get(replaced, 0) >= COMMON_WORD_FREQ:
            return False
    return True


def _edge_swap_of_a_phrase(span: str, k: int, vocab: _Vocabulary) -> bool:
    """A look-alike whose odd character `k` is at an edge of the span, is a word of its own and stands next to a
    whole word of 2+ characters of the rest or to a function word: the citizen wrote that word and another one
    (市财政出 is 市财政 + 出, not a typo of 市财政局; 培训时用 is 培训 + 时 + 用, not 培训时间). A real typo breaks a word
    of the term (治金工程: 金 | 工程, 分支机够: 分支 | 机) or is no word alone (企业所得锐 -> 企业所得税)."""
    if 0 < k < len(span) - 1 or vocab.freq.get(span[k], 0) < FREE_CHAR_FREQ:
        return False
    words = _segment(span[1:] if k == 0 else span[:-1], vocab)
    neighbour = words[0] if k == 0 else words[-1]
    return len(neighbour) >= 2 or neighbour in CLOSED_CLASS


# candidate: (method, -length, -shared characters, -corpus count, start, end, word); method 0 = sound, 1 = shape
_Candidate = tuple[int, int, int, int, int, int, str]


def _sound_alikes(run: str, readings: Callable[[str], tuple[str, ...]], vocab: _Vocabulary) -> list[_Candidate]:
    """Spans of 2-4 characters that sound exactly like a domain word and share a character with it in place."""
    found: list[_Candidate] = []
    sounds = [readings(ch) for ch in run]
    for i in range(len(run) - 1):
        frontier = [vocab.trie]
        for length in range(1, 5):
            if i + length > len(run):
                break
            frontier = [node[s] for node in frontier for s in sounds[i + length - 1] if s in node]
            if not frontier:
                break
            if length < 2:
                continue
            span = run[i:i + length]
            for word in (w for node in frontier for w in node.get("", ())):
                shared = sum(a == b for a, b in zip(span, word, strict=True))
                if word == span or not shared or not _typed_by_usual_reading(span, word, readings):
                    continue
                j = i + length
                if _eligible(run, i, j, vocab) and _plausible(run, i, j, word, vocab):
                    found.append((0, -length, -shared, -vocab.counts[word], i, j, word))
                elif j < len(run) and vocab.freq.get(word + run[j], 0) > 0:
                    # the sound-alike is a common word itself (坚定), but with the next character it spells a
                    # dictionary word built on the domain word (坚定费 -> 鉴定费)
                    longer = word + run[j]
                    if _eligible(run, i, j + 1, vocab) and _plausible(run, i, j + 1, longer, vocab):
                        found.append((0, -length - 1, -shared - 1, -vocab.counts[word], i, j + 1, longer))
    return found


@lru_cache(maxsize=65536)
def _word_sounds(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.NORMAL))


def _typed_by_usual_reading(span: str, word: str, readings: Callable[[str], tuple[str, ...]]) -> bool:
    """A character typed by mistake was picked for its usual reading (核 is he, not hu: 核数 is not 户数); a kept
    character may sound in any of its readings (调剂 is tiaoji)."""
    sounds = _word_sounds(word)
    return all(a == b or readings(a)[0] == sounds[k] for k, (a, b) in enumerate(zip(span, word, strict=True)))


def _suspicious(run: str, k: int, vocab: _Vocabulary) -> bool:
    """A content character that makes no word with either neighbour: its bigrams occur neither in the corpus nor in
    jieba's dictionary (治 in 治金工程; not 们 in 我们企业)."""
    if run[k] in CLOSED_CLASS:
        return False
    pairs = [run[n:n + 2] for n in (k - 1, k) if 0 <= n and n + 2 <= len(run)]
    return bool(pairs) and all(p not in vocab.corpus_bigrams and not vocab.freq.get(p, 0) and not _count_word(p)
                               for p in pairs)


def _count_word(pair: str) -> bool:
    """A unit and 数 make a word jieba's dictionary lacks: 月数, 年数, 天数, 户数 (岗位月数 is not 岗位总数)."""
    return pair[1] == "数" and pair[0] in _COUNTED_UNITS


_COUNTED_UNITS = frozenset(u for u in _UNITS if len(u) == 1)


def _look_alikes(run: str, vocab: _Vocabulary) -> list[_Candidate]:
    """Spans of 4+ characters one character away from a domain term, the odd character being suspicious."""
    found: list[_Candidate] = []
    for k in range(len(run)):
        if not _suspicious(run, k, vocab):
            continue
        for length in range(4, MAX_TERM_LEN + 1):
            for i in range(max(0, k - length + 1), min(k, len(run) - length) + 1):
                j = i + length
                key = run[i:k] + "?" + run[k + 1:j]
                for word in vocab.wildcard.get(key, ()):
                    if (_eligible(run, i, j, vocab) and _plausible(run, i, j, word, vocab)
                            and not _edge_swap_of_a_phrase(run[i:j], k - i, vocab)):
                        found.append((1, -length, -(length - 1), -vocab.counts[word], i, j, word))
    return found


def _choose(candidates: list[_Candidate]) -> list[_Span]:
    """Sound-alikes before look-alikes, then the longest span, the most characters kept and the word the corpus uses
    most; two different words that fit equally well leave the span alone."""
    candidates.sort()
    chosen: list[_Span] = []
    used: set[int] = set()
    for n, cand in enumerate(candidates):
        start, end, word = cand[4], cand[5], cand[6]
        if used.intersection(range(start, end)):
            continue
        used.update(range(start, end))
        if any(other[:6] == cand[:6] and other[6] != word for other in candidates[n + 1:]):
            continue
        chosen.append((start, end, word))
    return chosen


def repair_homophones(text: str) -> tuple[str, list[Edit]]:
    """Replace a 2-4 character span that occurs nowhere in the corpus by the domain word it sounds like (same toneless
    pinyin, a character in common: 职成 -> 职称), or a 4+ character span by the corpus term one character away
    (治金工程 -> 冶金工程). Never touches a span the corpus contains, a common word, digits or punctuation."""
    with _lock:
        vocab = _vocabulary()
        readings = _readings_table()
    spans: list[_Span] = []
    for m in _HAN_RUN.finditer(text):
        run = m.group(0)
        candidates = _sound_alikes(run, readings, vocab) + _look_alikes(run, vocab)
        unit = _unit_at(run, 0) if m.start() and text[m.start() - 1].isdigit() else None
        if unit:  # the unit of a number is no part of a word: 按1分计 is not 1分级, 5000元给予 not 5000年给予
            candidates = [c for c in candidates if c[4] >= len(unit)]
        found = _choose(candidates)
        spans.extend((m.start() + s, m.start() + e, w) for s, e, w in found)
    return _apply(text, spans, "homophone")


# --- the pipeline ----------------------------------------------------------------------------------------------

# Greetings and thanks around a question: they carry no policy content, yet their words move retrieval and the
# yes/no reading ("您好，想咨询一下：…谢谢！"). Only a leading or trailing formula is taken off, never words inside.
_LEADING_FILLER = re.compile(r"^(?:(?:您好|你好|老师好|领导好|同志你好|打扰了|打扰一下)[，,：:！!。\s]+|请问(?:一下)?[，,：:\s]*|"
                             r"(?:麻烦(?:您|你)?)?(?:我)?(?:想)?(?:问|咨询|了解|打听)一下[，,：:\s]*|有个问题(?:想问)?[，,：:\s]+)+")
_TRAILING_FILLER = re.compile(r"(?<=[？?。！!，,\s])(?:(?:谢谢|多谢|感谢|麻烦了|辛苦了)(?:您|你|啦|了)?[！!。~～\s]*)+$")


def strip_fillers(text: str) -> tuple[str, list[Edit]]:
    """Greetings before and thanks after the question, removed (请问、您好，想咨询一下：… 谢谢！)."""
    edits: list[Edit] = []
    lead = _LEADING_FILLER.match(text)
    if lead and lead.end() < len(text):
        edits.append(Edit("filler", lead.group(0), "", 0))
        text = text[lead.end():]
    tail = _TRAILING_FILLER.search(text)
    if tail and tail.start() > 0:
        edits.append(Edit("filler", tail.group(0), "", tail.start()))
        text = text[:tail.start()]
    return text, edits


STAGES: tuple[tuple[str, Callable[[str], tuple[str, list[Edit]]]], ...] = (
    ("width", fold_width),
    ("t2s", to_simplified),
    ("colloquial", apply_colloquial),
    ("numeral", convert_numerals),
    ("homophone", repair_homophones),
    ("filler", strip_fillers),
)


def normalize_question(text: str) -> Normalized:
    """The question in plain simplified policy language, with every change recorded (see the module docstring)."""
    original = text
    edits: list[Edit] = []
    for _, stage in STAGES:
        text, new = stage(text)
        edits.extend(new)
    return Normalized(text=text, original=original, edits=edits)


def warm_up() -> None:
    """Load OpenCC, cn2an, pypinyin, jieba and the domain vocabulary now instead of on the first question."""
    with _lock:
        _opencc()
        _cn2an()
        _colloquial_index()
        readings = _readings_table()
        vocab = _vocabulary()
    for ch in set(vocab.corpus_text):  # the first reading of a character costs a pypinyin call; pay it now
        if _is_han(ch):
            readings(ch)
