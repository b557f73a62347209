"""Turns the compilation text into documents and clause trees, so every answer can cite a clause.

The raw file is a PDF-to-text conversion: markdown bullets, bold markers and HTML tags are
markup and are stripped; a paragraph split by a page break is joined again; everything else
stays verbatim. Each source line belongs to exactly one clause, which `coverage` proves.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from corpus.errors import CorpusError
from corpus.model import Clause, Corpus, Document, Table
from corpus.numerals import cn_to_int

CN = "一二三四五六七八九十百零〇两"
_TAG_RE = re.compile(r"</?(?:p|input|br|span|div|table|tbody|thead|tr|td|th)\b[^<>\n]*>")
_BOLD_RE = re.compile(r"\*\*")
_BOLD_SPAN_RE = re.compile(r"\*\*(.+?)\*\*")
_BULLET_RE = re.compile(r"^\s*-\s+")

# (kind, regex); the numbering token is group 1, the rest of the line group 2.
_CHAPTER_RE = re.compile(rf"^(第[{CN}]+章)\s*(.*)$")
_ARTICLE_RE = re.compile(rf"^(第[{CN}]+条)\s*(.*)$")
_SECTION_RE = re.compile(rf"^([{CN}]+、)\s*(.*)$")
_ITEM_RE = re.compile(rf"^([（(]\s*[{CN}]+\s*[）)])\s*(.*)$")
_POINT_RE = re.compile(r"^(\d{1,2}\s*[.．](?!\d)|\d{1,2}、)\s*(.*)$")
_SUBPOINT_RE = re.compile(r"^([（(]\s*\d{1,2}\s*[）)])\s*(.*)$")
_ATTACHMENT_MARK_RE = re.compile(r"^附件\s*(\d*)$")
_ATTACHMENT_LIST_RE = re.compile(r"^附件\s*[:：]")
_NOTE_RE = re.compile(r"^(其他说明事项|说明|备注|注)[。：:]")
_CLOSING_RE = re.compile(r"^本(实施意见|意见|通知|方案|办法|规定)自.{0,20}(施行|执行)")

LEVELS = {
    "articles": {"chapter": 0, "article": 1, "item": 2, "point": 3, "subpoint": 4},
    "sections": {"section": 1, "item": 2, "point": 3, "subpoint": 4},
}
_ID_PREFIX = {"chapter": "ch", "article": "a", "section": "s", "item": "p", "point": "i", "subpoint": "n"}
_TERMINAL = "。；！？"
_LEAF = 99.0  # level of unnumbered clauses (序言, 附则, 附件目录, 注): any heading closes them
_GLOSSARY_TERM_RE = re.compile(r"^([^，。：:\t]{2,24})[：:]")
_JOINING = "，、（(“《—"

_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
# "截至2025年12月31日", "有效期至2026年12月31日", "执行至…"; ranges "自…至…", "有效期为…至…"
_UNTIL_RE = re.compile(rf"(?:截至|有效期至|有效期限至|有效期到|执行至|施行至|实施至)\s*{_DATE}")
_RANGE_RE = re.compile(rf"(?:自|有效期为|有效期自|有效期限为|实施期为|执行期为)\s*{_DATE}\s*(?:起)?\s*至\s*{_DATE}")
# a line that is only a date: the date under a signature (落款), never glued to the line before
_DATE_LINE_RE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
                           r"\s*([\d一二三四五六七八九十]{1,3})\s*日\s*$")
# a signature line: an issuing body's name, no punctuation (乌海市人力资源和社会保障局)
_SIGNER_RE = re.compile(r"^[\u4e00-\u9fff（）()·]{2,40}$")
# the heading of a numbered clause that holds the document's own dates ("三、施行时间", "第七章 附则")
_DATES_HEADING_RE = re.compile(r"施行|生效|实施时间|执行时间|执行期限|有效期|附则")
# a form to fill in, by its content: blanks, seals, signatures, dates left open
_FORM_MARK_RE = re.compile(r"_{3,}|盖章|签字|签名|填表说明|填报日期|报表日期|填报单位|报送单位|年\s+月\s+日|□")
# a table's unit line ("单位：万元", "（金额单位：元）")
_UNIT_LINE_RE = re.compile(r"^[（(]?\s*(?:金额)?单位\s*[:：]\s*([^\t]{1,12}?)\s*[）)]?$")


@dataclass
class _Line:
    no: int  # 1-based line number in the raw file
    text: str  # cleaned (markup stripped, errata applied), not stripped of inner spaces
    bold: str = ""  # the first **bold** span of the raw line: an inline heading in the 扶持清单


@dataclass
class _Node:
    clause: Clause
    level: float
    lines: list[_Line] = field(default_factory=list)
    heading_only: bool = False


def clean_line(raw: str, errata: list[dict]) -> str:
    """Strip conversion markup (HTML tags, markdown bullets and bold) and apply the errata list."""
    text = _TAG_RE.sub(" ", raw)
    text = _BULLET_RE.sub("", text)
    text = _BOLD_RE.sub("", text)
    for fix in errata:
        text = text.replace(fix["original"], fix["corrected"])
    return text.rstrip()


def _bold_span(raw: str) -> str:
    m = _BOLD_SPAN_RE.search(raw)
    return m.group(1).strip().rstrip("。") if m else ""


def nonspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _to_date(y: str, m: str, d: str) -> date:
    return date(int(y), int(m), int(d))


def extract_validity(text: str) -> tuple[date | None, date | None, str | None]:
    """Dated phrases in a clause: "截至2025年12月31日", "自2021年4月1日至2022年12月31日".

    Returns (valid_from, valid_until exclusive, quote); the latest end wins when several appear.
    """
    flat = nonspace(text)
    best: tuple[date | None, date | None, str | None] = (None, None, None)
    for m in _RANGE_RE.finditer(flat):
        start, end = _to_date(*m.group(1, 2, 3)), _to_date(*m.group(4, 5, 6)) + timedelta(days=1)
        if best[1] is None or end > best[1]:
            best = (start, end, m.group(0))
    for m in _UNTIL_RE.finditer(flat):
        end = _to_date(*m.group(1, 2, 3)) + timedelta(days=1)
        if best[1] is None or end > best[1]:
            clause_start = max(flat.rfind(p, 0, m.start()) for p in "，。；") + 1
            context = flat[clause_start: m.end()]
            best = (None, end, context)
    return best


def _number_value(token: str) -> int:
    digits = re.sub(r"[^0-9" + CN + "]", "", token.replace("第", "").replace("章", "").replace("条", ""))
    if digits.isdigit():
        return int(digits)
    return cn_to_int(digits)


def _normalise_token(kind: str, token: str) -> str:
    token = re.sub(r"\s+", "", token)
    if kind in ("item", "subpoint"):
        return "（" + token.strip("（()）") + "）"
    if kind == "point":
        return token.rstrip(".．、") + "."
    return token


def _heading_title(rest: str) -> tuple[str, bool]:
    """(title, heading_only): a short line with no sentence end is a heading; else a short first
    sentence ("“岗位调剂”。根据…", "加强组织领导。…") is an inline heading."""
    rest = rest.strip()
    if not rest:
        return "", True
    # a heading has no sentence punctuation inside; "高级…申报工作；中、初级职" is a sentence cut by a page break
    if not re.search(r"[。；;，,]", rest) and len(rest) <= 40 and rest[-1] not in "：:、" and "\t" not in rest:
        return rest, True
    first = rest.split("。", 1)[0]
    if "。" in rest and len(first) <= 20 and "，" not in first:
        return first, False
    return "", False


class _DocumentParser:
    """Builds one document's clause tree from its cleaned lines."""

    def __init__(self, meta: dict, data_tables: list[dict], source_file: str = ""):
        self.meta = meta
        self.source_file = source_file
        self.slug = meta["slug"]
        self.style = meta["style"]
        if self.style not in LEVELS:
            raise CorpusError(f"文件 {self.slug} 的 style 必须是 articles 或 sections，而不是 {self.style!r}")
        self.levels = LEVELS[self.style]
        self.attachment_titles = list(meta.get("attachment_titles") or [])
        own_tables = [{**t, "document": self.slug} for t in meta.get("data_tables") or []]  # per-document form
        self.data_tables = {t["attachment"]: t for t in [*data_tables, *own_tables] if t["document"] == self.slug}
        self.nodes: list[_Node] = []
        self.stack: list[_Node] = []
        self.ids: set[str] = set()
        self.attachment_count = 0
        self.glossary_titles = set(meta.get("glossary_attachments") or [])
        self.term_count = 0
        self.tables: list[Table] = []
        self._table: Table | None = None
        self._table_spec: dict | None = None
        self._in_attachment_list = False
        self._text_after_table = False  # plain text after a data table becomes its own note clause
        self._awaiting_attachment_title: _Node | None = None
        self._table_holders: set[str] = set()  # attachments whose tab lines are a data table (rows are clauses)
        self._body: list[_Line] = []
        self._pos = 0
        self.signed_on: date | None = None  # the date under the signature (落款)

    # --- tree helpers -------------------------------------------------------------------------
    def _new(self, kind: str, segment: str, number: str, title: str, level: float,
             parent: _Node | None, heading_only: bool = False) -> _Node:
        base = f"{parent.clause.id}/{segment}" if parent and parent.clause.kind != "root" else (
            f"{self.slug}/{segment}" if parent else self.slug)
        if kind == "article":
            base = f"{self.slug}/{segment}"
        clause_id, n = base, 2
        while clause_id in self.ids:
            clause_id, n = f"{base}-{n}", n + 1
        self.ids.add(clause_id)
        path = (parent.clause.path + [parent.clause.title or parent.clause.number]) if parent else []
        if parent and parent.clause.kind == "root":
            path = [self.meta["short_title"]]
        clause = Clause(id=clause_id, doc_slug=self.slug, kind=kind, number=number, title=title, text="",
                        label="", path=[p for p in path if p], parent_id=parent.clause.id if parent else None)
        node = _Node(clause=clause, level=level, heading_only=heading_only)
        if parent:
            parent.clause.children.append(clause_id)
        self.nodes.append(node)
        return node

    def _open(self, node: _Node) -> None:
        self.stack.append(node)
        self._text_after_table = False

    def _pop_to_level(self, level: float) -> _Node:
        while len(self.stack) > 1 and self.stack[-1].level >= level:
            self.stack.pop()
        return self.stack[-1]

    def _pop_to_root(self) -> _Node:
        del self.stack[1:]
        return self.stack[0]

    # --- line handling ------------------------------------------------------------------------
    def parse(self, lines: list[_Line]) -> tuple[list[Clause], list[Table]]:
        title_line, body = lines[0], lines[1:]
        root = self._new("root", "", "", self.meta["title"], -1, None, heading_only=True)
        root.lines.append(title_line)
        self._open(root)
        self._body = body
        for self._pos, line in enumerate(body):
            self._feed(line)
        self._finish_table()
        return [self._finalise(node) for node in self.nodes], self.tables

    def _feed(self, line: _Line) -> None:
        text = line.text.strip()
        if not text:
            self._current().lines.append(line)
            return
        if self._awaiting_attachment_title is not None:
            node = self._awaiting_attachment_title
            self._awaiting_attachment_title = None
            node.clause.title = text
            node.lines.append(line)
            self._start_table_if_declared(node)
            return
        if self._in_attachment_list:
            if _POINT_RE.match(text) and "\t" not in text:
                self._current().lines.append(line)
                return
            self._in_attachment_list = False
        if self._table is not None:
            if "\t" in line.text:
                self._add_table_row(line)
                return
            if not self._table.rows and _UNIT_LINE_RE.match(text):  # "单位：万元" above the header row
                self._table_holder().lines.append(line)
                self._table.header_lines.append(text)
                return
            self._finish_table()
            holder = next(n for n in reversed(self.stack) if n.clause.kind == "attachment")
            self._pop_to_level(holder.level + 0.5)
            self._text_after_table = True
        if _DATE_LINE_RE.match(text) and not any(n.clause.kind in ("attachment", "attachment_list") for n in self.stack):
            self._signature(line)
            return
        mark = _ATTACHMENT_MARK_RE.match(text)
        if mark or text in self.attachment_titles:
            self._start_attachment(line, mark)
            return
        if _ATTACHMENT_LIST_RE.match(text):
            parent = self._pop_to_root()
            node = self._new("attachment_list", "attachments", "附件", "附件", _LEAF, parent)
            node.lines.append(line)
            self._open(node)
            self._in_attachment_list = True
            return
        if _CLOSING_RE.match(text) and "\t" not in text and not self._in_dates_section():
            parent = self._pop_to_root()
            node = self._new("closing", "closing", "", "", _LEAF, parent)
            node.lines.append(line)
            self._open(node)
            return
        note_mark = _NOTE_RE.match(text)
        if note_mark and "\t" not in text:
            holder = next((n for n in reversed(self.stack) if n.clause.kind == "attachment"), self.stack[0])
            self._pop_to_level(holder.level + 0.5)
            note = self._new("note", "note", "", note_mark.group(1), _LEAF, holder)
            note.lines.append(line)
            self._open(note)
            return
        heading = self._match_heading(text) if "\t" not in text else None
        if heading:
            kind, token, rest = heading
            level = self.levels[kind]
            parent = self._pop_to_level(level)
            title, heading_only = _heading_title(rest)
            if line.bold and rest.strip().startswith(line.bold):
                title = line.bold
            segment = f"{_ID_PREFIX[kind]}{_number_value(token)}"
            node = self._new(kind, segment, _normalise_token(kind, token), title, level, parent, heading_only)
            node.lines.append(line)
            self._open(node)
            return
        current = self._current()
        term = _GLOSSARY_TERM_RE.match(text)
        glossary = next((n for n in reversed(self.stack) if n.clause.kind == "attachment"
                         and n.clause.title in self.glossary_titles), None)
        if term and glossary is not None:
            self._pop_to_level(_LEAF)
            self.term_count += 1
            node = self._new("term", f"t{self.term_count}", "", term.group(1), _LEAF, glossary)
            node.lines.append(line)
            self._open(node)
            return
        if self._text_after_table and current.clause.kind == "attachment":
            node = self._new("note", "note", "", "", _LEAF, current)
            self._open(node)
            current = node
        if current.clause.kind == "root":
            node = self._new("preamble", "preamble", "", "", _LEAF, current)
            self._open(node)
            current = node
        current.lines.append(line)

    def _current(self) -> _Node:
        return self.stack[-1]

    def _in_dates_section(self) -> bool:
        """A 施行 line under "三、施行时间" (or right under a heading with no body yet) belongs to that clause,
        not to a 附则 of its own."""
        current = self.stack[-1]
        numbered = set(self.levels)
        if current.clause.kind in numbered and current.heading_only and not any(ln.text.strip() for ln in current.lines[1:]):
            return True
        return any(n.clause.kind in numbered and _DATES_HEADING_RE.search(n.clause.title or "") for n in self.stack[1:])

    def _signature(self, line: _Line) -> None:
        """A date alone on its line, outside the attachments, is the date of the signature (落款): it and the
        issuer lines just above it (乌海市人力资源和社会保障局 / 乌海市财政局) become one `signature` clause."""
        current = self.stack[-1]
        if current.clause.kind == "root":  # a date right under the title: the document's date, part of its heading
            current.lines.append(line)
            self.signed_on = self.signed_on or _line_date(line.text)
            return
        signers: list[_Line] = []
        k = len(current.lines) - 1
        while k >= 1 and len([s for s in signers if s.text.strip()]) < 4:
            text = current.lines[k].text.strip()
            if text and not _SIGNER_RE.match(text):
                break
            signers.insert(0, current.lines[k])
            k -= 1
        while signers and not signers[0].text.strip():  # blank lines before the signers stay where they were
            signers.pop(0)
        del current.lines[len(current.lines) - len(signers):]
        node = self._new("signature", "signature", "", "落款", _LEAF, self._pop_to_root())
        node.lines.extend(signers + [line])
        self._open(node)
        if self.signed_on is None:
            self.signed_on = _line_date(line.text)

    def _match_heading(self, text: str) -> tuple[str, str, str] | None:
        candidates = [("item", _ITEM_RE), ("point", _POINT_RE), ("subpoint", _SUBPOINT_RE)]
        if self.style == "articles":
            candidates = [("chapter", _CHAPTER_RE), ("article", _ARTICLE_RE)] + candidates
        else:
            candidates = [("section", _SECTION_RE)] + candidates
        for kind, regex in candidates:
            m = regex.match(text)
            if m:
                return kind, m.group(1), m.group(2)
        return None

    def _start_attachment(self, line: _Line, mark: re.Match | None) -> None:
        parent = self._pop_to_root()
        self.attachment_count += 1
        number = int(mark.group(1)) if mark and mark.group(1) else self.attachment_count
        self.attachment_count = max(self.attachment_count, number)
        title = "" if mark else line.text.strip()
        node = self._new("attachment", f"att{number}", f"附件{number}", title, 0, parent, heading_only=True)
        node.lines.append(line)
        self._open(node)
        if mark:
            self._awaiting_attachment_title = node
        else:
            self._start_table_if_declared(node)

    # --- tables -------------------------------------------------------------------------------
    def _start_table_if_declared(self, node: _Node) -> None:
        """A data table: declared in documents.yaml `data_tables`, or recognised by its content (a header row,
        then rows with every cell filled, nothing to fill in) — never by a title ending in 表."""
        spec = self.data_tables.get(node.clause.title) or self._detect_table()
        if spec:
            self._table_spec = spec
            self._table = Table(id=f"{node.clause.id}/table", doc_slug=self.slug, title=node.clause.title,
                                columns=list(spec["columns"]), rows=[], row_clause_ids=[])
            self._table_holders.add(node.clause.id)

    def _detect_table(self) -> dict | None:
        texts: list[str] = []
        for ln in self._body[self._pos + 1:]:
            t = ln.text.strip()
            if not t:
                continue
            if _ATTACHMENT_MARK_RE.match(t) or t in self.attachment_titles:
                break
            texts.append(ln.text)
        if any(_FORM_MARK_RE.search(t) for t in texts):
            return None
        first = next((i for i, t in enumerate(texts) if "\t" in t), None)
        if first is None or any(_UNIT_LINE_RE.match(t.strip()) is None for t in texts[:first]):
            return None  # only a unit line may stand between the title and the header row
        rows = []
        for t in texts[first:]:
            if "\t" not in t:
                break
            rows.append(_cells(t))
        header = rows[0]
        if len(rows) < 2 or len(header) < 2 or not all(header):
            return None
        if any(len(r) != len(header) or not all(r) for r in rows[1:]):
            return None
        return {"columns": header, "fill_down": []}

    def _table_holder(self) -> _Node:
        return next(n for n in reversed(self.stack) if n.clause.kind == "attachment")

    def _add_table_row(self, line: _Line) -> None:
        assert self._table is not None and self._table_spec is not None
        cells = [c.strip() for c in line.text.split("\t")]
        attachment = self._table_holder()
        if [c for c in cells if c] == self._table.columns:
            attachment.lines.append(line)  # header row stays in the attachment's own text
            self._table.header_lines.append(line.text.strip())
            return
        cells += [""] * (len(self._table.columns) - len(cells))
        row = dict(zip(self._table.columns, cells[: len(self._table.columns)], strict=True))
        for col in self._table_spec.get("fill_down") or []:
            if not row[col] and self._table.rows:
                row[col] = self._table.rows[-1][col]
        index = len(self._table.rows) + 1
        self._pop_to_level(attachment.level + 0.5)
        # the row's name: its first cell that is not a bare number (序号)
        first = next((v for v in row.values() if v and not re.fullmatch(r"[\d.]+", v)), row[self._table.columns[0]])
        node = self._new("table_row", f"r{index}", f"第{index}行", first, attachment.level + 0.5, attachment)
        node.clause.row = row
        node.clause.table_header = "\n".join(self._table.header_lines) or None
        node.lines.append(line)
        self._open(node)
        self._table.rows.append(row)
        self._table.row_clause_ids.append(node.clause.id)

    def _finish_table(self) -> None:
        if self._table is not None:
            self.tables.append(self._table)
        self._table = None
        self._table_spec = None

    # --- finishing ----------------------------------------------------------------------------
    def _finalise(self, node: _Node) -> Clause:
        clause = node.clause
        if clause.kind == "signature":  # issuer and date each on their own line
            clause.text = "\n".join(ln.text.strip() for ln in node.lines if ln.text.strip())
        else:
            clause.text = join_lines([ln.text for ln in node.lines], heading_only=node.heading_only)
        numbered = [ln.no for ln in node.lines]
        clause.source_lines = (min(numbered), max(numbered)) if numbered else (0, 0)
        clause.source_file = self.source_file
        clause.label = self._label(clause)
        tab_lines = [ln.text for ln in node.lines if "\t" in ln.text]
        in_attachment = any(seg.startswith("att") for seg in clause.id.split("/")[1:2])
        if clause.kind != "table_row" and in_attachment and clause.id not in self._table_holders:
            clause.is_form = _looks_like_form(clause.kind, [ln.text for ln in node.lines], tab_lines)
            clause.form_fields = _form_fields(tab_lines) if clause.is_form else []
        clause.valid_from, clause.valid_until, clause.validity_quote = extract_validity(clause.text)
        return clause

    def _label(self, clause: Clause) -> str:
        prefix = f"《{self.meta['title']}》"
        if clause.kind == "root":
            return prefix
        chain: list[Clause] = []
        by_id = {n.clause.id: n.clause for n in self.nodes}
        cur: Clause | None = clause
        while cur is not None and cur.kind != "root":
            chain.append(cur)
            cur = by_id.get(cur.parent_id) if cur.parent_id else None
        chain.reverse()
        parts: list[str] = []
        for c in chain:
            if c.kind == "chapter" and clause.kind != "chapter":
                continue  # 第十八条 is cited without its chapter
            if c.kind == "preamble":
                parts.append("序言")
            elif c.kind == "closing":
                parts.append("附则")
            elif c.kind == "signature":
                parts.append("落款")
            elif c.kind == "attachment_list":
                parts.append("附件目录")
            elif c.kind == "attachment":
                parts.append(f"{c.number}《{c.title}》" if c.title else c.number)
            elif c.kind == "table_row":
                parts.append(f"第{c.number.strip('第行')}行（{c.title}）" if c.title else c.number)
            elif c.kind == "note":
                parts.append(c.title or "注")
            elif c.kind == "term":
                parts.append(f"“{c.title}”")
            else:
                parts.append(c.number)
        label = prefix + "".join(parts)
        if clause.kind == "chapter" and clause.title:
            label += f" {clause.title}"
        elif clause.kind in ("section", "item", "point", "subpoint") and clause.title:
            label += clause.title
        return label


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _looks_like_form(kind: str, lines: list[str], tab_lines: list[str]) -> bool:
    """A form template is decided by its content: places to sign, seal or date, blank cells, or a header row
    with no rows under it. A table whose cells are all filled is data, whatever its title says."""
    marks = any(_FORM_MARK_RE.search(t) for t in lines)
    if tab_lines:
        return marks or len(tab_lines) == 1 or any("" in _cells(t) for t in tab_lines)
    if kind != "attachment" or not marks:
        return False
    # without a grid: a form when most of its lines are fields ("报送单位：", "年 月 日"), not sentences (承诺书的条款)
    body = [t.strip() for t in lines[1:] if t.strip()]
    fields = [t for t in body if _FORM_MARK_RE.search(t) or (len(t) <= 20 and not re.search(r"[。；;]", t))]
    return len(fields) * 2 >= len(body)


def _line_date(text: str) -> date | None:
    m = _DATE_LINE_RE.match(text)
    if not m:
        return None
    try:
        y, mo, d = (int(g) if g.isdigit() else cn_to_int(g) for g in m.groups())
        return date(y, mo, d)
    except ValueError:
        return None


def _form_fields(tab_lines: list[str]) -> list[str]:
    fields: list[str] = []
    for line in tab_lines:
        for cell in line.split("\t"):
            cell = cell.strip()
            if cell and not re.fullmatch(r"[\s年月日：:_\-（）()盖章签字\d]*", cell) and cell not in fields:
                fields.append(cell)
    return fields


def join_lines(texts: list[str], heading_only: bool = False) -> str:
    """Join a clause's lines: a paragraph broken by the PDF ("3 个等" / "级，即") is glued back;
    a heading line, table rows and finished sentences stay on their own lines."""
    parts = [t.strip() for t in texts if t.strip()]
    if not parts:
        return ""
    out = parts[0]
    for k in range(1, len(parts)):
        prev, cur = parts[k - 1], parts[k]
        glue = (not (heading_only and k == 1) and "\t" not in prev and "\t" not in cur
                and prev[-1] not in _TERMINAL and (prev[-1] in _JOINING or _is_cjk(prev[-1]))
                and not _DATE_LINE_RE.match(cur) and not _UNIT_LINE_RE.match(cur))
        out += ("" if glue else "\n") + cur
    return out


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# --- whole corpus ---------------------------------------------------------------------------------
PACKAGE_DIR = Path(__file__).resolve().parent
DOCUMENTS_FILE = PACKAGE_DIR / "documents.yaml"


def load_metadata(path: Path | None = None) -> dict:
    path = path or DOCUMENTS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CorpusError(f"无法读取文件清单 {path}：{err}。请检查 corpus/documents.yaml。") from err
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list) or not data["documents"]:
        raise CorpusError(f"文件清单 {path} 应含 documents 列表。请对照 docs/MAINTAINING.md 检查格式。")
    slugs = [d.get("slug") for d in data["documents"]]
    for n, meta in enumerate(data["documents"], 1):
        missing = [k for k in ("slug", "title", "short_title", "section", "style") if not meta.get(k)]
        if missing:
            raise CorpusError(f"{path.name} 的第{n}个文件缺少 {'、'.join(missing)}。请对照 docs/MAINTAINING.md 补齐。")
        if not (meta.get("source_file") or data.get("source_file")):
            raise CorpusError(f"{path.name} 中文件 {meta['slug']} 没有 source_file（原文文件），全局也没有默认的 source_file。")
    dupes = sorted({s for s in slugs if slugs.count(s) > 1})
    if dupes:
        raise CorpusError(f"{path.name} 中文件编号（slug）重复：{'、'.join(dupes)}。")
    return data


def source_files(metadata: dict) -> list[str]:
    """The raw files the documents are in (documents.yaml `source_file`, per document or the global default)."""
    return list(dict.fromkeys(meta.get("source_file") or metadata["source_file"] for meta in metadata["documents"]))


def load_errata(path: Path | None = None) -> list[dict]:
    path = path or PACKAGE_DIR / "errata.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def parse_corpus(raw_text: str, metadata: dict, errata: list[dict]) -> Corpus:
    """Parse documents that all live in one raw file (the compilation): see `parse_sources`."""
    files = source_files(metadata)
    if len(files) != 1:
        raise CorpusError(f"文件清单引用了 {len(files)} 个原文文件（{'、'.join(files)}），请用 parse_sources / load_corpus。")
    return parse_sources({files[0]: raw_text}, metadata, errata)


def parse_sources(sources: dict[str, str], metadata: dict, errata: list[dict]) -> Corpus:
    """Split every raw file into its documents (found by `title_line`, in documents.yaml order) and parse each
    into a clause tree; then attach the documents' dates, repeals and amendments (corpus.lifecycle).

    `sources` maps each `source_file` named in documents.yaml to its text. The global `source_file` is the
    compilation: its table of contents and section headings (`toc_end_line`, `compilation_lines`) are skipped.
    A document in a file of its own starts at its `title_line` (default: the file's first non-empty line).
    """
    from corpus.lifecycle import apply_document_dates, build_amendments

    default_file = metadata.get("source_file")
    compilation_lines = set(metadata.get("compilation_lines") or [])
    by_file: dict[str, list[dict]] = {}
    for meta in metadata["documents"]:
        by_file.setdefault(meta.get("source_file") or default_file, []).append(meta)
    parsed: dict[str, tuple] = {}
    tables_by_slug: dict[str, list[Table]] = {}
    body_chars = owned = toc_chars = 0
    for name, metas in by_file.items():
        if name not in sources:
            raise CorpusError(f"缺少原文文件 {name}（documents.yaml 的 source_file）。")
        lines = [_Line(i + 1, clean_line(t, errata), _bold_span(t)) for i, t in enumerate(sources[name].splitlines())]
        skip = compilation_lines if name == default_file else set()
        cursor = _toc_end(lines, metadata) if name == default_file else 0
        starts: list[tuple[int, dict]] = []
        for meta in metas:
            wanted = meta.get("title_line")
            if wanted:
                idx = next((i for i in range(cursor, len(lines)) if lines[i].text.strip() == wanted), None)
            else:
                idx = next((i for i in range(cursor, len(lines)) if lines[i].text.strip()), None)
            if idx is None:
                raise CorpusError(f"在 {name} 中找不到文件《{meta['title']}》的标题行“{wanted or '（第一行）'}”。"
                                  "请核对 corpus/documents.yaml 的 title_line。")
            starts.append((idx, meta))
            cursor = idx + 1
        for n, (idx, meta) in enumerate(starts):
            end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
            doc_lines = [ln for ln in lines[idx:end] if ln.text.strip() not in skip]
            parser = _DocumentParser(meta, metadata.get("data_tables") or [], source_file=name)
            doc_clauses, doc_tables = parser.parse(doc_lines)
            doc_tables += _list_tables(meta["slug"], doc_clauses, metadata.get("list_tables") or [])
            owned += sum(len(nonspace(c.text)) for c in doc_clauses)
            parsed[meta["slug"]] = (doc_clauses, parser.signed_on, name)
            tables_by_slug[meta["slug"]] = doc_tables
        body_chars += sum(len(nonspace(ln.text)) for ln in lines[starts[0][0]:] if ln.text.strip() not in skip)
        toc_chars += sum(len(nonspace(ln.text)) for ln in lines[:starts[0][0]])
    documents: list[Document] = []
    clauses: dict[str, Clause] = {}
    tables: list[Table] = []
    metas_by_slug = {meta["slug"]: meta for meta in metadata["documents"]}
    for meta in metadata["documents"]:
        doc_clauses, signed_on, name = parsed[meta["slug"]]
        doc = _document(meta, [c.id for c in doc_clauses], name, signed_on)
        apply_document_dates(doc, meta, doc_clauses)
        documents.append(doc)
        for c in doc_clauses:
            clauses[c.id] = c
        tables.extend(tables_by_slug[meta["slug"]])
    coverage = {
        "body_chars": body_chars,
        "clause_chars": owned,
        "coverage": round(owned / body_chars, 6) if body_chars else 0.0,
        "excluded_front_matter_chars": toc_chars,
        "excluded_compilation_headings": sorted(compilation_lines),
        "errata_applied": len(errata),
    }
    if len(sources) == 1:
        digest = hashlib.sha256(next(iter(sources.values())).encode("utf-8")).hexdigest()
    else:
        digest = hashlib.sha256("\n".join(f"{name}:{hashlib.sha256(sources[name].encode('utf-8')).hexdigest()}"
                                          for name in sorted(sources)).encode("utf-8")).hexdigest()
    corpus = Corpus(documents=documents, clauses=clauses, tables=tables, coverage=coverage, source_sha256=digest)
    corpus.amendments = build_amendments(corpus, metas_by_slug)
    return corpus


def _list_tables(slug: str, clauses: list[Clause], specs: list[dict]) -> list[Table]:
    """Numbered lists kept as tables too (the 政策扶持清单: 序号, 类别, 项目), one row per numbered item."""
    by_id = {c.id: c for c in clauses}
    tables = []
    for spec in (s for s in specs if s["document"] == slug):
        holder = next((c for c in clauses if c.kind == "attachment" and c.title == spec["attachment"]), None)
        if holder is None:
            raise CorpusError(f"documents.yaml 的 list_tables 指向不存在的附件“{spec['attachment']}”。")
        rows, ids = [], []
        for section_id in holder.children:
            section = by_id[section_id]
            for item_id in section.children:
                item = by_id[item_id]
                if item.kind == "point":
                    rows.append({"序号": item.number.rstrip("."), "类别": section.title, "项目": item.title})
                    ids.append(item.id)
        tables.append(Table(id=f"{holder.id}/table", doc_slug=slug, title=holder.title, columns=["序号", "类别", "项目"],
                            rows=rows, row_clause_ids=ids))
    return tables


def _toc_end(lines: list[_Line], metadata: dict) -> int:
    marker, wanted = metadata.get("toc_end_line"), int(metadata.get("toc_end_occurrence") or 1)
    if not marker:
        return 0
    seen = 0
    for i, ln in enumerate(lines):
        if ln.text.strip() == marker:
            seen += 1
            if seen == wanted:
                return i + 1
    return 0


def _document(meta: dict, clause_ids: list[str], source_file: str = "", signed_on: date | None = None) -> Document:
    return Document(
        slug=meta["slug"], title=meta["title"], short_title=meta["short_title"], section=meta["section"],
        style=meta["style"], issuer=meta.get("issuer"), doc_number=meta.get("doc_number"),
        effective=meta.get("effective") or {}, valid_until=meta.get("valid_until"), period=meta.get("period"),
        validity_notes=list(meta.get("validity_notes") or []), clause_ids=clause_ids, source_file=source_file,
        signed_on=signed_on, topic=str(meta.get("topic") or ""))


def parse_document_text(text: str, meta: dict) -> list[Clause]:
    """Parse one free-standing document (first line = title); used by tests and new documents."""
    lines = [_Line(i + 1, clean_line(t, [])) for i, t in enumerate(text.splitlines())]
    while lines and not lines[0].text.strip():
        lines.pop(0)
    if not lines:
        return []
    clauses, _ = _DocumentParser(meta, []).parse(lines)
    return clauses
