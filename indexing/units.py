"""Retrieval units cut along the clause tree, and the naive fixed-size chunks of the baseline.

A unit is what BM25 and the embedder see (`context`: document short title + heading path;
`match_body`: the text) and what the assistant cites (`text`: the clause's own words, verbatim).
Units follow the clause tree: one clause; or a small subtree when all its children are short list
items that mean nothing alone; a long clause split at sentence ends; a table row with its column
headers.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass

from corpus.model import Clause, Corpus

# Bump when the way units are cut or the match text is assembled changes: the index is rebuilt.
UNIT_BUILDER_VERSION = "5"

MERGE_MAX_CHARS = 300  # a subtree becomes one unit when all of it fits in this many characters ...
MERGE_CHILD_MAX_CHARS = 100  # ... and every descendant is a short item
SPLIT_OVER_CHARS = 420  # a clause longer than this is split at sentence ends ...
SPLIT_TARGET_CHARS = 300  # ... into parts of about this size
CONTEXT_SNIPPET_CHARS = 40  # untitled ancestors contribute their first words as context

_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])|\n")
_HEADING_NOISE = re.compile(r"[\s\d一二三四五六七八九十百第条章节（）()、.．:：。]")


@dataclass(frozen=True)
class RetrievalUnit:
    unit_id: str  # clause id; "<clause id>#<n>" for the n-th part of a split clause
    clause_id: str
    kind: str  # clause | subtree | part | table_row | naive
    label: str
    document: str  # full document title
    doc_slug: str
    text: str  # citation text, verbatim from the corpus
    match_body: str  # the unit's own words as matched (a table row spelled "column：value")
    context: str = ""  # document short title + heading path ("" for naive chunks)

    @property
    def match_text(self) -> str:
        """What BM25 and a reranker see: the context line, then the body."""
        return f"{self.context}\n{self.match_body}" if self.context else self.match_body

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.match_text.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        return asdict(self)


def _is_heading_only(clause: Clause) -> bool:
    """True when the clause's own text is just its number and heading ("（二）特设岗位设置")."""
    rest = clause.text
    if clause.title:
        rest = rest.replace(clause.title, "", 1)
    return len(_HEADING_NOISE.sub("", rest)) <= 1


def _snippet(clause: Clause) -> str:
    if clause.title:
        return clause.title
    first = _SENTENCE_END.split(clause.text.strip(), maxsplit=1)[0]
    return first[:CONTEXT_SNIPPET_CHARS]


def _context(corpus: Corpus, clause: Clause) -> str:
    """Document short title + the heading (or first words) of every ancestor below the document root."""
    doc = corpus.document(clause.doc_slug)
    parts = [doc.short_title]
    ancestors: list[Clause] = []
    parent_id = clause.parent_id
    while parent_id is not None:
        parent = corpus.clauses[parent_id]
        if parent.kind != "root":
            ancestors.append(parent)
        parent_id = parent.parent_id
    parts.extend(_snippet(a) for a in reversed(ancestors))
    return " > ".join(p for p in parts if p)


def split_sentences(text: str, target: int = SPLIT_TARGET_CHARS) -> list[str]:
    """Verbatim parts of `text`, cut only after sentence ends or line breaks, each about `target` characters."""
    pieces = [p for p in _SENTENCE_END.split(text) if p]
    parts: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) > target:
            parts.append(current)
            current = ""
        current += piece
    if current:
        parts.append(current)
    # a trailing scrap joins the part before it, so no unit is a lone half-sentence
    if len(parts) > 1 and len(parts[-1].strip()) < target // 4:
        parts[-2] += parts.pop()
    return [p.strip() for p in parts if p.strip()]


def _descendants(corpus: Corpus, clause_id: str) -> list[Clause]:
    return [corpus.clauses[c] for c in corpus.descendants(clause_id)]


def _mergeable(corpus: Corpus, clause: Clause) -> bool:
    if not clause.children:
        return False
    descendants = _descendants(corpus, clause.id)
    if any(d.kind == "table_row" for d in descendants):
        return False
    if any(len(d.text) > MERGE_CHILD_MAX_CHARS for d in descendants):
        return False
    return len(corpus.full_text(clause.id)) <= MERGE_MAX_CHARS


def _row_match_text(clause: Clause) -> str:
    cells = clause.row or {}
    return "；".join(f"{column}：{value}" for column, value in cells.items() if value) or clause.text


def build_units(corpus: Corpus) -> list[RetrievalUnit]:
    """All retrieval units of the corpus, in document order."""
    units: list[RetrievalUnit] = []

    def emit(clause: Clause, kind: str, text: str, unit_id: str, match_body: str | None = None) -> None:
        doc = corpus.document(clause.doc_slug)
        context = _context(corpus, clause)
        units.append(RetrievalUnit(
            unit_id=unit_id, clause_id=clause.id, kind=kind, label=clause.label, document=doc.title,
            doc_slug=clause.doc_slug, text=text, match_body=match_body or text, context=context,
        ))

    def visit(clause_id: str) -> None:
        clause = corpus.clauses[clause_id]
        if clause.kind == "root":
            for child in clause.children:
                visit(child)
            return
        if clause.kind == "table_row":
            emit(clause, "table_row", clause.text.strip(), clause.id, _row_match_text(clause))
            return
        if _mergeable(corpus, clause):
            emit(clause, "subtree", corpus.full_text(clause.id).strip(), clause.id)
            return
        text = clause.text.strip()
        if text and not (clause.children and _is_heading_only(clause)):
            if len(text) > SPLIT_OVER_CHARS:
                for n, part in enumerate(split_sentences(text), start=1):
                    emit(clause, "part", part, f"{clause.id}#{n}")
            else:
                emit(clause, "clause", text, clause.id)
        for child in clause.children:
            visit(child)

    for doc in corpus.documents:
        visit(doc.root_id)
    return units


def naive_chunks(corpus: Corpus, chunk_size: int = 250, chunk_overlap: int = 50) -> list[RetrievalUnit]:
    """The baseline: RecursiveCharacterTextSplitter over the raw compilation, blind to the clause tree."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from corpus.parser import PACKAGE_DIR as CORPUS_DIR

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    starts = sorted((corpus.clauses[d.root_id].source_lines[0], d) for d in corpus.documents)
    units: list[RetrievalUnit] = []
    for raw_file in sorted((CORPUS_DIR / "raw").glob("*.txt")):
        raw = raw_file.read_text(encoding="utf-8")
        cursor = 0
        for chunk in splitter.split_text(raw):
            found = raw.find(chunk, max(0, cursor - chunk_size))
            offset = found if found >= 0 else cursor
            cursor = offset + len(chunk)
            line = raw.count("\n", 0, offset) + 1
            doc = starts[0][1]
            for start, candidate in starts:
                if start <= line:
                    doc = candidate
            n = len(units) + 1
            units.append(RetrievalUnit(
                unit_id=f"naive/{n}", clause_id=f"naive/{n}", kind="naive", label=f"片段{n}",
                document=doc.title, doc_slug=doc.slug, text=chunk, match_body=chunk,
            ))
    return units
