"""The clause tree every other package cites: documents, clauses, tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Clause:
    """One numbered unit of a document (章/条/一、/（一）/1./（1）/附件/表格行), with its own text.

    `text` is the clause's own text only (its heading line and body, not its children's);
    `full_text()` adds the descendants, for citing a short clause together with its items.
    """

    id: str
    doc_slug: str
    kind: str  # root | preamble | chapter | article | section | item | point | subpoint | attachment | term
    #            | attachment_list | closing | table_row
    number: str  # the numbering token as printed, e.g. "第十八条", "五、", "（八）", "1."
    title: str  # heading words when the clause has a heading ("考核认定"), else ""
    text: str
    label: str  # citation label, e.g. 《乌海市职业技能竞赛管理办法（试行）》第十八条
    path: list[str] = field(default_factory=list)  # heading path from the document down
    parent_id: str | None = None
    children: list[str] = field(default_factory=list)
    is_form: bool = False
    form_fields: list[str] = field(default_factory=list)
    row: dict[str, str] | None = None  # structured cells for table rows
    valid_from: date | None = None
    valid_until: date | None = None  # exclusive end, from a dated phrase in the text
    validity_quote: str | None = None
    source_lines: tuple[int, int] = (0, 0)  # 1-based inclusive line range in the raw file


@dataclass
class Table:
    id: str
    doc_slug: str
    title: str
    columns: list[str]
    rows: list[dict[str, str]]
    row_clause_ids: list[str]


@dataclass
class Document:
    slug: str
    title: str
    short_title: str
    section: str
    style: str
    issuer: str | None
    doc_number: str | None
    effective: dict
    valid_until: date | None
    period: dict | None
    validity_notes: list[str]
    clause_ids: list[str] = field(default_factory=list)  # document order

    @property
    def root_id(self) -> str:
        return self.slug


@dataclass
class Corpus:
    documents: list[Document]
    clauses: dict[str, Clause]  # insertion order = document order
    tables: list[Table]
    coverage: dict
    source_sha256: str

    def clause(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def document(self, slug: str) -> Document:
        for doc in self.documents:
            if doc.slug == slug:
                return doc
        raise KeyError(slug)

    def full_text(self, clause_id: str) -> str:
        """The clause's text followed by all its descendants' texts, in document order."""
        clause = self.clauses[clause_id]
        parts = [clause.text]
        for child in clause.children:
            parts.append(self.full_text(child))
        return "\n".join(p for p in parts if p)

    def descendants(self, clause_id: str) -> list[str]:
        out: list[str] = []
        for child in self.clauses[clause_id].children:
            out.append(child)
            out.extend(self.descendants(child))
        return out
