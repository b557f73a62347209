"""Numeric grounding check: an answer may only state numbers that a tool computed or a cited clause says.

DESIGN.md principle 1 as code. Used after every LLM answer (assistant/llm) and usable on any answer
contract: `check_grounding(answer, citations, tool_calls, corpus)` returns the list of problems, empty
when the answer is grounded. Pure and fast (regexes over a few kB of text, no model).

Three checks, each closing a way a wrong number got past it:

1. **Values.** Every number of the answer must be a value of a tool result or of a cited clause. Numbers are read by
   the one normaliser `assistant.numbers` on both sides, so 0.8万 = 8000 = 8,000 = 八千, 2萬 = 2 万 = 貳萬 = 2w = 20000,
   30% = 百分之三十 = 0.3, 十三级 = 13级; dates, years and ordinals in a cited clause's text or label count as present.
2. **Subjects.** A figure the answer states *for* something — 金奖 / 银奖, 每人每月 / 每户每年, 国家级 / 自治区级 — must
   be the figure a tool result or a cited clause gives for that same thing ("金奖奖金0.8万元" fails although 0.8万 is in
   the clause: the clause gives it to 银奖). Subjects are read the same way on both sides: a figure belongs to the
   nearest subject before it in its sentence, and "金、银、铜奖……1万元、0.8万元、0.5万元" pairs lists in order.
3. **Where support comes from** (keyword arguments, used by LLM mode): a tool call whose numeric arguments are not in
   the question (`team_score(gold=4000)` for a question that gives no count) is no support; a cited clause must be
   among the clauses the question retrieved or the offline answer relied on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from assistant.numbers import NumberToken, fold, scan_numbers, simplify

# Words whose numeral characters are not quantities ("统一", "一次性", "百千万人才工程", "十分").
# Removed before extraction, on both sides, so they neither excuse nor trigger a number. Never when a numeral runs
# into them: 2千万 and 一千万 are numbers, not 2 + 千万 ("by all means").
_NON_NUMERIC_WORDS = (
    "第一时间", "一方面", "一视同仁", "一带一路", "一揽子", "一系列", "一站式", "一次性", "一体化", "进一步",
    "百千万", "统一", "一般", "一律", "一定", "之一", "一些", "一起", "一并", "一致", "唯一", "同一", "一直",
    "一旦", "一体", "一线", "逐一", "一切", "万一", "千万", "十分", "一流", "一样", "一下", "一同", "一经",
    "一贯", "一向", "一概", "不一", "一对一", "三农",
)
_NUMERAL_OR_DIGIT = r"\d.零〇一二两三四五六七八九十百千万亿"
_NON_NUMERIC_RE = re.compile(
    rf"(?<![{_NUMERAL_OR_DIGIT}])(?:{'|'.join(sorted(map(re.escape, _NON_NUMERIC_WORDS), key=len, reverse=True))})")

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
_LONE_ONE_RE = re.compile(r"(?<![零〇一二两三四五六七八九十百千万亿\d])一(?![零〇一二两三四五六七八九十百千万亿\d]|年|个月|周岁|岁|级|元|倍)")

# Strings in tool results that are clause ids ("post-title/s7/p3") carry no claim; their digits are not sources.
_CLAUSE_ID_RE = re.compile(r"^[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*$")
_WS_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Number:
    """A number as written (`text`, normalised) and its value; percentages are stored as fractions (30% -> 0.3)."""

    text: str
    value: Decimal
    percent: bool = False


# -- 1. values --------------------------------------------------------------------------------------------------

def _prepare(text: str, *, simplified: bool) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = simplify(text) if simplified else fold(text)
    return _NON_NUMERIC_RE.sub(" ", text)


def _number_of(token: NumberToken) -> Number | None:
    if token.chinese and token.value == 0 and not token.percent:
        return None  # 零 alone
    if token.percent:
        return Number(token.text, token.value / 100, percent=True)
    return Number(token.text, token.value)


def _tokens(prepared: str) -> list[tuple[NumberToken, Number]]:
    out = []
    for token in scan_numbers(prepared):
        number = _number_of(token)
        if number is not None:
            out.append((token, number))
    return out


def extract_numbers(text: str) -> list[Number]:
    """Every number in `text`: Arabic (1,000 / 0.8万 / 2 万 / 2w / 30%), Chinese (十三 / 两 / 三万 / 貳萬 / 百分之三十)."""
    return [n for _, n in _tokens(_prepare(text, simplified=True))]


@lru_cache(maxsize=1024)
def _values_in_text(text: str) -> frozenset[Decimal]:
    return frozenset(n.value for _, n in _tokens(_prepare(text, simplified=False)))


def values_in_json(obj: Any) -> set[Decimal]:
    """Every numeric value in a JSON-like object: numbers, numeric strings and numbers inside text."""
    values: set[Decimal] = set()
    for item in _leaves(obj):
        if isinstance(item, str):
            if not _CLAUSE_ID_RE.match(item):
                values |= _values_in_text(item)
        else:
            values.add(item)
    return values


def _leaves(obj: Any) -> Iterable[Decimal | str]:
    """Numbers (as Decimal) and strings of a JSON-like object, keys included; booleans are not numbers."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, int | float | Decimal):
            try:
                value = Decimal(str(item))
            except InvalidOperation:
                continue
            if value.is_finite():
                yield value
        elif isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            stack.extend(k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def squash_whitespace(text: str) -> str:
    return _WS_RE.sub("", text)


# -- 2. subjects ------------------------------------------------------------------------------------------------

# What a figure can be stated for, by group; within a group the subjects exclude each other. Aliases -> canonical.
SUBJECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "award": {  # 竞赛奖次（第十八、十九条）
        "金奖": ("金奖", "金牌"), "银奖": ("银奖", "银牌"), "铜奖": ("铜奖", "铜牌"), "优胜奖": ("优胜奖",),
        "参赛项目": ("参赛项目",), "特等奖": ("特等奖",), "一等奖": ("一等奖",), "二等奖": ("二等奖",), "三等奖": ("三等奖",),
    },
    "level": {  # 项目级别（国家级和自治区级培训基地……分别给予500万元和100万元）
        "国家级": ("国家级",), "自治区级": ("自治区级", "省级"), "市级": ("市级", "盟市级"), "区级": ("区级", "旗县级"),
    },
}
# 每人每月 / 每户每年 …: who and period, each may be left unsaid (每月 is compatible with 每人每月, not with 每户每年).
_BASIS_RE = re.compile(r"每(?:(?P<who>人|名|户|家)(?:每(?P<period>年|月))?|(?P<period2>年|月)(?:每(?P<who2>人|名|户|家))?)")
_WHO = {"人": "人", "名": "人", "户": "户", "家": "家"}
_ALIAS = {alias: (group, canonical) for group, table in SUBJECTS.items() for canonical, aliases in table.items()
          for alias in aliases}
_SUBJECT_RE = re.compile("|".join(
    (r"(?<![社园校镇])" if alias == "区级" else "") + re.escape(alias) for alias in sorted(_ALIAS, key=len, reverse=True)))
# "金、银、铜奖" / "一、二、三等奖" / "国家和自治区级": a list whose shared ending is written once.
_SHARED_ENDINGS = (
    (re.compile(r"[金银铜](?=(?:(?:、|和|与|及|以及)[金银铜])*(?:、|和|与|及|以及)[金银铜]奖)"), "奖"),
    (re.compile(r"[特一二三](?=(?:(?:、|和|与|及|以及)[特一二三])*(?:、|和|与|及|以及)[特一二三]等奖)"), "等奖"),
    (re.compile(r"(?:国家|自治区)(?=(?:、|和|与|及|以及)(?:国家|自治区|市)级)"), "级"),
)
_SENTENCE_RE = re.compile(r"[^。；;！!？?\n]+")
_LIST_GAP_RE = re.compile(r"\s*(?:、|和|与|及|以及|或|或者|/)\s*")
_FIGURE_LIST_GAP_RE = re.compile(r"\s*(?:元|块|分)?\s*(?:、|，|,|和|与|及|以及|或)\s*")
_RANGE_GAP_RE = re.compile(r"\s*(?:元|块|分)?\s*(?:[—–\-~～]{1,2}|至|到)\s*")
_COUNTED_BEFORE_RE = re.compile(r"(?:\d+|[零〇一二两三四五六七八九十百千万]+)\s*(?:个|项|枚|块)?\s*$")
_COUNTED_AFTER_RE = re.compile(r"\s*(?:\d+|[一二两三四五六七八九十百千万]+)\s*(?:个|项|枚)")
_AMOUNT_AFTER_RE = re.compile(r"\s*(?:元|块|分(?!之|钟|别|类|期|批|级|为|配|成))")

# Tool result keys that name a subject (team_score: {"gold": 20000, …}).
_KEY_SUBJECTS = {"gold": ("award", "金奖"), "silver": ("award", "银奖"), "bronze": ("award", "铜奖"),
                 "merit": ("award", "优胜奖"), "participation": ("award", "参赛项目")}


@dataclass(frozen=True)
class Figure:
    """An amount (money, percentage or points) and what it is stated for: {"award": ("金奖",), "basis": ("每人每月",)}.

    A figure stated once for a list ("国家级和自治区级……分别给予10万元") is stated for each subject of the list."""

    text: str
    value: Decimal
    percent: bool = False
    subjects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Subject:
    start: int
    end: int
    group: str
    name: str


def _expand_shared_endings(text: str) -> str:
    for pattern, ending in _SHARED_ENDINGS:
        text = pattern.sub(lambda m, e=ending: m.group(0) + e, text)
    return text


def _subjects_in(sentence: str) -> list[_Subject]:
    """The subjects of a sentence, in order; a counted one ("2个金奖", "银奖1个") is what is counted, not what a
    figure is stated for ("2个金奖1个银奖共14分": 14 is the total, not 银奖's)."""
    found = [_Subject(m.start(), m.end(), *_ALIAS[m.group(0)]) for m in _SUBJECT_RE.finditer(sentence)
             if not (_COUNTED_BEFORE_RE.search(sentence, 0, m.start()) or _COUNTED_AFTER_RE.match(sentence, m.end()))]
    for m in _BASIS_RE.finditer(sentence):
        who = _WHO.get(m.group("who") or m.group("who2") or "", "")
        period = m.group("period") or m.group("period2") or ""
        found.append(_Subject(m.start(), m.end(), "basis", f"每{who}" * bool(who) + f"每{period}" * bool(period)))
    return sorted(found, key=lambda s: s.start)


def basis_compatible(a: str, b: str) -> bool:
    """每月 ~ 每人每月, 每人 ~ 每人每年; 每人每年 !~ 每户每年, 每月 !~ 每年."""
    def parts(name: str) -> tuple[str, str]:
        who = next((w for w in ("人", "户", "家") if f"每{w}" in name), "")
        period = next((p for p in ("年", "月") if f"每{p}" in name), "")
        return who, period

    (wa, pa), (wb, pb) = parts(a), parts(b)
    return (not wa or not wb or wa == wb) and (not pa or not pb or pa == pb)


def _compatible(group: str, a: str, b: str) -> bool:
    return basis_compatible(a, b) if group == "basis" else a == b


def _is_amount(token: NumberToken, sentence: str) -> bool:
    return token.percent or bool(token.multiplier) or bool(_AMOUNT_AFTER_RE.match(sentence, token.end))


def bind_figures(text: str, *, simplified: bool = True) -> list[Figure]:
    """The amounts of a text with the subject each is stated for (see the module docstring, check 2)."""
    return list(_bind_figures(text, simplified))


@lru_cache(maxsize=1024)  # clause texts are read again for every answer that cites them
def _bind_figures(text: str, simplified: bool) -> tuple[Figure, ...]:
    prepared = _expand_shared_endings(_prepare(text, simplified=simplified))
    figures: list[Figure] = []
    for sent in _SENTENCE_RE.finditer(prepared):
        figures += _bind_sentence(sent.group(0))
    return tuple(figures)


def _bind_sentence(sentence: str) -> list[Figure]:
    amounts = [(t, n) for t, n in _tokens(sentence) if _is_amount(t, sentence)]
    if not amounts:
        return []
    # slots: one figure, or a range (50%—60%) that is stated for one subject
    slots: list[list[tuple[NumberToken, Number]]] = []
    for item in amounts:
        if slots and _RANGE_GAP_RE.fullmatch(sentence, slots[-1][-1][0].end, item[0].start):
            slots[-1].append(item)
        else:
            slots.append([item])
    subjects = _subjects_in(sentence)
    bound: list[dict[str, tuple[str, ...]]] = [{} for _ in slots]
    listed: set[_Subject] = set()  # subjects inside a list: they bind only in order, never by nearness
    for group in {s.group for s in subjects}:
        mine = [s for s in subjects if s.group == group]
        runs: list[list[_Subject]] = []
        for s in mine:
            if runs and _LIST_GAP_RE.fullmatch(sentence, runs[-1][-1].end, s.start):
                runs[-1].append(s)
            else:
                runs.append([s])
        for run in (r for r in runs if len(r) > 1):
            listed.update(run)
            after = [i for i, slot in enumerate(slots) if slot[0][0].start >= run[-1].end]
            if not after:
                continue
            seq = [after[0]]
            for i in after[1:]:
                if i == seq[-1] + 1 and _FIGURE_LIST_GAP_RE.fullmatch(sentence, slots[seq[-1]][-1][0].end, slots[i][0][0].start):
                    seq.append(i)
                else:
                    break
            if len(seq) == len(run):
                for s, i in zip(run, seq, strict=True):
                    bound[i].setdefault(group, (s.name,))
            elif len(seq) == 1:  # one figure for the whole list: each of them gets it
                bound[seq[0]].setdefault(group, tuple(s.name for s in run))
        for i, slot in enumerate(slots):
            if group in bound[i]:
                continue
            before = [s for s in mine if s.end <= slot[0][0].start]
            if not before or before[-1] in listed:
                continue
            # only the first amount after its subject: "每人每月700元……合计16800元" states the total for no one
            if any(before[-1].end <= other[0][0].start for other in slots[:i]):
                continue
            bound[i][group] = (before[-1].name,)
    return [Figure(token.text, number.value, number.percent, dict(bound[i]))
            for i, slot in enumerate(slots) for token, number in slot]


def _tool_figures(result: Any) -> list[Figure]:
    """Figures of a tool result: its texts read like clause text, and numbers bound by their key (gold -> 金奖) or by a
    subject-valued sibling ({"award": "金奖", "prize_yuan": 10000})."""
    figures: list[Figure] = []
    stack = [result]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not _CLAUSE_ID_RE.match(item):
                figures += bind_figures(item, simplified=False)
        elif isinstance(item, Mapping):
            sibling = next((_ALIAS[v] for v in item.values() if isinstance(v, str) and v in _ALIAS), None)
            for key, value in item.items():
                subject = _KEY_SUBJECTS.get(str(key)) or sibling
                if subject and not isinstance(value, bool) and isinstance(value, int | float | Decimal):
                    figures.append(Figure(str(value), Decimal(str(value)), False, {subject[0]: (subject[1],)}))
                else:
                    stack.append(value)
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return figures


def _supports(source: Figure, claim: Figure, group: str, subject: str) -> bool:
    if not any(_compatible(group, subject, other) for other in source.subjects.get(group, ())):
        return False
    if source.value == claim.value and source.percent == claim.percent:
        return True
    # a percentage stored as 30 rather than 0.3 in a tool result
    return claim.percent and not source.percent and claim.value * 100 == source.value


# -- 3. where support comes from --------------------------------------------------------------------------------

def question_values(texts: Iterable[str]) -> set[Decimal]:
    """Every value a tool argument may take from the user's words: the numbers as written, without and with their
    multiplier, percentages also as fractions, durations also in months and years (1年8个月 -> 20, 1.6667), the sum of
    two of them (首次登记1200人，又补登300人 -> 1500) and a count divided by a stated share (8人占30% -> 27)."""
    values: set[Decimal] = set()
    shares: set[Decimal] = set()
    for text in texts:
        folded = fold(text or "")
        for token in scan_numbers(folded):
            values |= {token.value, token.base}
            if token.percent and token.value:
                values.add(token.value / 100)
                shares.add(token.value / 100)
        try:
            from assistant.quantities import extract_quantities

            for q in extract_quantities(folded):
                values.add(q.value)
                if q.months is not None:
                    values |= {q.months, q.months / 12}
        except Exception:  # noqa: BLE001 - the plain reading above is enough to decide
            pass
    stated = sorted(values)[:40]
    values |= {a + b for i, a in enumerate(stated) for b in stated[i + 1:]}
    # 安置8名残疾人，占在职职工的30% -> 在职职工约27人: a count divided by a share the question states
    for share in shares:
        for a in stated:
            if a > 1 and a == a.to_integral_value():
                values |= {(a / share).to_integral_value(rounding=r) for r in (ROUND_HALF_UP, ROUND_CEILING, ROUND_FLOOR)}
    return {v.normalize() for v in values}


def _given(number: Decimal, values: set[Decimal]) -> bool:
    """`number` is one of `values`, or one of them rounded to the places `number` shows (1.6667 for 20/12)."""
    if number in values:
        return True
    places = -number.as_tuple().exponent if isinstance(number.as_tuple().exponent, int) else 0
    if places <= 0:
        return False
    quantum = Decimal(1).scaleb(-places)
    return any(v.quantize(quantum) == number for v in values if v.is_finite() and abs(v) < 10 ** 12)


_IMPLICIT_COUNTS = {Decimal(0), Decimal(1)}  # "获得金奖" is one gold; "没有银奖" is none


def foreign_arguments(call: Mapping[str, Any], question_texts: Iterable[str], *,
                      from_question: set[Decimal] | None = None) -> list[str]:
    """The numeric arguments of a tool call that the question does not give ("gold=4000"); empty = the call may count.

    A value counts as given when the question states it (in any written form, see `question_values`), when it is 0 or 1
    (a count the words imply), when it is the tool's own default for that argument, or when it is in `from_question`
    (the caller adds the results of the calls already accepted: a sum of two computed amounts is given).
    """
    values = from_question if from_question is not None else question_values(question_texts)
    defaults = _defaults(str(call.get("name") or ""))
    foreign: list[str] = []
    for key, value in (call.get("arguments") or {}).items():
        numbers: list[Decimal] = []
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float | Decimal):
            numbers = [Decimal(str(value))]
        else:
            numbers = [n for n in values_in_json(value)]
        default = defaults.get(key)
        for number in numbers:
            if not number.is_finite():
                foreign.append(f"{key}={value}")
                break
            n = number.normalize()
            if _given(n, values) or n in _IMPLICIT_COUNTS or (default is not None and n == default):
                continue
            foreign.append(f"{key}={value}")
            break
    return foreign


def _defaults(tool_name: str) -> dict[str, Decimal]:
    try:
        from eligibility_tools.registry import get_tool

        fields = get_tool(tool_name).input_model.model_fields
    except Exception:  # noqa: BLE001 - an unknown tool has no defaults
        return {}
    out: dict[str, Decimal] = {}
    for key, info in fields.items():
        default = info.default
        if isinstance(default, int | float | Decimal) and not isinstance(default, bool):
            out[key] = Decimal(str(default)).normalize()
    return out


def split_calls(calls: Sequence[Mapping[str, Any]], question_texts: Sequence[str],
                trusted_calls: Sequence[Mapping[str, Any]] = ()) -> tuple[list[Mapping[str, Any]], list[tuple[Mapping[str, Any], list[str]]]]:
    """(calls that may support an answer, [(ignored call, its foreign arguments)]). A call's arguments may also come from
    the results of the trusted calls and of the calls accepted before it (sum_amounts over two computed amounts)."""
    given = question_values(question_texts)
    for call in trusted_calls:
        given |= {v.normalize() for v in values_in_json(call.get("result"))}
    accepted: list[Mapping[str, Any]] = []
    ignored: list[tuple[Mapping[str, Any], list[str]]] = []
    for call in calls:
        foreign = foreign_arguments(call, question_texts, from_question=given)
        if foreign:
            ignored.append((call, foreign))
            continue
        accepted.append(call)
        given |= {v.normalize() for v in values_in_json(call.get("result"))}
    return accepted, ignored


def within_clauses(clause_id: str, allowed: Iterable[str], corpus: Any) -> bool:
    """True when the clause is one of `allowed` or part of one (an item of a retrieved article)."""
    allowed = set(allowed)
    if clause_id in allowed:
        return True
    try:
        return any(a in allowed for a in corpus.ancestors(clause_id))
    except KeyError:
        return False


# -- the check --------------------------------------------------------------------------------------------------

def check_grounding(answer_text: str, citations: Sequence[Mapping[str, Any]], tool_calls: Sequence[Mapping[str, Any]],
                    corpus: Any, *, extra_sources: Iterable[str] = (), question: str | Sequence[str] | None = None,
                    trusted_calls: Sequence[Mapping[str, Any]] = (), allowed_clause_ids: Iterable[str] | None = None) -> list[str]:
    """Problems that make `answer_text` ungrounded; an empty list means every claim is backed.

    - every cited `clause_id` exists in `corpus` and the citation's `text` is verbatim clause text
      (a whitespace-normalised substring of the clause's full text); with `allowed_clause_ids`, it is also one of
      those clauses or part of one;
    - every number in the answer appears in a tool result (`tool_calls[*]["result"]`), or in the text,
      label or document title of a cited clause, or in `extra_sources` (e.g. the as-of date);
    - every amount the answer states for a subject (金奖, 每人每月, 国家级 …) is what a tool result or a cited clause
      states for that subject.

    Tool arguments are not sources: they may come from the user's own text. With `question` (the question, earlier
    questions of the conversation, the as-of date), a call in `tool_calls` whose numeric arguments the question does not
    give supports nothing; `trusted_calls` (the offline answer's, built from the question) always support.
    """
    problems: list[str] = []
    source_texts: list[str] = list(extra_sources)
    allowed_ids = None if allowed_clause_ids is None else set(allowed_clause_ids)
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
        if allowed_ids is not None and not within_clauses(clause_id, allowed_ids, corpus):
            problems.append(f"引用的条款 {clause_id} 不在本题检索到的条款或离线回答的依据中")
            continue
        source_texts += [full_text, clause.label, _document_title(corpus, clause.doc_slug)]

    if question is None:
        supporting, ignored = [*trusted_calls, *tool_calls], []
    else:
        accepted, ignored = split_calls(tool_calls, [question] if isinstance(question, str) else list(question), trusted_calls)
        supporting = [*trusted_calls, *accepted]

    allowed: set[Decimal] = set()
    for text in source_texts:
        allowed |= _values_in_text(text)
    for call in supporting:
        allowed |= values_in_json(call.get("result"))

    claim_text = _LONE_ONE_RE.sub(" ", _ENUMERATOR_RE.sub(" ", _LIST_MARKER_RE.sub(" ", _prepare(answer_text, simplified=True))))
    reported: set[str] = set()
    for _, number in _tokens(claim_text):
        if _is_allowed(number, allowed) or number.text in reported:
            continue
        reported.add(number.text)
        via = next((f"{c.get('name')}（{'、'.join(f)}）" for c, f in ignored if _is_allowed(number, values_in_json(c.get("result")))), None)
        if via:
            problems.append(f"数字“{number.text}”只出现在参数不是来自问题的工具调用 {via} 的结果中，不能作为依据")
        else:
            problems.append(f"数字“{number.text}”不在任何工具结果或所引条款原文中")

    claims = [f for f in bind_figures(claim_text, simplified=False) if f.subjects and f.text not in reported]
    if claims:
        sources = [f for text in source_texts for f in bind_figures(text, simplified=False)]
        sources += [f for call in supporting for f in _tool_figures(call.get("result"))]
        for claim in claims:
            for group, subject in ((g, s) for g, names in claim.subjects.items() for s in names):
                if any(_supports(s, claim, group, subject) for s in sources):
                    continue
                key = f"{claim.text}/{subject}"
                if key not in reported:
                    reported.add(key)
                    problems.append(f"数字“{claim.text}”说的是{subject}的数额，但工具结果和所引条款给{subject}的不是这个数")
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


__all__ = ["Figure", "Number", "basis_compatible", "bind_figures", "check_grounding", "extract_numbers",
           "foreign_arguments", "question_values", "split_calls", "squash_whitespace", "values_in_json", "within_clauses"]
