"""Abstention: is the answer in the compilation at all? Decided from evidence, not from word coverage.

`decide` checks, in this order (each rule is data in `abstain.yaml` or a calibrated constant below):

1. **A named topic the compilation does not answer** (养老金, 失业保险金, 工伤, 公务员招录, 评审费金额 …). When the
   compilation mentions the topic (`mentioned_as`), the refusal quotes what it says.
2. **Another city's or province's own policy** ("巴彦淖尔市的技能大赛奖金"). A place that only says where the asker comes
   from ("我是香港居民，在乌海…", "从外省引进到市直单位") or a question that puts the work in Wuhai is not a refusal.
3. **The figure is not stated.** The question asks for a kind of fact (an amount, a ratio, a duration, a date, a
   count, hours, a contact, a standard: `indexing/answer_types.yaml` + `asks_more` here) about a subject: the words of
   the asking clause the compilation knows, weighted by rarity, with the *head* — the fact noun nearest the ask
   (补贴, 学时, 名额, 津贴; `fact_nouns`). When a retrieved sentence mentions the subject but no sentence about it —
   retrieved, or anywhere in the compilation — states a fact of that kind, the compilation refers to the figure
   without giving it (a rate set by another document, the current minimum wage, an exam timetable, a fee): decline,
   and point to the sentence that mentions it. A figure is "about the subject" when its own text names the head,
   the text up to it fits the question about as well as the best clause does (policy sentences name the beneficiary
   first: "对……的，给予……元"), and it does not modify another noun ("签订1年以上劳动合同").
4. **Far from everything the compilation says**: the dense similarity of the question to its nearest clause is below
   a floor calibrated per embedding model.
A tool that answered decisively is not refused, unless the question names the fact noun it asks about and the
evidence plainly shows that no such figure is stated (the tool answered a neighbouring question). Unknown words
weigh nothing in the evidence, for or against: they never cause a refusal.
Thresholds are calibrated with `assistant/calibration.py` on hand-written examples grouped by class
(`tests/assistant/data/abstention_classes.yaml`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ABSTAIN_FILE = Path(__file__).resolve().parent / "abstain.yaml"

# Calibrated on tests/assistant/data/abstention_classes.yaml + abstention_examples.yaml (calibration.py, real
# retriever): with these, 0 of 80 should-refuse examples answered and 2 of 73 should-answer ones refused (a paraphrase
# the words miss, 岗位等级晋升 ~ 下一等级岗位; one below the similarity floor). FIT_RATIO 0.6 trades one of those
# refusals for answering "市级专项竞赛获奖选手的奖金标准" with the 全市技能大赛 prize — the very case the fit exists for.
# MENTION_MIN and STATED_RATIO are flat between 0.3-0.5 and 0.5-0.7 on the examples.
MENTION_MIN = 0.4  # the subject is mentioned: this share (rarity-weighted) of its known words in one retrieved sentence
STATED_RATIO = 0.7  # a figure's clause must cover the ask's words at least this well, relative to the best mention
FIT_RATIO = 0.7  # ... and the text up to it must fit the question's sentence this well, relative to the best unit
STRONG_MENTION = 0.85  # a mention this complete lets the evidence overrule a decisive tool (see `decide`)
EVIDENCE_TOP = 8  # retrieved texts searched for the evidence

FIGURE_KINDS = ("money", "ratio", "duration", "date", "count", "hours", "contact", "standard")
KIND_ZH = {"money": "具体金额", "ratio": "具体比例", "duration": "具体期限", "date": "具体时间", "count": "具体数量",
           "hours": "学时数", "contact": "经办部门或联系方式", "standard": "具体标准"}

# Question words and fillers that say nothing about the subject.
_GENERIC = set("""
多少 几 几个 几年 怎么 怎样 如何 什么 哪些 哪个 哪里 哪儿 为什么 是否 能否 可以 能 会 要 需要 还 还能 还是 现在 目前 今年 明年
每月 每个月 每年 每天 每人 大概 一般 具体 请问 问 一下 想 知道 告诉 我 我们 你 你们 他 她 有 没有 吗 呢 吧 啊 呀 了 的 得 地 么 就 都 也 又
标准 规定 政策 要求 条件 办理 领 拿 交 给 多久 时间 结果 出来 能领 能拿 钱 元 块 万 干 年 月 日 天 乌海 乌海市 本地 这里 这边
某个 某些 发到 第几 几名 第几名 一共 总共 分别 各设 几个人 多少次 多少个 怎么办 怎么样 按规定 最多 最少 至少 最高 最低 除了 额外 自己
还给 要交 能补 能分 能给 一天 每个 时候 听说 真的 假的 大家 单位 公司 个人 工作 这个 那个 上年 去年 明年 今年 参加
政府 国家 官方 上面
""".split())  # the last line: who pays ("政府给多少补贴"), never what the figure is about

_SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
_CLAUSE_END = re.compile(r"[，,；;。：:！？!?]")


@dataclass
class Decision:
    out_of_scope: bool
    reason: str = ""  # topic | place | not_stated | similarity | "" (answered)
    topic: str | None = None
    refer: str | None = None
    mentioned_as: list[str] = field(default_factory=list)
    place: str | None = None
    asked: list[str] = field(default_factory=list)  # kinds of fact asked (money, ratio …)
    subject: str | None = None  # the head word the figure is about
    mentioned: float = 0.0  # how well the best retrieved sentence covers the subject
    stated: float = 0.0  # how well the best sentence stating the asked kind covers it
    evidence_rank: int | None = None  # index into the retrieved texts of the clause that mentions the subject
    evidence_sentence: str = ""

    def to_dict(self) -> dict:
        return {"out_of_scope": self.out_of_scope, "reason": self.reason, "topic": self.topic, "place": self.place,
                "asked": self.asked, "subject": self.subject, "mentioned": round(self.mentioned, 3),
                "stated": round(self.stated, 3), "evidence_rank": self.evidence_rank}


# ---------------------------------------------------------------------------------------------------- data
@lru_cache(maxsize=1)
def _config() -> dict:
    data = yaml.safe_load(ABSTAIN_FILE.read_text(encoding="utf-8"))
    for topic in data["topics"]:
        topic["_re"] = re.compile("|".join(f"(?:{p})" for p in topic["patterns"]))
    places = data["places"]
    places["_origin_before"] = re.compile("(?:" + "|".join(places["origin_before"]) + r")$")
    places["_origin_after"] = re.compile("^(?:" + "|".join(places["origin_after"]) + ")")
    places["_in_wuhai"] = re.compile("|".join(places["in_wuhai"]))
    return data


@lru_cache(maxsize=1)
def _answer_types() -> dict[str, tuple[list[re.Pattern[str]], list[re.Pattern[str]]]]:
    """kind -> (asks patterns, states patterns): indexing/answer_types.yaml plus `asks_more` of abstain.yaml."""
    from indexing.answer_type import ANSWER_TYPES_FILE

    out: dict[str, tuple[list[re.Pattern[str]], list[re.Pattern[str]]]] = {}
    base = yaml.safe_load(ANSWER_TYPES_FILE.read_text(encoding="utf-8"))["types"]
    for entry in base + list(_config().get("asks_more") or []):
        asks, states = out.setdefault(entry["name"], ([], []))
        if entry.get("asks"):
            asks.append(re.compile(entry["asks"]))
        if entry.get("states"):
            states.append(re.compile(entry["states"]))
    return out


@lru_cache(maxsize=1)
def _families() -> frozenset[str]:
    """Every fact noun (`fact_nouns`: the words a figure is about — 补贴, 学时, 名额 …)."""
    return frozenset(w for g in _config().get("fact_nouns") or [] for w in g["words"])


@lru_cache(maxsize=1)
def _not_asks() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _config().get("not_asks") or [])


@lru_cache(maxsize=1)
def _clause_texts() -> tuple[str, ...]:
    from corpus.loader import load_corpus

    corpus = load_corpus()
    texts = [c.text for c in corpus.clauses.values() if c.text.strip()] + [d.title for d in corpus.documents]
    return tuple(_squash(t) for t in texts)


def _squash(text: str) -> str:
    """Whitespace removed and elided lists written out ("金、银、铜奖" names 银奖: `indexing.coordination`)."""
    from indexing.coordination import expand_coordination

    return expand_coordination(re.sub(r"\s+", "", text))


# ---------------------------------------------------------------------------------------------------- words
@lru_cache(maxsize=8192)
def _variants(word: str) -> tuple[str, ...]:
    from indexing.tokenizer import synonym_map

    return (word, *synonym_map().get(word, ()))


@lru_cache(maxsize=4096)
def weight(word: str) -> float:
    """Rarity of a word in the compilation: the squared log inverse clause frequency, so that the words naming the
    subject (稳岗返还, 领军人才) outweigh the ones every clause shares (企业, 补贴); 0 for a word it never uses."""
    texts = _clause_texts()
    variants = _variants(word)
    df = sum(1 for t in texts if any(v in t for v in variants))
    if df == 0:
        return 0.0
    return math.log((len(texts) + 1) / df) ** 2


def known(word: str) -> bool:
    """Whether the compilation uses the word (or one of its reviewed synonyms)."""
    return weight(word) > 0


def _spans(text: str, word: str) -> list[tuple[int, int]]:
    out, pos = [], text.find(word)
    while pos >= 0:
        out.append((pos, pos + len(word)))
        pos = text.find(word, pos + 1)
    return out


def _straddles(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    a, b = span
    return any(c < a < d < b or a < c < b < d for c, d in spans)


def content_words(question: str) -> list[str]:
    """The question's topical words (jieba tokens without fillers, question words and bare quantities).

    jieba's search mode also emits the bigrams across the parts of a long word (技能比赛 -> 能比, 示范性 -> 范性);
    a token that straddles the boundary of another token everywhere it occurs is such an artefact and dropped."""
    from indexing.tokenizer import tokenize

    tokens = list(dict.fromkeys(tokenize(question, synonyms=False)))
    spans = {t: _spans(question, t) for t in tokens}
    words = []
    for tok in tokens:
        if tok in _GENERIC or len(tok) < 2 or re.fullmatch(r"[\d.%]+|[a-z]+", tok):
            continue
        if re.fullmatch(r"[\d.]+[年月日个人名户元万岁天次]*", tok):
            continue
        others = [sp for t, ss in spans.items() if t != tok for sp in ss]
        if spans[tok] and all(_straddles(sp, others) for sp in spans[tok]):
            continue
        words.append(tok)
    return words


def _in_text(word: str, text: str) -> bool:
    return any(v in text for v in _variants(word))


def coverage(terms: list[str], text: str, head: str | None = None) -> float:
    """Rarity-weighted share of `terms` that occur in `text` (words the compilation never uses weigh nothing);
    the head word also counts when the text uses a word of its family (以奖代补 ~ 奖励)."""
    total = sum(weight(t) for t in terms)
    if total <= 0:
        return 0.0
    found = sum(weight(t) for t in terms if _in_text(t, text) or (t == head and _has_head(head, text)))
    return found / total


# ---------------------------------------------------------------------------------------------------- the ask
@dataclass(frozen=True)
class Asked:
    """One kind of fact the question asks for, the head word it is about (a fact noun such as 补贴 / 学时 / 名额,
    or None) and the subject's words: the known words of the question clause that holds the ask."""

    kind: str
    head: str | None
    terms: tuple[str, ...]
    context: tuple[str, ...] = ()  # the known words of the question sentence holding the ask (who, which programme)


_SEGMENT = re.compile(r"[^，,。；;！!？?]+[，,。；;！!？?]?")
_QUESTION_SENTENCE = re.compile(r"[^。！!？?]+[。！!？?]?")
# the figure follows its subject (对……的，给予……元): the kinds whose figure scope ends with the figure's own clause;
# a duration or a date is an adverbial that comes first (在……一个月内，将……报……备案): the whole sentence is its scope
_SUBJECT_FIRST = ("money", "ratio", "count", "hours")
# words that ask for a quantity, a time, a standard or a place (怎么/如何 ask for a procedure: "超比例聘用了怎么过渡")
_INTERROGATIVE = re.compile(r"多少|几|什么|啥|哪|何时|多久|多长|多大|多高|谁|是否|有没有|给不给")


def _fact_nouns() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(tuple(g["kinds"]), tuple(g["words"])) for g in _config().get("fact_nouns") or []]


def _family(word: str) -> tuple[str, ...]:
    """The words a figure sentence may use for `word`; a compound on a one-character fact noun keeps its
    qualifier (鉴定费 ~ 鉴定费用 ~ 鉴定收费, but not 教育费附加)."""
    for _, words in _fact_nouns():
        if word in words:
            return words
        for w in words:
            if len(w) == 1 and len(word) > 1 and word.endswith(w):
                return tuple(word[:-1] + v for v in words if not v.startswith(word[:-1]))
    return (word,)


def _fact_noun_kinds(word: str) -> tuple[str, ...]:
    return tuple(k for kinds, words in _fact_nouns() if word in words for k in kinds)


@lru_cache(maxsize=1)
def _kind_nouns() -> frozenset[str]:
    """Fact nouns that name the kind of figure itself (比例: any ratio figure is one)."""
    return frozenset(w for g in _config().get("fact_nouns") or [] if g.get("names_kind") for w in g["words"])


def _cues(question: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every ask cue in a question sentence, minus indefinite 几 (我们几个, 这几年)."""
    blocked = [(m.start(), m.end()) for p in _not_asks() for m in p.finditer(question)]
    sentences = [(m.start(), m.end()) for m in _QUESTION_SENTENCE.finditer(question)]
    asking = [(a, b) for i, (a, b) in enumerate(sentences)
              if question[a:b].rstrip().endswith(("？", "?")) or i == len(sentences) - 1]
    out = []
    for kind, (asks, _) in _answer_types().items():
        if kind not in FIGURE_KINDS:
            continue
        for pattern in asks:
            for m in pattern.finditer(question):
                if any(a <= m.start() < b for a, b in blocked) or not any(a <= m.start() < b for a, b in asking):
                    continue
                # a cue word that is only a topic ("聘期考核不合格的人会怎么处理", "比例都满了还能聘吗") asks nothing:
                # the cue or the few characters around it must ask (多少, 几, 什么, 哪, 多久 …)
                near = question[max(0, m.start() - 4):m.end() + 6]
                if not _INTERROGATIVE.search(near):
                    continue
                out.append((kind, m.start(), m.end()))
    return sorted(out, key=lambda c: (c[1], c[0]))


def _segment_terms(question: str, terms: list[str], start: int, cue: tuple[int, int]) -> tuple[list[str], int]:
    """The known words of the question clause holding the cue (the cue's own words aside, unless a fact noun),
    and where that clause starts; a clause without any ("标准多少？") takes those of the clause before it."""
    segments = [(m.start(), m.end()) for m in _SEGMENT.finditer(question)]
    index = next((i for i, (a, b) in enumerate(segments) if a <= start < b), len(segments) - 1)
    for i in range(index, -1, -1):
        a, b = segments[i]
        found = []
        for term in terms:
            pos = question.find(term, a)
            while 0 <= pos < b:
                overlaps_cue = pos < cue[1] and pos + len(term) > cue[0]
                if pos + len(term) <= b and (not overlaps_cue or term in _families()):
                    found.append(term)
                    break
                pos = question.find(term, pos + 1)
        if found:
            return found, a
    return [], segments[index][0] if segments else 0


def _head(question: str, kind: str, span: tuple[int, int]) -> str | None:
    """The fact noun (of a family that can carry this kind) nearest before the end of the cue, within the ask's
    clause — also inside a word the compilation does not use (费 of 鉴定费) — or right after the cue ("给多少补助"):
    补贴 in "生活费补贴一天给多少钱", 津贴 in "有没有津贴？标准多少？". None when the ask names none."""
    begin, cue_end = span
    best: tuple[int, int, str] | None = None
    for word in _families():
        if kind not in _fact_noun_kinds(word):
            continue
        pos = question.rfind(word, begin, cue_end)
        if pos >= 0 and pos + len(word) <= cue_end:
            end = pos + len(word)
            if len(word) == 1:  # 费 alone says little: keep its qualifier (鉴定费, 保险费)
                word = question[max(begin, pos - 2):end]
            key = (1, end, word)
        else:
            pos = question.find(word, cue_end, cue_end + 3 + len(word))
            if pos < 0:
                continue
            key = (0, -pos, word)
        if best is None or key > best:
            best = key
    if best and best[2] in _kind_nouns():  # 贴息比例, 补贴的比例: the ratio of what
        pos = question.rfind(best[2], begin, cue_end + 3 + len(best[2]))
        before = question[begin:pos].removesuffix("的")
        owner = [w for w in _families() if w not in _kind_nouns() and before.endswith(w) and kind in _fact_noun_kinds(w)]
        if owner:
            return max(owner, key=len)
    return best[2] if best else None


_OTHER_QUESTION = re.compile(r"[吗呢][？?，,。！!]?$|" + _INTERROGATIVE.pattern)


def _sentence_terms(question: str, terms: list[str], start: int) -> list[str]:
    """The known words of the question sentence (up to ？ or 。) holding `start` — its own clause and the clauses
    that tell the situation ("人力资源公司招了就业困难人员，"), not the clauses that ask something else ("……，能和
    重点产业的上浮叠加吗？") — or of the sentence before it when it has none ("……按多少比例补？能补几年？")."""
    sentences = [(m.start(), m.end()) for m in _QUESTION_SENTENCE.finditer(question)]
    index = next((i for i, (a, b) in enumerate(sentences) if a <= start < b), len(sentences) - 1)
    for i in range(index, -1, -1):
        a, b = sentences[i]
        kept = "".join(seg.group(0) for seg in _SEGMENT.finditer(question[a:b])
                       if i < index or a + seg.start() <= start < a + seg.end() or not _OTHER_QUESTION.search(seg.group(0)))
        found = [t for t in terms if t in kept]
        if found:
            return found
    return []


def question_terms(question: str) -> list[str]:
    """The question's words the compilation knows (fact nouns kept even when it does not: 名额)."""
    return [w for w in content_words(question) if known(w) or w in _families()]


def analyse(question: str) -> list[Asked]:
    """What the question asks for: one entry per ask cue (a cue of a kind already asked in the same clause is
    the same ask)."""
    terms = question_terms(question)
    out: dict[tuple[str, tuple[str, ...]], Asked] = {}
    for kind, start, end in _cues(question):
        found, begin = _segment_terms(question, terms, start, (start, end))
        ask_terms = tuple(found)
        if (kind, ask_terms) in out:
            continue
        context = tuple(_sentence_terms(question, terms, start))
        out[(kind, ask_terms)] = Asked(kind, _head(question, kind, (begin, end)), ask_terms, context)
    return list(out.values())


def user_states(question: str, asked: list[Asked]) -> bool:
    """The question itself gives a figure of an asked kind ("课时补贴标准按10元算，每人能补多少"): a computation
    on the user's figure, which the compilation need not state (DESIGN: facts it lacks are user inputs)."""
    flat = _ASKED_FIGURE.sub("", _squash(question))  # "百分之多少" asks a ratio, it states none
    return any(p.search(flat) for a in asked for p in _states_in(a.kind))


_ASKED_FIGURE = re.compile(r"百分之(多少|几十?|若干)|(多少|几)(万元|万|元|%|分之)")


# ---------------------------------------------------------------------------------------------------- evidence
@dataclass
class Evidence:
    """`mentioned`: how well the best retrieved sentence covers the ask's subject; `stated`: how well the best figure
    of an asked kind (about the head, fitting the whole question about as well as the best sentence does) covers it."""

    mentioned: float = 0.0
    stated: float = 0.0
    rank: int | None = None  # retrieved text with the best mention
    sentence: str = ""


def _sentences(text: str) -> tuple[str, list[str]]:
    """(heading, sentences): a short first sentence such as "2. 给予人才储备和就业见习补贴。" is the heading of the rest."""
    sents = [s.strip() for s in _SENTENCE.findall(text) if len(_squash(s)) >= 2]
    if len(sents) > 1 and len(_squash(sents[0])) <= 30:
        return _squash(sents[0]), sents
    return "", sents


def _states_in(kind: str) -> list[re.Pattern[str]]:
    return _answer_types().get(kind, ([], []))[1]


_MODIFIED = re.compile(r"(?:(?:以上|以下|以内|及以上)的?|的)([\u4e00-\u9fff]{2,12}?)(?=[，,。；;、：:（(）)和及与或并且的]|以|$)")
_NOT_A_NOUN = re.compile(r"^(内|后|前|起|以|为|的|之|至|到|期|间|时|每|给予|按|向|由|并|且|或|可|不|未|满|即|报|将|对|从)")


def _modified_noun(flat: str, end: int) -> str | None:
    """The noun phrase a figure modifies ("1年以上劳动合同", "700元的生活补贴"), None when the figure ends its
    clause or is followed by anything else ("5个工作日；", "一个月内，将……", "上浮20%执行")."""
    rest = flat[end:]
    m = _MODIFIED.match(rest)
    if not m:
        return None
    noun = m.group(1)
    return None if _NOT_A_NOUN.match(noun) else noun


def _figure_scopes(sentence: str, kind: str, head: str | None = None) -> list[str]:
    """For each figure of `kind` in the sentence, the text that figure is about.

    A figure that directly modifies a noun phrase is about that phrase: "700元的生活补贴" counts for 补贴,
    "签订1年以上劳动合同" does not. Otherwise an amount, a ratio or a count follows its subject (对……的，给予……元):
    the sentence up to the end of the figure's clause; a duration or a date is an adverbial that may come first
    (在……一个月内，将……报……备案): the whole sentence, or, when the question names a head word, the figure's own
    clause (离校两年内未就业 is not the period of a 补贴)."""
    flat = _squash(sentence)
    scopes = []
    for pattern in _states_in(kind):
        for m in pattern.finditer(flat):
            noun = _modified_noun(flat, m.end()) if head and kind != "standard" else None
            if noun is not None:
                if _has_head(head, noun):
                    scopes.append(flat[: m.end()] + noun)
                continue
            end = _CLAUSE_END.search(flat, m.end())
            stop = end.end() if end else len(flat)
            if kind in _SUBJECT_FIRST:
                scopes.append(flat[:stop])
            elif head is None:
                scopes.append(flat)
            else:
                begin = max((c.end() for c in _CLAUSE_END.finditer(flat, 0, m.start())), default=0)
                scopes.append(flat[begin:stop])
    return scopes


def _has_head(head: str | None, text: str) -> bool:
    return head is None or any(_in_text(w, text) for w in _family(head))


@lru_cache(maxsize=1)
def _clauses_by_text() -> tuple[tuple[str, str], ...]:
    from corpus.loader import load_corpus

    return tuple((_squash(c.text), c.id) for c in load_corpus().clauses.values() if c.text.strip())


@lru_cache(maxsize=2048)
def _unit_context(clause_id: str | None, text: str) -> str:
    """What a retrieved text is part of: the headings above it within its document and its own title (the
    retriever's unit context without the document name, which every clause of the document shares). Found by id,
    or by the clause whose text contains it when no id is given."""
    from corpus.loader import load_corpus

    corpus = load_corpus()
    if clause_id is None or clause_id not in corpus.clauses:
        flat = _squash(text)
        clause_id = next((cid for body, cid in _clauses_by_text() if flat and flat in body), None)
        if clause_id is None:
            return ""
    clause = corpus.clauses[clause_id]
    return _squash(" ".join([*clause.path[1:], clause.title]))


@dataclass(frozen=True)
class _Unit:
    """One retrieved text (or corpus clause), split for the evidence check."""

    rank: int | None
    context: str  # the headings above the clause and its title (squashed)
    heading: str  # a short first sentence ("2. 给予人才储备和就业见习补贴。"), squashed
    sentences: tuple[str, ...]
    flat: str  # the whole text, squashed


def _unit(rank: int | None, text: str, clause_id: str | None) -> _Unit:
    heading, sents = _sentences(text)
    return _Unit(rank, _unit_context(clause_id, text), heading, tuple(sents), _squash(text))


@lru_cache(maxsize=1)
def _corpus_units() -> tuple[_Unit, ...]:
    from corpus.loader import load_corpus

    return tuple(_unit(None, c.text, c.id) for c in load_corpus().clauses.values()
                 if c.text.strip() and not c.is_form and c.kind not in ("root", "attachment_list"))


def _stated(a: Asked, units: list[_Unit] | tuple[_Unit, ...], mention: float, stated_ratio: float,
            fit_ratio: float) -> float:
    """The best share of the ask's subject covered by a figure of the asked kind that is about it (0: none).

    A figure is about the subject when its own text names the head (when the ask has one), the unit up to the
    figure fits the question's sentence about as well as the best-fitting unit does (the 就业困难人员 of
    "招了就业困难人员，社保补贴能补几年"; "全市技术能手" after "给予1万元奖金" is not what the prize is for), and,
    for an ask without a head, the figure's clause covers the ask's words about as well as the best mention."""
    whole = list(a.context)
    best_fit = max((coverage(whole, u.context + u.flat, a.head) for u in units), default=0.0)
    head = None if a.head in _kind_nouns() else a.head  # a ratio figure is a 比例 whatever the sentence calls it
    stated = 0.0
    for u in units:
        prefix = u.context
        for sent in u.sentences:
            for scope in _figure_scopes(sent, a.kind, head):
                if not _has_head(head, scope):  # the head in the figure's own text, not only in the heading
                    continue
                if coverage(whole, prefix + scope, a.head) < fit_ratio * best_fit:
                    continue
                cov = coverage(list(a.terms), u.heading + scope, a.head)
                if head is not None or cov >= stated_ratio * mention:
                    stated = max(stated, min(1.0, cov / mention) if mention else 1.0)
            prefix += _squash(sent)
    return stated


def gather(asked: list[Asked], retrieved_texts: list[str], stated_ratio: float = STATED_RATIO,
           retrieved_ids: list[str] | None = None, whole_corpus: bool = True, fit_ratio: float = FIT_RATIO) -> Evidence:
    """How well the retrieved sentences mention each ask's subject, and whether a figure about it is stated —
    in the retrieved texts, or (`whole_corpus`, when they hold none) anywhere in the compilation, so that a
    retrieval miss never turns into a refusal."""
    ev = Evidence()
    if not any(a.terms for a in asked):
        return ev
    units = [_unit(rank, text, retrieved_ids[rank] if retrieved_ids and rank < len(retrieved_ids) else None)
             for rank, text in enumerate(retrieved_texts[:EVIDENCE_TOP])]
    best: tuple[float, bool, float] = (-1.0, False, -1.0)
    mentions = []
    for a in asked:
        mention = 0.0
        for u in units:
            for sent in u.sentences:
                flat = u.heading + _squash(sent)
                cov = coverage(list(a.terms), flat, a.head)
                mention = max(mention, cov)
                key = (cov, _has_head(a.head, flat), coverage(list(a.context), u.context + flat, a.head))
                if key > best:  # the best mention: covers the ask, names the head, fits the question
                    best, ev.mentioned, ev.rank, ev.sentence = key, cov, u.rank, sent
        mentions.append(mention)
    for a, mention in zip(asked, mentions, strict=True):
        ev.stated = max(ev.stated, _stated(a, units, mention, stated_ratio, fit_ratio))
    if ev.stated == 0 and whole_corpus:
        for a, mention in zip(asked, mentions, strict=True):
            ev.stated = max(ev.stated, _stated(a, _corpus_candidates(a, mention), mention, stated_ratio, fit_ratio))
    return ev


def _corpus_candidates(a: Asked, mention: float) -> list[_Unit]:
    """The clauses of the compilation that could state the ask's figure: they name its head, or cover its words at
    least half as well as the best retrieved mention (the rest cannot pass `_stated`'s tests; skipping them keeps
    the whole-compilation search to a few milliseconds)."""
    terms = list(a.terms)
    out = []
    for u in _corpus_units():
        if a.head is not None and _has_head(a.head, u.flat):
            out.append(u)
            continue
        cov = coverage(terms, u.flat, a.head)
        if cov > 0 and cov >= 0.5 * mention:
            out.append(u)
    return out


def topic_hit(question: str) -> dict | None:
    for topic in _config()["topics"]:
        if topic["_re"].search(question):
            return topic
    return None


def other_place(question: str) -> str | None:
    """Another city or province whose own policy the question asks about (None when a named place only says where
    the asker comes from, or the question puts the work in Wuhai)."""
    places = _config()["places"]
    in_wuhai = bool(places["_in_wuhai"].search(question))
    for place in places["other"]:
        start = question.find(place)
        while start >= 0:
            end = start + len(place)
            before, after = question[max(0, start - 8):start], question[end:]
            if place == "海南" and after.startswith("区"):
                pass  # 海南区 is a district of Wuhai
            elif any(ok in before for ok in places.get("ok_context", [])):
                pass  # 对标重庆、上海: the compilation itself names them
            elif places["_origin_before"].search(question[:start]) or places["_origin_after"].search(after):
                pass  # where the asker comes from
            elif not in_wuhai:
                return place
            start = question.find(place, end)
    return None


def _after_number(question: str, word: str) -> bool:
    """jieba's token across a count and the next word ("1户补多少" -> 户补): a measure word, not a topic word."""
    at = question.find(word)
    return at > 0 and question[at - 1].isdigit()


def min_similarity(embedder_name: str | None, has_intent: bool) -> float | None:
    """The calibrated floor of question-to-nearest-clause cosine for this embedder (None: no floor known).

    Cosine scales differ between embedding models, so a floor is only applied for a model it was calibrated on.
    """
    floors = (_config().get("min_similarity") or {}).get(embedder_name or "")
    if not floors:
        return None
    return floors["with_intent"] if has_intent else floors["default"]


# ---------------------------------------------------------------------------------------------------- decision
def decide(question: str, retrieved_texts: list[str], *, has_intent: bool, tool_answered: bool,
           similarity: float | None = None, embedder_name: str | None = None, retrieved_ids: list[str] | None = None,
           mention_min: float = MENTION_MIN, stated_ratio: float = STATED_RATIO, fit_ratio: float = FIT_RATIO,
           strong_mention: float = STRONG_MENTION, rule_decided: bool = False,
           tool_figures: frozenset[str] = frozenset()) -> Decision:
    """Out of scope or not, with the reason: a named topic, another place's policy, a figure the compilation does
    not state, or a question far from every clause.

    `retrieved_ids`: the clause ids of `retrieved_texts` (their document and headings tell what a sentence is about);
    without them each text is looked up in the corpus. `rule_decided`: a clause rule whose every topic pattern matched
    has decided the question — then a named outside topic in it (工伤, 养老保险) is context, not what is asked.
    `tool_figures`: the kinds of figure the tools computed for the question (money …)."""
    # another place's policy first: "北京的住房补贴" is outside a Wuhai compilation whatever its topic
    place = other_place(question)
    if place:
        return Decision(True, reason="place", topic=f"{place}的政策", refer=f"{place}当地的人社部门", place=place)
    topic = None if rule_decided else topic_hit(question)
    if topic:
        return Decision(True, reason="topic", topic=topic["name"], refer=topic.get("refer"),
                        mentioned_as=list(topic.get("mentioned_as", [])))
    asked = analyse(question)
    ev = gather(asked, retrieved_texts, stated_ratio, retrieved_ids, fit_ratio=fit_ratio)
    head = next((a.head for a in asked if a.head), None)
    decision = Decision(False, asked=[a.kind for a in asked], subject=head, mentioned=ev.mentioned, stated=ev.stated,
                        evidence_rank=ev.rank, evidence_sentence=ev.sentence)
    figure_asked = bool(asked) and not user_states(question, asked)
    if tool_answered:
        # A tool's figures come from cited parameters, so its answer stands, unless the question names the fact
        # noun it asks about (比例, 津贴 …), a retrieved sentence plainly covers that subject and no figure of the
        # asked kind about it is anywhere: then the tool answered a neighbouring question (高新技术企业 -> 税率).
        # A tool that computed a figure of the asked kind (an amount for "补贴总共多少钱") answered the question itself.
        if not (figure_asked and head and ev.stated == 0 and ev.mentioned >= strong_mention) \
                or {a.kind for a in asked} & tool_figures:
            return decision
    if figure_asked and ev.mentioned >= mention_min and ev.stated == 0:
        decision.out_of_scope, decision.reason = True, "not_stated"
        first = next((a for a in asked if a.head), asked[0])
        decision.subject = subject_phrase(question, head, first.context) if head else _main_term(first.terms)
        decision.topic = missing_fact(decision.subject, head, [a.kind for a in asked])
        decision.refer = NOT_STATED_REFER
        # the sentence itself: the current call site quotes the first retrieved clause containing a mentioned word
        decision.mentioned_as = [ev.sentence] if ev.sentence else []
        return decision
    # Far from every clause. The evidence above never overrides this floor: it weighs only the words the
    # compilation knows, so a question about something it never names (公租房, 残疾人证) can look "stated".
    # Except when every topical word of the question is one the compilation uses and a retrieved clause states
    # the asked figure for all of them ("金奖和银奖各多少钱": the sentence embedding of a list question is far
    # from the clause that lists them).
    floor = min_similarity(embedder_name, has_intent)
    if similarity is not None and floor is not None and similarity < floor:
        if figure_asked and ev.stated >= strong_mention and all(known(w) for w in content_words(question)
                                                                if not _after_number(question, w)):
            return decision
        decision.out_of_scope, decision.reason = True, "similarity"
    return decision


# ---------------------------------------------------------------------------------------------------- wording
NOT_STATED_REFER = "乌海市人力资源和社会保障局或该项政策的主管部门"
COMPILATION = "《技术技能人才支持政策汇编》（乌海市）"


def kinds_zh(kinds: list[str]) -> str:
    """具体金额 / 具体比例 / …; an amount-or-ratio ask ("标准多少") reads 具体标准."""
    kinds = list(dict.fromkeys(kinds))
    if "money" in kinds and "ratio" in kinds or "standard" in kinds:
        kinds = ["standard", *[k for k in kinds if k not in ("money", "ratio", "standard")]]
    return "和".join(KIND_ZH[k] for k in kinds)


def _main_term(terms: tuple[str, ...]) -> str | None:
    """The most specific word of an ask without a fact noun (中级职称 of "评高级工程师需要取得中级职称后满几年")."""
    return max(terms, key=lambda t: (len(t), weight(t)), default=None)


def missing_fact(subject: str | None, head: str | None, kinds: list[str]) -> str:
    """What the compilation does not state: 生活费补贴的具体金额; 销售收入的比例 and 专业技术人员的学时数 when the
    head names the kind itself."""
    what = kinds_zh(kinds)
    if not subject:
        return what
    if head and (head in _kind_nouns() or kinds[0] in ("hours", "count") and head in subject):
        named = subject if subject.endswith("数") or kinds[0] == "ratio" else subject + "数"
        rest = [k for k in dict.fromkeys(kinds[1:]) if k != kinds[0]]
        return named + (f"及{kinds_zh(rest)}" if rest else "")
    return f"{subject}的{what}"


def subject_phrase(question: str, head: str, context: tuple[str, ...] = ()) -> str:
    """The words of the question naming what the figure is about: the longest known word ending with the head
    (生活费补贴, 社会保险补贴) with the word before a 的 in front of it (销售收入的比例); a bare head (津贴, 奖金)
    takes the longest word of its question sentence (技能大师工作室的津贴)."""
    pos = question.rfind(head)
    if pos < 0:
        return head
    end = pos + len(head)
    words = content_words(question)
    phrase = max((w for w in words if w.endswith(head) and question.rfind(w, 0, end) == end - len(w)), key=len, default=head)
    start = end - len(phrase)
    before = [w for w in words if start > 0 and question[start - 1] == "的" and
              question.rfind(w, 0, start - 1) == start - 1 - len(w)]
    if before:
        return max(before, key=len) + "的" + phrase
    if phrase == head:
        others = [t for t in context if head not in t and t not in head and weight(t) > 0]
        if others:
            return max(others, key=lambda t: (len(t), weight(t))) + "的" + head
    return phrase


def _sentence_with(text: str, words: list[str]) -> str:
    """The sentence of `text` that holds one of `words`, with the next one when it is only a heading ("2. 实行以考代评。");
    the whole text when none does."""
    sents = [s.strip() for s in _SENTENCE.findall(text)]
    for i, sent in enumerate(sents):
        if any(w and w in sent for w in words):
            if len(_squash(sent)) <= 20 and i + 1 < len(sents):
                return sent + sents[i + 1]
            return sent
    return text


def refusal_lines(decision: Decision, *, mention_label: str | None = None, mention_text: str | None = None,
                  covered: list[str] | None = None) -> list[str]:
    """The sentences of a refusal: what the compilation does not contain, what it does say about the subject (the
    clause that mentions it, quoted: "汇编只提到……，没有写明……"), where to ask, and what the compilation covers.

    `mention_label` / `mention_text`: the clause to quote — `retrieved[decision.evidence_rank]` for a figure the
    compilation does not state, the clause holding one of `decision.mentioned_as` for a named topic; None when
    the compilation does not mention the subject."""
    lines: list[str] = []
    if decision.reason == "place" and decision.place:
        place = decision.place
        lines.append(f"抱歉，{COMPILATION}是乌海市的政策汇编，不包含{place}的政策，无法回答{place}的规定。")
        lines.append(f"{place}的政策请咨询{decision.refer or place + '当地的人社部门'}；如想了解乌海市的相应规定，可以直接问乌海的情况。")
    else:
        if decision.reason == "not_stated":
            quote = decision.evidence_sentence or (mention_text or "")
            missing = f"您问的{decision.topic}" if not decision.subject else decision.topic
        else:
            quote = _sentence_with(mention_text, decision.mentioned_as) if mention_text else ""
            missing = f"“{decision.topic}”的具体规定" if decision.topic else "您问的具体内容"
        if mention_label and quote:
            lines.append(f"汇编只提到（{mention_label}）：“{_short_quote(quote)}”，没有写明{missing}。")
            if _cites_other_document(quote):
                lines.append("具体标准以该条所引的文件或现行规定为准。")
        elif decision.reason == "not_stated":
            lines.append(f"抱歉，{COMPILATION}没有写明{missing}。")
        else:
            lines.append(f"抱歉，{COMPILATION}中没有关于{f'“{decision.topic}”' if decision.topic else '这个问题'}的规定，无法据此回答。")
        if decision.refer:
            lines.append(f"建议咨询{decision.refer}。")
    if covered:
        lines.append("本汇编涵盖：" + "、".join(covered) + "。")
    return lines


def _short_quote(text: str, limit: int = 120) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rstrip("，,；;、 ") + "……"


def _cites_other_document(text: str) -> bool:
    return bool(re.search(r"《[^》]+》|〔\d{4}〕\d+号|按(照)?.{0,10}(规定|标准)执行", text))
