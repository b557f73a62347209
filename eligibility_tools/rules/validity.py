"""How long a document of the compilation applies, relative to the as-of date (the "还管用吗" question).

Every date comes from the corpus: a document's period or end date (`corpus/documents.yaml`, each quoted), its
validity notes ("补贴奖励政策有效期不超过3年") and, for a validity counted from issue, the compilation's own date
(its cover: 2023年10月) — no document in it was issued later.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.bounds import NAME_MAX
from eligibility_tools.registry import register

TOOL_ORDER = 110  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "政策时效"
_VALIDITY_YEARS = re.compile(r"有效期不超过\s*(\d+|[一二两三四五六七八九十]+)\s*年")


class DocumentValidityInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str = Field(max_length=NAME_MAX, description="文件编号（policy-qa corpus list 中方括号内的编号），如 post-title、hr-service")

    @field_validator("document")
    @classmethod
    def _known(cls, value: str) -> str:
        from corpus.loader import load_corpus

        slugs = [d.slug for d in load_corpus().documents]
        if value not in slugs:
            raise ValueError(f"没有编号为 {value} 的文件，可选：{'、'.join(slugs)}")
        return value


@cache
def compilation_published() -> date:
    """The compilation's date from corpus/documents.yaml (the cover reads 2023年10月)."""
    from corpus.parser import load_metadata

    year, month, *_ = str(load_metadata()["compilation"]["published"]).split("-")
    return date(int(year), int(month), 1)


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _note_clause(corpus, doc, note: str) -> str | None:
    """The clause of the document whose text holds a validity note (cited with the statement)."""
    head = re.split(r"[，。,；;]", re.sub(r"\s+", "", note))[0]  # the note's first phrase, as the clause writes it
    for cid in doc.clause_ids:
        clause = corpus.clauses.get(cid)
        if clause is not None and head and head in re.sub(r"\s+", "", clause.text):
            return cid
    return None


@register("document_validity", "文件时效（是否仍在执行期内）", DocumentValidityInput, category=CATEGORY)
def document_validity(inp: DocumentValidityInput, as_of: date) -> ToolResult:
    """判断汇编中某个文件截至某日是否仍在执行期内（实施期、年度安排、有效期、施行日期），并说明依据。"""
    from corpus.loader import load_corpus
    from corpus.numerals import cn_to_int

    corpus = load_corpus()
    doc = corpus.document(inp.document)
    t = Trace(as_of)
    title = f"《{doc.title}》"
    period = doc.period or {}
    start, end = _date(period.get("start")), _date(period.get("end"))
    value = {"document": doc.slug, "title": doc.title, "as_of": as_of.isoformat()}
    t.cite(doc.root_id)
    if end and start and start.year == end.year:
        value.update(state="expired" if as_of > end else "in_force", year=end.year)
        text = (f"{title}是{end.year}年度的工作安排（申报时间等只适用于{end.year}年），"
                + (f"截至{as_of.isoformat()}已过期；其他年度以当年度通知为准。" if as_of > end else "仍在当年度内。"))
        t.step("annual", text)
        return t.result(Outcome.not_in_force if as_of > end else Outcome.computed, value, text)
    if end and start:
        value.update(state="expired" if as_of > end else "in_force", start=start.year, end=end.year)
        text = (f"{title}的实施期为{start.year}—{end.year}年，"
                + (f"截至{as_of.isoformat()}已期满；汇编没有收录后续文件，请以最新政策为准。" if as_of > end
                   else f"截至{as_of.isoformat()}仍在实施期内。"))
        t.step("period", text)
        return t.result(Outcome.not_in_force if as_of > end else Outcome.computed, value, text)
    for note in doc.validity_notes:
        m = _VALIDITY_YEARS.search(note)
        if not m:
            continue
        years = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
        published = compilation_published()
        latest = date(published.year + years, published.month, 1)
        t.cite(_note_clause(corpus, doc, note))
        value.update(state="possibly_expired" if as_of >= latest else "possibly_in_force", validity_years=years,
                     issued_no_later_than=f"{published.year}-{published.month:02d}", latest_end=f"{latest.year}-{latest.month:02d}")
        text = (f"{title}写明“{m.group(0)}”，但汇编没有载明起算日期；汇编出版于{published.year}年{published.month}月，文件印发不晚于此，"
                f"按此有效期最晚约到{latest.year}年{latest.month}月，"
                + (f"截至{as_of.isoformat()}可能已到期" if as_of >= latest else f"截至{as_of.isoformat()}可能仍在有效期内")
                + "，申请前请向市人社局确认是否仍有效。")
        t.step("validity_years", text)
        return t.result(Outcome.computed, value, text)
    quote = (doc.effective or {}).get("quote")
    if doc.valid_until and as_of >= doc.valid_until:
        value.update(state="expired", end=(doc.valid_until - timedelta(days=1)).isoformat())
        text = f"{title}的执行期限截至{_zh(doc.valid_until - timedelta(days=1))}，截至{as_of.isoformat()}已到期，请以最新政策为准。"
        t.step("valid_until", text)
        return t.result(Outcome.not_in_force, value, text)
    if quote:
        t.cite(_note_clause(corpus, doc, quote))
        value.update(state="in_force", effective_quote=quote)
        text = (f"{title}写明“{quote}”，没有规定有效期限或废止日期，汇编中也没有它被废止或替代的信息，"
                f"截至{as_of.isoformat()}仍按其执行（如已出台新规定替代，以新规定为准）。")
    else:
        value.update(state="unknown")
        text = (f"汇编没有载明{title}的有效期限或废止日期，也没有它被废止或替代的信息，截至{as_of.isoformat()}按仍在执行理解，"
                "具体请向发文单位核实。")
    t.step("no_end", text)
    return t.result(Outcome.computed, value, text)
