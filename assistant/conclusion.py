"""The contract's `conclusion`: one sentence a citizen reads first — the verdict or the figure, or why there is none.

Built from the answer text the composer wrote (its 结论 line, else its first line), so that it never says anything the
answer does not: API users and the web card show the same words.
"""

from __future__ import annotations

import re

_LABEL = re.compile(r"^(结论|根据政策原文)：")
_SENTENCE_END = re.compile(r"[。！？]")
MAX_CHARS = 240
BARE_VERDICT = 6  # characters of a verdict without its reason (不能。/ 可以。/ 现在还不行。)


def refusal_conclusion(line: str) -> str:
    """'汇编只提到（…）：“…”，没有写明X。' -> '汇编没有写明X。' (the quote itself is shown as the source)."""
    cut = line.find("没有写明")
    if line.startswith("汇编只提到") and cut > 0:
        return "汇编" + line[cut:]
    return line


def conclusion_of(answer: str, status: str) -> str:
    """The first sentence of the answer's 结论 line (or of its first line), without its label."""
    lines = [ln.strip() for ln in (answer or "").splitlines() if ln.strip()]
    if not lines:
        return ""
    first = next((ln for ln in lines if ln.startswith("结论：")), lines[0])
    if status == "out_of_scope":
        first = refusal_conclusion(first)
    text = _LABEL.sub("", first)
    end = _SENTENCE_END.search(text)
    if end and end.end() <= BARE_VERDICT:  # "不能。" alone says too little: the reason follows
        end = _SENTENCE_END.search(text, end.end()) or end
    sentence = text[: end.end()] if end else text
    if len(sentence) > MAX_CHARS:
        sentence = sentence[:MAX_CHARS].rstrip("，,；;、") + "…"
    return sentence
