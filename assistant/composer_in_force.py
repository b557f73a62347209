"""In force on the as-of date: an answer quotes the text that applies that day, and says so whenever it cites one
that does not (issue 13). Amended clauses give way to the amending clause, clauses not yet in force are demoted and
not quoted, repealed ones stay (history may be asked) but are flagged in the 依据 line and in the warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from assistant.composer_candidates import Candidate
from assistant.composer_format import _quote
from corpus.lifecycle import zh_date
from corpus.model import Corpus, Status

ELISION = "……"  # stands for an amended passage in the text that may still be quoted
BEFORE_QUOTE = 60  # the superseded wording shown after the amending clause, cut to about this many characters


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def without_passage(text: str, passage: str | None) -> str:
    """The clause text with the amended passage elided ("" when the whole clause is replaced or the passage cannot
    be located: then nothing of it may be quoted as current)."""
    if not passage:
        return ""
    if passage in text:
        return text.replace(passage, ELISION)
    # the passage may be broken across lines in the raw text: match it whitespace-insensitively
    pattern = r"\s*".join(re.escape(ch) for ch in _squash(passage))
    out, n = re.subn(pattern, ELISION, text)
    return out if n else ""


def _flag(cand: Candidate, status: str, note: str, quotable: str) -> Candidate:
    cand.source_text = cand.source_text or cand.text
    cand.status, cand.status_note, cand.text = status, note, quotable
    return cand


def apply_in_force(candidates: list[Candidate], corpus: Corpus, as_of: date,
                   make: Callable[[str], Candidate]) -> list[Candidate]:
    """The candidates as they apply on `as_of`, best first.

    - amended: the amending clause (`Corpus.current_version`) takes the amended clause's place, with the superseded
      wording as "（2024年7月1日前为“…”）"; the amended clause follows with only its unchanged passages quotable;
    - not yet in force: moved after the clauses that apply, nothing of it quotable;
    - repealed: kept in place, flagged (its text can answer "what did it say", never as current).
    `make(clause_id)` builds a candidate for a clause that was not among them.
    """
    by_id = {c.clause_id: c for c in candidates}
    applies: list[Candidate] = []
    later: list[Candidate] = []
    for cand in candidates:
        if cand.clause_id not in corpus.clauses or cand.status:
            applies.append(cand)
            continue
        status = corpus.in_force(cand.clause_id, as_of)
        if status.status == Status.amended:
            original = cand.text
            current = corpus.current_version(cand.clause_id, as_of)
            if current != cand.clause_id and current in corpus.clauses:
                new = by_id.get(current) or make(current)
                by_id[current] = new
                new.score = max(new.score, cand.score)
                if cand.retrieval_rank is not None:
                    new.retrieval_rank = min(x for x in (new.retrieval_rank, cand.retrieval_rank) if x is not None)
                if not new.before_note and status.since:
                    new.before_note = f"（{zh_date(status.since)}前为“{_quote(status.quote or original, BEFORE_QUOTE)}”）"
                applies.append(new)
            rest = without_passage(original, status.quote)
            (applies if rest else later).append(_flag(cand, "amended", status.reason_zh, rest))
        elif status.status == Status.not_yet:
            later.append(_flag(cand, "not_yet", status.reason_zh, ""))
        elif status.status == Status.repealed:
            applies.append(_flag(cand, "repealed", status.reason_zh, cand.text))
        else:
            applies.append(cand)
    out: list[Candidate] = []
    for cand in applies + later:  # an amending clause already among the candidates keeps its first place
        if all(c.clause_id != cand.clause_id for c in out):
            out.append(cand)
    return out


def status_warnings(cited: list[Candidate]) -> list[str]:
    """One warning per reason among the cited clauses that do not apply as they read (a repealed document once)."""
    return list(dict.fromkeys(c.status_note for c in cited if c.status and c.status_note))


def basis_marker(cand: Candidate) -> str:
    """What the 依据 line says after the label of a clause that does not apply as it reads."""
    return {"repealed": "【已废止】", "not_yet": "【尚未施行】", "amended": "【已修改】"}.get(cand.status, "")
