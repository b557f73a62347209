"""Loads the policy documents once per process and finds clauses by id or citation label."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from corpus.errors import ClauseNotFoundError, CorpusError
from corpus.model import Clause, Corpus
from corpus.parser import DOCUMENTS_FILE, PACKAGE_DIR, load_errata, load_metadata, parse_sources, source_files

__all__ = ["PACKAGE_DIR", "DOCUMENTS_FILE", "load_corpus", "read_corpus", "find_clause"]


def read_corpus(documents: str | Path | None = None, errata: str | Path | None = None) -> Corpus:
    """Parse the documents listed in a documents.yaml (default: the bundled `corpus/documents.yaml`).

    Each document's `source_file` is read relative to the folder of that documents.yaml (an absolute path also
    works), so a copy of documents.yaml and raw files in a temporary folder is a corpus of its own. Errata come
    from `errata.yaml` next to the documents file (none when there is no such file), or the given path.
    """
    documents_path = Path(documents) if documents else DOCUMENTS_FILE
    metadata = load_metadata(documents_path)
    base = documents_path.resolve().parent
    errata_path = Path(errata) if errata else base / "errata.yaml"
    fixes = load_errata(errata_path) if errata_path.exists() else []
    sources: dict[str, str] = {}
    for name in source_files(metadata):
        path = Path(name) if Path(name).is_absolute() else base / name
        try:
            sources[name] = path.read_text(encoding="utf-8")
        except OSError as err:
            raise CorpusError(f"无法读取政策原文 {path}：{err}。请确认 documents.yaml 的 source_file 与 corpus/raw/ 下的文件一致。") from err
    return parse_sources(sources, metadata, fixes)


@lru_cache(maxsize=4)
def load_corpus(documents: str | None = None) -> Corpus:
    """The corpus of a documents.yaml (default: the bundled one), parsed once per process per path."""
    return read_corpus(documents)


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
