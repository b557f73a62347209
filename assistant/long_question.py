"""A long question cut to what it asks before normalisation, slots, retrieval and abstention read it (issue 14 #15).

`indexing.focus` does the cutting; this adds the assistant's own fact words (education, unit type, district,
title level… from lexicon.yaml) to its cues, so a lead-in such as "我是大专毕业的，已经工作满3年了。" stays with
the question it belongs to.
"""

from __future__ import annotations

import functools

from indexing.focus import FOCUS_MAX_CHARS, focus


@functools.lru_cache(maxsize=1)
def _fact_words() -> tuple[str, ...]:
    from assistant.slots import lexicon

    return tuple(sorted({w for table in lexicon().values() for words in table.values() for w in words}))


def focus_question(text: str) -> str:
    """`text` unchanged up to FOCUS_MAX_CHARS characters; else its asking sentences with their lead-in."""
    if len(text) <= FOCUS_MAX_CHARS:
        return text
    return focus(text, extra_cues=_fact_words())
