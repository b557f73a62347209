"""The clause tree every other package cites: documents, clauses, tables — and whether a clause is in force."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


@dataclass
class Clause:
    """One numbered unit of a document (章/条/一、/（一）/1./（1）/附件/表格行), with its own text.

    `text` is the clause's own text only (its heading line and body, not its children's);
    `full_text()` adds the descendants, for citing a short clause together with its items.
    """

    id: str
    doc_slug: str
    kind: str  # root | preamble | chapter | article | section | item | point | subpoint | attachment | term
    #            | attachment_list | closing | signature | note | table_row
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
    source_file: str = ""  # the raw file (relative to documents.yaml) the lines are in
    table_header: str | None = None  # table rows: the verbatim lines the row is read under (unit line, header row)

    @property
    def citation_text(self) -> str:
        """The text to quote when citing this clause: its own text, and for a table row the table's header
        lines first ("单位：万元" / "序号\t情形\t金额（万元）"), so a bare "5" keeps its unit. Verbatim either way."""
        if self.table_header:
            return f"{self.table_header}\n{self.text}"
        return self.text


@dataclass
class Table:
    id: str
    doc_slug: str
    title: str
    columns: list[str]
    rows: list[dict[str, str]]
    row_clause_ids: list[str]
    header_lines: list[str] = field(default_factory=list)  # verbatim: a unit line (单位：万元) and the header row


@dataclass(frozen=True)
class Amendment:
    """`by` (a clause of a later document) changes `clause` from `from_date` on (documents.yaml `amends:`).

    `effect` is "amended" (new wording / figures replace the old) or "repealed" (the clause alone is abolished).
    With a `quote`, only that passage is replaced: parameters and rules quoting other parts of the clause still hold.
    """

    clause: str
    by: str
    from_date: date
    effect: str = "amended"
    quote: str = ""  # the passage of `clause` that is replaced ("给予1万元、0.8万元、0.5万元的奖金奖励"); "" = all of it
    note: str = ""


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
    source_file: str = ""
    valid_from: date | None = None  # first day in force (documents.yaml, else the text: 自…起施行 / 印发 + 落款日期)
    valid_from_quote: str | None = None
    valid_until_quote: str | None = None
    signed_on: date | None = None  # the date under the signature (落款), when the text has one
    repealed_on: date | None = None  # first day no longer in force
    repealed_by: str | None = None  # clause id / slug in the corpus, or the repealing document's name
    amends: list[Amendment] = field(default_factory=list)  # what this document changes in other documents
    topic: str = ""  # what it is about, in a few words, for "本汇编涵盖：…" (documents.yaml `topic`)

    @property
    def root_id(self) -> str:
        return self.slug


class Status(StrEnum):
    in_force = "in_force"
    not_yet = "not_yet"  # the document or the clause starts later
    expired = "expired"  # its stated period has ended
    repealed = "repealed"  # abolished by a later document
    amended = "amended"  # replaced from a date by a clause of a later document (`by`)


STATUS_ZH = {Status.in_force: "现行有效", Status.not_yet: "尚未施行", Status.expired: "已到期",
             Status.repealed: "已废止", Status.amended: "已修改"}


@dataclass(frozen=True)
class ClauseStatus:
    """Whether a clause applies on `as_of`, and why (`reason_zh` is one sentence a user can read).

    `since`: the first day of this status (the repeal, amendment or expiry day; for not_yet the start day).
    `by`: the repealing or amending clause id (or the repealing document's name when it is not in the corpus).
    `decided_by`: the clause id or document slug whose date decides; `quote`: the text stating that date — for
    `amended`, the replaced passage (None when the whole clause is replaced).
    """

    clause_id: str
    as_of: date
    status: Status
    reason_zh: str
    since: date | None = None
    by: str | None = None
    decided_by: str | None = None
    quote: str | None = None

    @property
    def in_force(self) -> bool:
        return self.status == Status.in_force

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    def to_dict(self) -> dict:
        return {"clause_id": self.clause_id, "as_of": self.as_of.isoformat(), "status": self.status.value,
                "status_zh": self.status_zh, "reason_zh": self.reason_zh,
                "since": self.since.isoformat() if self.since else None, "by": self.by,
                "decided_by": self.decided_by, "quote": self.quote}


@dataclass
class Corpus:
    documents: list[Document]
    clauses: dict[str, Clause]  # insertion order = document order
    tables: list[Table]
    coverage: dict
    source_sha256: str
    amendments: dict[str, list[Amendment]] = field(default_factory=dict)  # amended clause id -> amendments, by date
    _status_cache: dict = field(default_factory=dict, repr=False, compare=False)

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

    def ancestors(self, clause_id: str) -> list[str]:
        """Parent, grandparent, … up to the document root."""
        out: list[str] = []
        parent = self.clauses[clause_id].parent_id
        while parent and parent in self.clauses:
            out.append(parent)
            parent = self.clauses[parent].parent_id
        return out

    # --- lifecycle ----------------------------------------------------------------------------------
    def in_force(self, clause_id: str, as_of: date) -> ClauseStatus:
        """Status of a clause (or a document, by its slug) on `as_of`: in_force / not_yet / expired / repealed /
        amended, with the reason and the repealing or amending clause. Unknown id: ClauseNotFoundError."""
        key = (clause_id, as_of)
        if key not in self._status_cache:
            if len(self._status_cache) > 200_000:  # a long-running server asked about very many dates
                self._status_cache.clear()
            from corpus.lifecycle import clause_status

            self._status_cache[key] = clause_status(self, clause_id, as_of)
        return self._status_cache[key]

    def amendments_of(self, clause_id: str) -> list[Amendment]:
        """Every amendment of this clause or of an ancestor, by date (the text it had before each is the clause's)."""
        out = [a for cid in [clause_id, *self.ancestors(clause_id)] for a in self.amendments.get(cid, [])]
        return sorted(out, key=lambda a: a.from_date)

    def current_version(self, clause_id: str, as_of: date) -> str:
        """The clause whose text applies on `as_of` in place of `clause_id`: the amending clause (followed through
        later amendments), or `clause_id` itself when it has not been amended by then."""
        seen = {clause_id}
        current = clause_id
        while True:
            status = self.in_force(current, as_of)
            if status.status != Status.amended or not status.by or status.by not in self.clauses or status.by in seen:
                return current
            current = status.by
            seen.add(current)
