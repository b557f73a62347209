"""Loads the vendored compilation once per process and finds clauses by id or citation label."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from corpus.errors import ClauseNotFoundError, CorpusError
from corpus.model import Clause, Corpus
from corpus.parser import PACKAGE_DIR, load_errata, load_metadata, parse_corpus


@lru_cache(maxsize=4)
def load_corpus(raw_path: str | None = None) -> Corpus:
    """Parse the bundled compilation (or another file with the same documents.yaml layout)."""
    metadata = load_metadata()
    path = Path(raw_path) if raw_path else PACKAGE_DIR / metadata["source_file"]
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CorpusError(f"无法读取政策原文 {path}：{err}。请确认 corpus/raw/ 下的文件完整。") from err
    return parse_corpus(raw, metadata, load_errata())


def _squash(text: str) -> str:
    return re.sub(r"[\s《》“”\"'（）()、，,.。]", "", text)


def find_clause(corpus: Corpus, key: str) -> Clause:
    """A clause by exact id, or by citation label (full, or unique suffix such as "第十八条")."""
    key = key.strip()
    if key in corpus.clauses:
        return corpus.clauses[key]
    squashed = _squash(key)
    if squashed:
        exact = [c for c in corpus.clauses.values() if _squash(c.label) == squashed]
        if len(exact) == 1:
            return exact[0]
        suffix = [c for c in corpus.clauses.values() if _squash(c.label).endswith(squashed)]
        if len(suffix) == 1:
            return suffix[0]
        if len(suffix) > 1:
            raise ClauseNotFoundError(key, [f"{c.id}（{c.label}）" for c in suffix[:8]], ambiguous=True)
    candidates = list(corpus.clauses) + [c.label for c in corpus.clauses.values()]
    close = difflib.get_close_matches(key, candidates, n=5, cutoff=0.4)
    raise ClauseNotFoundError(key, close)
