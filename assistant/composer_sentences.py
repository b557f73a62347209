"""Sentence choice: which sentences of the candidate clauses answer the question (word overlap + the kind of fact
asked for). Kept apart from formatting so that `assistant.direct` and the ranker share one scoring."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.composer_candidates import Candidate

_SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_QUESTION_FILLER = re.compile(r"请问|我想知道|想问一下|想问|我们|我|你们|你|吗|呢|吧|啊|呀|能不能|可不可以|是不是|有没有|怎么|什么|哪些|哪个|多少|几")


# What kind of fact a question asks for, and how a sentence that states such a fact looks. A sentence of the asked
# kind is preferred when quoting (a money question is answered by the sentence with the amount, not by the one
# that only names the subsidy).
KIND_BONUS = 0.25


def expand_coordinated(text: str) -> str:
    """"中、初级" means 中级 and 初级, "金、银、铜奖" 金奖, 银奖 and 铜奖: spelled out so that the asked word matches."""
    from indexing.coordination import expand_coordination

    return expand_coordination(text)


def bigrams(text: str) -> set[str]:
    t = _PUNCT.sub("", expand_coordinated(text))
    return {t[i:i + 2] for i in range(len(t) - 1)}


@lru_cache(maxsize=512)
def _question_grams(question: str) -> frozenset[str]:
    grams = bigrams(_QUESTION_FILLER.sub(" ", question))
    try:  # the domain synonyms of the tokenizer (老师 -> 教师, 评副高 -> 副高级 职称评审): the clause's own words
        from indexing.tokenizer import tokenize

        extra = [t for t in tokenize(question) if t not in question]
    except Exception:  # the tokenizer is optional here: plain bigrams still work
        extra = []
    for word in extra:
        grams |= bigrams(word)
    return frozenset(grams)


def question_bigrams(question: str) -> set[str]:
    return set(_question_grams(question))


def overlap(question_grams: set[str], text: str) -> float:
    if not question_grams:
        return 0.0
    return len(question_grams & bigrams(text)) / len(question_grams)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(_PUNCT.sub("", s)) >= 2]


def answer_kinds(question: str) -> list[str]:
    """The kinds of fact a question asks for (money, ratio, duration, date, count, contact …; indexing/answer_types.yaml)."""
    from indexing.answer_type import asked_types

    return asked_types(question)


_SUBQUESTION = re.compile(r"[^？?！!。；;]+[？?！!。；;]?")
SUBQUESTION_WEIGHT = 0.8


@lru_cache(maxsize=512)
def subquestion_grams(question: str) -> tuple[frozenset[str], ...]:
    """Bigrams of each part of a multi-part question ("能破格吗？评上后没有岗位怎么办？"), parts of 6+ characters."""
    parts = [p for p in _SUBQUESTION.findall(question) if len(_PUNCT.sub("", p)) >= 6]
    if len(parts) < 2:
        return ()
    return tuple(frozenset(question_bigrams(p)) for p in parts)


def states(sentence: str, kinds: list[str]) -> bool:
    from indexing.answer_type import states as states_kind

    return states_kind(sentence, kinds)


def sentence_score(grams: set[str], kinds: list[str], sentence: str, *, table_row: bool = False,
                   parts: tuple[frozenset[str], ...] = ()) -> float:
    """Word overlap with the question (or with one part of a multi-part question, slightly discounted), plus a bonus
    when the sentence states the kind of fact asked for."""
    s = overlap(grams, sentence)
    for part in parts:
        s = max(s, SUBQUESTION_WEIGHT * overlap(set(part), sentence))
    for kind in kinds:
        if states(sentence, [kind]) or (kind == "contact" and table_row):
            s += KIND_BONUS
            break
    if len(_PUNCT.sub("", sentence)) <= 8:  # headings such as "（二）特设岗位设置"
        s -= 0.3
    return s


def _scored_sentences(question: str, candidates: list[Candidate], max_clauses: int, extra: str = "") -> list[tuple[float, int, int, str, str]]:
    grams = question_bigrams(question)
    if extra:
        grams = grams | bigrams(extra)
    kinds = answer_kinds(question)
    parts = subquestion_grams(question)
    scored: list[tuple[float, int, int, str, str]] = []
    for ci, cand in enumerate(candidates[:max_clauses]):
        for si, sent in enumerate(split_sentences(cand.text)):
            s = sentence_score(grams, kinds, sent, table_row=cand.kind == "table_row", parts=parts) - 0.04 * ci  # ties: better clause
            scored.append((s, ci, si, cand.clause_id, sent))
    return scored


def pick_sentences(question: str, candidates: list[Candidate], max_sentences: int = 3, max_clauses: int = 3,
                   extra: str = "") -> list[tuple[str, str]]:
    """(clause_id, sentence) pairs that answer the question, from the best clauses, in citation order.

    `extra` (a tool's summary) adds its words to the question's, so that the quoted sentence is the one the tool applied.
    """
    scored = _scored_sentences(question, candidates, max_clauses, extra)
    if not scored:
        return []
    best = max(scored)[0]
    chosen = [x for x in scored if x[0] >= max(0.7 * best, best - 0.2) and x[0] > 0]
    chosen.sort(key=lambda x: -x[0])
    chosen = chosen[:max_sentences]
    if not any(x[1] == 0 for x in chosen):  # always say what the top clause says
        top = [x for x in scored if x[1] == 0]
        if top:
            chosen.append(max(top))
    # each part of a multi-part question ("中级几号截止？中小学老师的呢？") gets its own best sentence
    kinds = answer_kinds(question)
    for part in subquestion_grams(question):
        best_for_part = max(scored, key=lambda x: sentence_score(set(part), kinds, x[4]) - 0.04 * x[1])
        if best_for_part not in chosen and sentence_score(set(part), kinds, best_for_part[4]) > 0:
            chosen.append(best_for_part)
    chosen.sort(key=lambda x: (x[1], x[2]))
    return [(x[3], x[4]) for x in chosen]


def best_sentence(question: str, cand: Candidate) -> tuple[float, str]:
    scored = _scored_sentences(question, [cand], 1)
    if not scored:
        return 0.0, ""
    top = max(scored)
    return top[0], top[4]

