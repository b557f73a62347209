"""A long question cut to what it asks, once, before any stage reads it (issue 14 #15: 2,000 characters took 2.5–4.5 s).

A citizen's message is often a story with the question at the end. Normalisation, slot extraction, BM25
tokenisation and abstention all cost time in proportion to the text, and the story's words pull retrieval and
abstention towards unrelated clauses (a child starting school made "技能大赛金奖奖金多少" a question about 子女入学).
`focus` keeps the last run of asking sentences and the one sentence right before it if that tersely states a fact
(a policy term and a number: "我是大专毕业的，已经工作满3年了。请问能认定助理级职称吗？"). The rest of the story is dropped: whose
fact a sentence states (mine, my wife's) cannot be told reliably, so a fact needed and not in the lead-in is asked
for (needs_more_info) rather than guessed. A question up to FOCUS_MAX_CHARS is returned unchanged.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

FOCUS_MAX_CHARS = 240  # at most this much reaches normalisation, slots, BM25 and abstention (~30 ms on 2 cores)
ASKING_MAX_SENTENCES = 3  # a question may take several sentences: 聘期一般是几年？能不能延长？
LEAD_IN_SENTENCES = 1  # the sentence right before the question may belong to it (2 took in story: 我爱人是…区的)
LEAD_IN_SCORE = 3  # ... when it names a policy term and a number (see _score)
LEAD_IN_MAX_CHARS = 30  # ... tersely: a story's long sentences (我爱人是乌达区的，她在一所小学当老师，…) are not kept

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
# focus runs before normalisation: traditional forms (嗎 幾 麼 請問) are listed too
ASKING = re.compile(r"[？?]|[吗嗎]|多少|[几幾]|怎[么麼]|如何|能否|是否|可否|哪|[什甚][么麼]|[请請][问問]|想[问問]")
# a number with what it counts: digits (any script), Chinese numerals before a unit, 第N名, 百分之N
QUANTITY = re.compile(r"\d|[零〇一二两三四五六七八九十百千万壹贰貳叁肆伍陆柒捌玖拾佰仟]+\s*(?:年|个|名|岁|周岁|月|人|元|块|万|千|次|项|级|天|小时|课时|届|期|批|家|枚|倍|成)"
                      r"|第[零〇一二两三四五六七八九十]+|百分之")


def sentences(text: str) -> list[str]:
    """The text split after each sentence end (。！？；, newline), blank pieces dropped."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


@functools.lru_cache(maxsize=8)
def _cue_pattern(extra: tuple[str, ...]) -> re.Pattern[str] | None:
    from indexing.tokenizer import DOMAIN_TERMS_FILE, _read_lines, corpus_terms, synonym_map

    words = {line.split()[0] for line in _read_lines(DOMAIN_TERMS_FILE)} | set(corpus_terms()) | set(synonym_map()) | set(extra)
    words = {w for w in words if len(w) >= 2}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))) if words else None


def _score(sentence: str, cues: re.Pattern[str] | None) -> int:
    """How much a sentence states that could change the answer: the policy terms it names, plus 2 for a number."""
    terms = len(set(cues.findall(sentence))) if cues else 0
    return terms + (2 if QUANTITY.search(sentence) else 0)


def focus(text: str, extra_cues: Iterable[str] = (), max_chars: int = FOCUS_MAX_CHARS) -> str:
    """`text` if it is at most `max_chars` long; else its last asking sentences with their lead-in (see the module).

    `extra_cues`: more policy terms than the index's own (the assistant adds its slot lexicon: 本科, 事业单位…).
    """
    if max_chars <= 0:
        raise ValueError(f"max_chars must be > 0, got {max_chars}")
    if len(text) <= max_chars:
        return text
    parts = sentences(text)
    asking = [i for i, s in enumerate(parts) if ASKING.search(s)]
    end = asking[-1] if asking else len(parts) - 1
    if len(parts[end]) > max_chars:  # one sentence longer than the budget: its end is what asks
        return parts[end][-max_chars:]
    keep, used = [end], len(parts[end])
    while keep[0] - 1 in asking and len(keep) < ASKING_MAX_SENTENCES and used + len(parts[keep[0] - 1]) <= max_chars:
        keep.insert(0, keep[0] - 1)
        used += len(parts[keep[0]])
    for i in range(end + 1, len(parts)):  # a short closing line after the question (谢谢！)
        if len(parts[i]) <= 30 and used + len(parts[i]) <= max_chars:
            keep.append(i)
            used += len(parts[i])
    cues = _cue_pattern(tuple(sorted(set(extra_cues))))
    for _ in range(LEAD_IN_SENTENCES):
        lead = keep[0] - 1
        if (lead < 0 or len(parts[lead]) > LEAD_IN_MAX_CHARS or used + len(parts[lead]) > max_chars
                or _score(parts[lead], cues) < LEAD_IN_SCORE):
            break
        keep.insert(0, lead)
        used += len(parts[lead])
    return "".join(parts[i] for i in keep)
