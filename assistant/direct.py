"""Direct answers: one short sentence per sub-question, stating the fact it asks for, from the clause that states it.

"公示期至少几天？聘用合同一般签多长？" gets "（1）拟聘人员公示期：不少于5个工作日；（2）聘用合同：一般不低于3年" —
the subject in the asker's words, then the figure of the asked kind (an amount, a duration, a count …) with its
qualifier, cut from the best sentence of the cited clauses, in the order the parts were asked. When the sentence
states figures respectively ("知名品牌培训和特色品牌培训……上浮30%和25%"), the one for each item asked is given.
Numbers are never paraphrased and the clause is cited, so the grounding rule holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.composer import Candidate, answer_kinds, question_bigrams, sentence_score, split_sentences

_PART = re.compile(r"[^？?！!。；;]+[？?！!。；;]?")
_SEGMENT = re.compile(r"[^，,；;。：:]+")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_QUESTION_WORDS = re.compile(r"多少|几|多久|多长|哪|什么|谁|怎么|如何|是否|能否|能不能|可不可以|有没有|吗|呢")
_MAX_PARTS = 4
SUBJECT_BONUS = 0.2
_ELLIPTICAL = re.compile(r"^(?:那|那么)?[\u4e00-\u9fff]{2,6}呢[？?]?$")
_NUMBER_RANGE = r"(?:(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?:-|—|–|－|~|～|至|到)\s*)?"
_SPAN_MAX = 60
_LIST_NUMBER = re.compile(r"^(?:\d+[.．、]|[（(]\d+[)）]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
FACT_KINDS = ("money", "ratio", "duration", "date", "count", "contact", "list", "payment")


@dataclass(frozen=True)
class DirectAnswer:
    part: str  # the sub-question
    clause_id: str
    sentence: str  # the clause sentence it comes from
    fact: str  # the short statement shown to the user


def question_parts(question: str) -> list[str]:
    """The sub-questions of a question, in order (a part must ask something: a question word or an asked kind)."""
    parts = []
    for raw in _PART.findall(question):
        part = raw.strip()
        short = len(_PUNCT.sub("", part)) < 4
        if short and not (parts and _ELLIPTICAL.match(part)):  # "银奖呢？" after "金奖奖金多少？" asks the same of 银奖
            continue
        if _QUESTION_WORDS.search(part) or answer_kinds(part):
            parts.append(part)
    return parts[:_MAX_PARTS]


@lru_cache(maxsize=256)
def _states_patterns() -> dict[str, re.Pattern[str]]:
    from indexing.answer_type import _types

    return {name: states for name, _asks, states in _types()}


def fact_span(sentence: str, kinds: list[str], grams: set[str] | frozenset[str] = frozenset(), subject: str = "") -> str | None:
    """The shortest phrase of the sentence that states a fact of an asked kind (its comma segment, cut if long); of
    several, the one sharing most words with the question (`grams`): "正高级岗位分几级" is answered by "正高级岗位包括
    一至四级", not by the sentence's first count "高级岗位分7个等级"."""
    from assistant.composer import overlap

    text = re.sub(r"\s+", "", sentence)
    patterns = _states_patterns()
    for kind in kinds:
        pattern = patterns.get(kind)
        if pattern is None or kind in ("contact", "list"):
            continue
        best: tuple[float, str] | None = None
        for m in pattern.finditer(text):
            phrase = _phrase_at(text, m.start())
            if phrase is None:
                continue
            score = (overlap(set(grams), phrase) if grams else 0.0) + (0.5 if len(subject) >= 2 and subject in phrase else 0.0)
            if best is None or score > best[0]:
                best = (score, phrase)
            if not grams:
                break
        if best is not None:
            return best[1]
    return None


def _phrase_at(text: str, at: int) -> str | None:
    """The comma segment holding position `at`, cut to `_SPAN_MAX` around it (never inside a number)."""
    for seg in _SEGMENT.finditer(text):
        if seg.start() <= at < seg.end():
            phrase = _LIST_NUMBER.sub("", seg.group(0))
            if len(phrase) > _SPAN_MAX:
                lo = max(seg.start(), at - 16)
                phrase = text[lo:seg.end()][:_SPAN_MAX]
                if _NUMBER_CHAR.match(text, lo + len(phrase)):  # never end inside a number: "9000元" cut to "900"
                    phrase = text[lo:_NUMBER_REST.match(text, lo + len(phrase)).end()]
            return _balanced(phrase)
    return None


_NUMBER_CHAR = re.compile(r"[\d.,%零〇一二两三四五六七八九十百千万亿]")
_NUMBER_REST = re.compile(r"[\d.,零〇一二两三四五六七八九十百千万亿]*(?:元|%|个月|年|天|人|户|名)?")


def _balanced(phrase: str) -> str:
    """The phrase without an unclosed bracket part (a segment cut inside "（事业单位申报人员…）")."""
    for open_, close in (("（", "）"), ("(", ")"), ("《", "》"), ("“", "”")):
        if phrase.count(open_) > phrase.count(close):
            phrase = phrase[: phrase.rfind(open_)]
        elif phrase.count(close) > phrase.count(open_):
            phrase = phrase[phrase.find(close) + 1:]
    return phrase.strip("、 ")


# A figure with its qualifier: "原则上不低于 4000 元", "不少于5个工作日", "最长不超过两年", "每人每月 700 元".
_VALUE = re.compile(r"(?:原则上|一般|最长|最高|最多|最少|至少|分别|统一|每人每年|每人每月|每户每年|每人|每户|每个|每年|每月)*"
                    r"(?:不低于|不少于|不超过|不高于|高于|低于|超过|达到|满)?\s*"
                    + _NUMBER_RANGE +  # "培养期限为1-2年" is a range, never "2年"
                    r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*(?:万元|亿元|元|%|个工作日|工作日|个月|个等级|年|天|周|人次|人|户|名|份|课时|平方米|亩|个|项|次|分)"
                    r"(?:以上|以下|以内|左右|之内|内)?")
_ASK_TAIL = re.compile(r"(至少|最多|最少|最长|最高|不低于|不少于|不超过|不高于|一般|大概|大约|大致|能|要|得|需要|可以|是|应该|应当|按|有|都|各|共|又|还|再|"
                       r"一共|总共|的|了|签|交|设|给|拿|领|补|发|聘|报|评|算|干|做|办|准备|打印|缴|扣|减|定|申请|享受|占|分|分为|包括|百分之)+$")
_AMOUNT = r"\d+(?:\.\d+)?\s*(?:%|万元|元)?"
_RESPECTIVE_VALUES = re.compile(rf"{_AMOUNT}(?:\s*(?:和|、|及)\s*{_AMOUNT})+")
_AMOUNT_ITEM = re.compile(_AMOUNT)
_LIST_SEPARATOR = re.compile(r"和|与|及|、")


def asked_subject(part: str) -> str:
    """The subject of a sub-question in the asker's words: the segment that asks, up to the question word
    ("事业单位岗位聘用，拟聘人员公示期至少几天？" -> "拟聘人员公示期")."""
    segs = [s for s in re.split(r"[，,；;：:]", part) if s.strip()]
    asking = next((s for s in reversed(segs) if _QUESTION_WORDS.search(s)), segs[-1] if segs else "")
    m = _QUESTION_WORDS.search(asking)
    if m is None:
        return ""
    rest = re.sub(r"[？?！!。\s]|吗|呢|啊|呀|钱|元|块|个|年|天|人|份|次|级|名|的|了", "", asking[m.end():])
    if len(rest) > 2:
        return ""  # "要交哪几年的年度考核表": the subject follows the question word; the clause's phrase says it better
    return _without_ask_tail(re.sub(r"^(?:那么|那)|[？?！!。\s]", "", asking[: m.start()]))


def _without_ask_tail(head: str) -> str:
    """The subject without the verbs before the question word ("以奖代补最多给" -> "以奖代补"), never cutting a word of
    the compilation (以奖代补 ends with 补, which is also a verb: 能补多少)."""
    stripped = _ASK_TAIL.sub("", head)
    terms = _corpus_words()
    for end in range(len(stripped) + 1, len(head) + 1):
        if any(head[start:end] in terms for start in range(max(0, end - 8), len(stripped))):
            stripped = head[:end]  # a word of the compilation ends here: keep it whole
    return stripped if len(stripped) >= 2 else ""


@lru_cache(maxsize=1)
def _corpus_words() -> frozenset[str]:
    from indexing.tokenizer import corpus_terms

    return frozenset(t for t in corpus_terms() if len(t) >= 2)


def _common_suffix(items: list[str]) -> str:
    suffix = items[0]
    for item in items[1:]:
        while suffix and not item.endswith(suffix):
            suffix = suffix[1:]
    return suffix


def _items_before(text: str, count: int) -> list[str] | None:
    """The list of `count` coordinated items nearest before the values ("颁发金奖、银奖、铜奖，给予…" -> 金奖, 银奖, 铜奖).

    The first piece of a list may carry the words before it (颁发金奖): it is cut to the length of the longest other
    item, since coordinated items are written in parallel."""
    text = re.sub(r"（[^（）]*）|\([^()]*\)", "", text)  # asides: "特色品牌培训（仅限于…）的"
    for segment in reversed(re.split(r"[，,；;。：:]", text)):
        pieces = [p for p in _LIST_SEPARATOR.split(re.sub(r"的$", "", segment)) if p]
        items = pieces[-count:]
        if len(items) < count or not all(re.fullmatch(r"[\u4e00-\u9fff]+", p) for p in items) \
                or max(len(p) for p in items[1:]) > 14:
            continue
        longest = max(len(p) for p in items[1:])
        items[0] = items[0][-longest:]
        return items
    return None


def respective_values(sentence: str, part: str) -> list[tuple[str, str]]:
    """For "A、B、C……N1、N2、N3" (respectively), (item, figure) for each item the question names, in the order it
    names them ("金奖和银奖各多少" -> [(金奖, 1万元), (银奖, 0.8万元)]); [] when the sentence pairs nothing the
    question names. Elided lists ("金、银、铜奖") are written out first (`indexing.coordination`)."""
    from indexing.coordination import expand_coordination

    text = expand_coordination(re.sub(r"\s+", "", sentence))
    values = _RESPECTIVE_VALUES.search(text)
    if not values:
        return []
    figures = _AMOUNT_ITEM.findall(values.group(0))
    items = _items_before(text[: values.start()], len(figures))
    if not items:
        return []
    suffix = _common_suffix(items)
    named = []
    for item, figure in zip(items, figures, strict=True):
        distinct = item[: len(item) - len(suffix)] if suffix else item
        at = part.find(item)
        if at < 0 and len(distinct) >= 2:
            at = part.find(distinct)
        if at >= 0:
            named.append((at, item, figure))
    if len(named) == len(items) and not re.search(r"各|分别|都", part):
        return []  # the question repeats the whole list without asking for each: the clause's phrase says it
    return [(item, figure) for _at, item, figure in sorted(named)]


_DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:起|前|以前|之前|以后|之后|底)?")


_KIND_UNITS = {"money": ("元",), "ratio": ("%",), "duration": ("年", "月", "天", "工作日", "周"),
               "count": ("个", "人", "名", "户", "项", "次", "份", "级")}


def value_phrase(fact: str, kinds: list[str] | tuple[str, ...] = ()) -> str | None:
    """The figure of a fact span with its qualifier ("学徒每人每年的补贴标准原则上不低于4000元" -> "原则上不低于4000元");
    a date whole ("2022年10月15日起", never "2022年"); of several, the first of the asked kind ("每安置一名残疾人每年
    定额减征2500元" asked 能减多少: 2500元, not 一名)."""
    text = re.sub(r"\s+", "", fact)
    date = _DATE.search(text)
    matches = list(_VALUE.finditer(text))
    m = matches[0] if matches else None
    units = [u for k in kinds for u in _KIND_UNITS.get(k, ())]
    if units:
        m = next((x for x in matches if re.sub(r"(以上|以下|以内|左右|之内|内)$", "", x.group(0)).endswith(tuple(units))), m)
    if date and (m is None or date.start() <= m.start() < date.end()):
        return date.group(0)
    return m.group(0) if m else None


def _contact(cand: Candidate) -> str | None:
    """A table row of the 送审经办机构 table as a sentence: 单位（系列）：联系人，电话，办公室。"""
    cells = [c.strip() for c in cand.text.split("\t") if c.strip()]
    if cand.kind != "table_row" or len(cells) < 4:
        return None
    phone = next((c for c in cells if re.fullmatch(r"\d{7,8}", c)), None)
    if phone is None:
        return None
    i = cells.index(phone)
    person = cells[i - 1] if i >= 1 else ""
    office = cells[i + 1] if i + 1 < len(cells) else ""
    unit = cells[0]
    return f"{unit}，联系人{person}，电话{phone}" + (f"，办公室{office}" if office else "")


def direct_answers(question: str, candidates: list[Candidate], max_clauses: int = 5, focus: str | None = None) -> list[DirectAnswer]:
    """For each sub-question that asks for a fact, the short statement of that fact from the best cited sentence.

    `focus`: in a follow-up answered with both turns as the query, the new turn is the only part asked; it asks for the
    kind of fact the whole question asks for when it names none itself ("那要是以小微企业名义申请呢？").
    """
    out: list[DirectAnswer] = []
    parts = (question_parts(focus) or [focus]) if focus else question_parts(question)
    for part in parts:
        kinds = [k for k in (answer_kinds(part) or answer_kinds(question)) if k in FACT_KINDS]
        if not kinds:
            continue
        grams = question_bigrams(part)
        subject = asked_subject(part)
        best: tuple[float, Candidate, str, str] | None = None
        top_any = max((sentence_score(grams, kinds, s) - 0.04 * ci for ci, c in enumerate(candidates[:max_clauses])
                       for s in split_sentences(c.text)), default=0.0)
        for ci, cand in enumerate(candidates[:max_clauses]):
            if "contact" in kinds:
                row = _contact(cand)
                if row:
                    score = sentence_score(grams, kinds, cand.text, table_row=True) - 0.04 * ci
                    if best is None or score > best[0]:
                        best = (score, cand, cand.text, row)
                    continue
            for sent in split_sentences(cand.text):
                fact = fact_span(sent, kinds, grams, subject)
                if not fact:
                    continue
                score = sentence_score(grams, kinds, sent) - 0.04 * ci
                if len(subject) >= 2 and subject in re.sub(r"\s+", "", fact):
                    score += SUBJECT_BONUS  # "中级岗位分几个等级": the phrase naming 中级岗位, not "专业技术岗位分为13个等级"
                if best is None or score > best[0]:
                    best = (score, cand, sent, fact)
        # the fact must come from (nearly) the best sentence for this part: a number from a weaker sentence
        # ("高级岗位分7个等级" for "一般聘在几级") would answer another question
        if best is not None and best[0] > 0.15 and best[0] >= 0.85 * top_any:
            out.append(DirectAnswer(part=part, clause_id=best[1].clause_id, sentence=best[2], fact=_stated(part, best[2], best[3], kinds, subject)))
    return out


def _stated(part: str, sentence: str, fact: str, kinds: list[str] | tuple[str, ...], subject: str) -> str:
    """"<subject in the asker's words>：<figure>" when both can be read, else the clause's own phrase."""
    pairs = respective_values(sentence, part)
    if len(pairs) > 1:  # "金奖和银奖各多少": each item with its own figure
        return "，".join(f"{item}{figure}" for item, figure in pairs)
    value = pairs[0][1] if pairs else value_phrase(fact, kinds)
    if subject and value:  # "每人每年的补贴：每人每年不低于6000元" says 每人每年 twice
        for unit_words in ("每人每年", "每人每月", "每户每年", "每人", "每户", "每年", "每月"):
            if value.startswith(unit_words) and unit_words in subject:
                value = value[len(unit_words):]
                break
    if subject and value and not re.search(r"\d{7,}", fact):  # contacts (phone numbers) keep their row
        return f"{subject}：{value}"
    return fact


def render_direct(answers: list[DirectAnswer]) -> str:
    """One sentence per sub-question, numbered when there are several, in the order asked."""
    facts = list(dict.fromkeys(a.fact for a in answers))
    if not facts:
        return ""
    if len(facts) == 1:
        return facts[0].rstrip("。；;") + "。"
    return "；".join(f"（{i}）{f.rstrip('。；;')}" for i, f in enumerate(facts, 1)) + "。"
