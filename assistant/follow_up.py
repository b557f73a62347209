"""A follow-up turn resolved against the previous question, so that a changed value is recomputed, not repeated.

"要是区属单位，同样400个呢？" after "我们单位属于市本级，专技岗位总数400，…怎么分？" is the previous question with 市本级
replaced by 区属; "那三等奖呢？" replaces the award; "要是再过一年呢？" adds a year to the stated durations; "那我徒弟呢？
外地来的，25岁，在乌海干活2年了" asks the previous question about another person with these facts; a turn that is a
whole question of its own ("那经组织批准延长退休年龄的高级专技人员，聘岗时占不占专技职数？") is answered as it stands.
Anything else is answered with both turns as the query, the new turn's words in focus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.quantities import Quantity, extract_quantities, format_quantity

_LEAD = re.compile(r"^(那么|那要是|那如果|那假如|那|要是|如果|假如|假设|换成|改成|还有|再问一下|再问|另外)[，,]?")
_TAIL = re.compile(r"(呢|的话|怎么样|怎么办|行吗|可以吗|可不可以|中不中|行不行)?[？?。！!\s]*$")
_ASKS = re.compile(r"吗|多少|几|怎么|如何|能不能|可不可以|是否|什么|哪|谁|要不要|需不需要|算不算|占不占|有没有|还能|[不没][\u4e00-\u9fff]{1,2}[？?]")
_NEW_SUBJECT = re.compile(r"^(我|俺)?(的)?(徒弟|同事|爱人|老婆|老公|孩子|儿子|女儿|朋友|他|她|他们|她们|学生|师傅|单位另一个人|另一个人)")
_ORG = re.compile(r"(?:市|区|乌海市)?[\u4e00-\u9fff]{1,8}?(?:委员会|局|馆|委|办|院|中心|部|厅|所|站)")
_LATER = re.compile(r"再(过|干|等|工作|做)了?\s*(\d+(?:\.\d+)?)\s*(年|个月)")
# Verbs are no head of a phrase to replace ("以小微企业名义申请" must not replace "最高能申请").
_VERB_HEADS = ("申请", "申报", "报名", "参加", "认定", "办理", "领取", "发放", "评审", "聘用", "注册", "备案", "交", "报", "领", "拿", "办")
_QUESTION_SEGMENT = re.compile(r"[^，,。；;？?！!]*[？?]?$")


@dataclass(frozen=True)
class Resolved:
    query: str  # the question to answer
    focus: str  # the turn's own words (what the answer must be about)
    mode: str  # standalone | substituted | new_subject | merged


def _core(turn: str) -> str:
    return _TAIL.sub("", _LEAD.sub("", turn.strip())).strip("，, ")


def is_standalone(turn: str) -> bool:
    """A turn that asks a whole question of its own: a question act and enough words of its own topic."""
    core = _core(turn)
    own = re.sub(r"[\s\W\d_]+", "", core)
    return bool(_ASKS.search(turn)) and len(own) >= 16 and not _NEW_SUBJECT.match(core)


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _same_kind_quantity(q: Quantity, prev_qs: list[Quantity]) -> Quantity | None:
    counts = ("people", "个")  # a bare "五个" counts whatever the previous turn counted (3个学徒)
    same = [p for p in prev_qs if (p.dimension == q.dimension or (q.word in _GENERIC_COUNT_WORDS and {p.dimension, q.dimension} <= set(counts)))
            and (p.ordinal == q.ordinal or p.is_duration)]
    if not same:
        return None
    if len(same) == 1:
        return same[0]

    def overlap(a: str, b: str) -> int:
        return len({a[i:i + 2] for i in range(len(a) - 1)} & {b[i:i + 2] for i in range(len(b) - 1)})

    return max(same, key=lambda p: overlap(p.before + p.after, q.before + q.after))


def _substitute_quantities(prev: str, turn: str) -> tuple[str, bool]:
    changed = False
    later = _LATER.search(turn)
    prev_qs = extract_quantities(prev)
    if later:  # "要是再过一年呢": every stated duration grows by that much
        months = Decimal(later.group(2)) * (12 if later.group(3) == "年" else 1)
        for p in sorted((p for p in prev_qs if p.is_duration and not p.ordinal and not p.relative), key=lambda p: -p.start):
            total = (p.months or Decimal(0)) + months
            prev = _replace(prev, p.start, p.end, format_quantity(total, "月"))
            changed = True
        return prev, changed
    for q in extract_quantities(turn):
        target = _same_kind_quantity(q, extract_quantities(prev))
        if target is not None:
            prev = _replace(prev, target.start, target.end, _keeping_the_noun(q, target))
            changed = True
    return prev, changed


_GENERIC_COUNT_WORDS = ("个人", "个", "人", "名", "位")


def _keeping_the_noun(new: Quantity, old: Quantity) -> str:
    """"如果是5个人呢" after "招了3个学徒": 5个学徒 — a bare count word keeps the words it replaces (3名专技人员 -> 5名…)."""
    if new.word in _GENERIC_COUNT_WORDS and new.text.endswith(new.word):
        return new.text[: len(new.text) - len(new.word)] + old.word
    return new.text


def _substitute_categories(prev: str, core: str) -> tuple[str, bool]:
    from assistant.slots import lexicon, lexicon_matches

    changed = False
    for category in lexicon():
        for _pos, _value, word in lexicon_matches(core, category):
            hits = lexicon_matches(prev, category)
            if hits:
                pos, _v, old = hits[0]
                prev = _replace(prev, pos, pos + len(old), word)
            else:
                prev = f"{word}，{prev}"
            changed = True
            break
    return prev, changed


def _substitute_series(prev: str, core: str) -> tuple[str, bool]:
    from assistant.tool_calls import find_series

    new, old = find_series(core), find_series(prev)
    if new and old and new != old and old in prev:
        return prev.replace(old, new, 1), True
    return prev, False


def _substitute_phrase(prev: str, core: str) -> tuple[str, bool]:
    """"各区下属事业单位" for "市直属事业单位", "市档案史志馆" for "市生态环境局": the phrase of the same head in prev."""
    org = _ORG.fullmatch(core)
    if org:
        old = _ORG.search(prev)
        if old:
            return _replace(prev, old.start(), old.end(), core), True
    for k in range(min(len(core), 6), 1, -1):
        head = core[-k:]
        if head.endswith(_VERB_HEADS):
            return prev, False
        pos = prev.find(head)
        if pos < 0:
            continue
        start = pos
        while start > 0 and pos - start < len(core) - k and re.match(r"[\u4e00-\u9fff]", prev[start - 1]):
            start -= 1
        if prev[start:pos + k] == core:
            return prev, False
        return _replace(prev, start, pos + k, core), True
    return prev, False


_LIST_TURN = re.compile(r"^([\u4e00-\u9fff]{1,6}?)(?:和|与|及|跟|、)([\u4e00-\u9fff]{1,6})$")


def _substitute_list(prev: str, core: str) -> tuple[str, bool]:
    """"那银奖和铜奖呢" after "金奖多少": items sharing a head (奖) take the place of the word of that head in prev."""
    m = _LIST_TURN.match(core)
    if not m or m.group(1)[-1] != m.group(2)[-1]:
        return prev, False
    head = m.group(1)[-1]
    old = re.search(rf"[\u4e00-\u9fff]{{1,3}}{head}", prev)
    if old is None or old.group(0) in (m.group(1), m.group(2)):
        return prev, False
    word = old.group(0)
    start = old.start() + max(0, len(word) - len(m.group(1)))  # "全市技能大赛金奖": replace 金奖, keep the contest
    return _replace(prev, start, old.end(), core), True


def resolve(prev: str, turn: str) -> Resolved:
    """The question a follow-up turn asks, given the previous (resolved) question."""
    turn = turn.strip()
    core = _core(turn)
    if is_standalone(turn):
        return Resolved(turn, turn, "standalone")
    subject = _NEW_SUBJECT.match(core)
    if subject and (extract_quantities(core) or len(core) > len(subject.group(0)) + 4):
        act = _QUESTION_SEGMENT.search(prev)
        ask = act.group(0) if act and _ASKS.search(act.group(0)) else prev
        return Resolved(f"{core}，{ask}", core, "new_subject")
    query, changed = _substitute_quantities(prev, turn)
    for step in (_substitute_categories, _substitute_series):
        query, more = step(query, core)
        changed = changed or more
    if not changed and core and len(core) <= 16 and not extract_quantities(core):
        query, changed = _substitute_list(query, core)
        if not changed:
            query, changed = _substitute_phrase(query, core)
    if changed:
        return Resolved(query, core, "substituted")
    return Resolved(f"{prev} {turn}", core or turn, "merged")
