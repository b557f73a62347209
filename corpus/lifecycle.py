"""Document lifecycle as data: when a document starts, ends, is repealed, and which clauses later documents amend.

Everything comes from `corpus/documents.yaml` (reviewed, quoted) or, when a date is not written there, from the
document's own text (“本办法自2024年7月1日起施行”, “有效期至2026年12月31日”, 自印发之日起 + the date under the
signature). `clause_status` turns that into one status per clause and date; `Corpus.in_force` caches it.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, timedelta

from corpus.errors import ClauseNotFoundError, CorpusError
from corpus.model import Amendment, Clause, ClauseStatus, Corpus, Document, Status

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9-]+)*$")
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_SELF = r"本(?:实施意见|实施方案|意见|通知|方案|办法|规定|细则|决定|清单)"
_STARTS_RE = re.compile(rf"{_SELF}自{_DATE}起(?:施行|执行|实施|生效)")
_ON_ISSUE_RE = re.compile(rf"{_SELF}自(?:印发|发布|公布|下发|发文)之日起(?:施行|执行|实施|生效)")
AMENDMENT_EFFECTS = ("amended", "repealed")


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def as_date(value, where: str) -> date | None:
    """A YAML date (or "YYYY-MM-DD" string, or null)."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CorpusError(f"{where} 的日期“{value}”格式有误，应为 YYYY-MM-DD。请检查 corpus/documents.yaml。") from None


def is_reference_id(value: str) -> bool:
    """A clause id or slug ("incubator/a22", "incubator") rather than the name of a document outside the corpus."""
    return bool(_ID_RE.match(value))


# --- document dates ------------------------------------------------------------------------------------------
def apply_document_dates(doc: Document, meta: dict, clauses: list[Clause]) -> None:
    """valid_from / valid_until / repeal of one document: documents.yaml first, else what its own text says."""
    where = f"documents.yaml 中文件 {doc.slug}"
    effective = meta.get("effective") or {}
    doc.valid_from = as_date(meta.get("valid_from"), f"{where} 的 valid_from") or as_date(
        effective.get("date"), f"{where} 的 effective.date")
    if doc.valid_from:
        doc.valid_from_quote = effective.get("quote")
    doc.valid_until = as_date(meta.get("valid_until"), f"{where} 的 valid_until")
    if doc.valid_until:
        doc.valid_until_quote = (doc.period or {}).get("quote") or next(iter(doc.validity_notes), None)
    doc.repealed_on = as_date(meta.get("repealed_on"), f"{where} 的 repealed_on")
    doc.repealed_by = meta.get("repealed_by")
    if doc.repealed_by and not doc.repealed_on:
        raise CorpusError(f"{where} 写了 repealed_by 但没有 repealed_on（废止日期）。")
    own = [c for c in clauses if re.search(_SELF, re.sub(r"\s+", "", c.text))]
    for clause in own:
        flat = re.sub(r"\s+", "", clause.text)
        if doc.valid_from is None:
            m = _STARTS_RE.search(flat)
            if m:
                doc.valid_from = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                doc.valid_from_quote = m.group(0)
            elif _ON_ISSUE_RE.search(flat) and doc.signed_on:
                doc.valid_from = doc.signed_on
                doc.valid_from_quote = f"{_ON_ISSUE_RE.search(flat).group(0)}（落款日期{zh_date(doc.signed_on)}）"
        if doc.valid_until is None and clause.valid_until and clause.kind in ("closing", "article", "section", "item"):
            # a statement about the whole document ("本办法有效期至2026年12月31日"), not one item's period
            if re.search(rf"{_SELF}.{{0,30}}(?:有效期|执行期|期限|至)", flat):
                doc.valid_until, doc.valid_until_quote = clause.valid_until, clause.validity_quote


def build_amendments(corpus: Corpus, metas: dict[str, dict]) -> dict[str, list[Amendment]]:
    """documents.yaml `amends:` (what a document changes in others) and `amended_by:` (changes to a document by a
    text not in the corpus), checked against the parsed clauses: a typo fails loudly."""
    out: dict[str, list[Amendment]] = {}
    for doc in corpus.documents:
        meta = metas[doc.slug]
        where = f"documents.yaml 中文件 {doc.slug}"
        if doc.repealed_by and is_reference_id(doc.repealed_by) and not _exists(corpus, doc.repealed_by):
            raise CorpusError(f"{where} 的 repealed_by 指向不存在的条款或文件 {doc.repealed_by}。"
                              "请写条款编号（policy-qa corpus show <编号>）或文件的全称。")
        entries = [("amends", n, raw) for n, raw in enumerate(meta.get("amends") or [], 1)]
        entries += [("amended_by", n, raw) for n, raw in enumerate(meta.get("amended_by") or [], 1)]
        for key, n, raw in entries:
            at = f"{where} 的 {key} 第{n}项"
            if not isinstance(raw, dict) or "clause" not in raw or (key == "amended_by" and not raw.get("by")):
                raise CorpusError(f"{at}应为 {{clause: 被修改的条款编号, by: 修改它的条款编号或文件名称, from: 日期}}。")
            target, by = str(raw["clause"]), str(raw.get("by") or doc.slug)
            if target not in corpus.clauses:
                raise CorpusError(f"{at}指向不存在的条款 {target}。")
            if key == "amended_by" and not target.startswith(doc.slug + "/"):
                raise CorpusError(f"{at}的 clause 应是本文件的条款（以 {doc.slug}/ 开头）；修改其他文件请写在 amends 下。")
            if is_reference_id(by) and not _exists(corpus, by):
                raise CorpusError(f"{at}的 by 指向不存在的条款 {by}。请写条款编号，或（原文未收录时）修改文件的全称。")
            start = as_date(raw.get("from"), at) or (doc.valid_from if key == "amends" else None)
            if start is None:
                raise CorpusError(f"{at}缺少 from（自哪一天起修改）。")
            effect = str(raw.get("effect") or "amended")
            if effect not in AMENDMENT_EFFECTS:
                raise CorpusError(f"{at}的 effect 应为 amended 或 repealed，而不是 {effect}。")
            quote = str(raw.get("quote") or "")
            if quote and _squash(quote) not in _squash(corpus.full_text(target)):
                raise CorpusError(f"{at}的 quote（被修改的原文）不在条款 {target} 中。")
            amendment = Amendment(clause=target, by=by, from_date=start, effect=effect, quote=quote,
                                  note=str(raw.get("note") or ""))
            if key == "amends":
                doc.amends.append(amendment)
            out.setdefault(target, []).append(amendment)
    for items in out.values():
        items.sort(key=lambda a: a.from_date)
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def passages_overlap(a: str | None, b: str | None, min_chars: int = 6) -> bool:
    """Whether two quotes of one clause share wording (one inside the other, or a common run of `min_chars`):
    a parameter quoting "给予1万元、0.8万元…的奖金奖励" is hit by an amendment of that passage, one quoting
    "前3名的选手" is not. An empty quote means the whole clause, which overlaps everything."""
    a, b = _squash(a), _squash(b)
    if not a or not b:
        return True
    if a in b or b in a:
        return True
    match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= min(min_chars, len(a), len(b))


def _exists(corpus: Corpus, ref: str) -> bool:
    return ref in corpus.clauses or any(d.slug == ref for d in corpus.documents)


# --- status ---------------------------------------------------------------------------------------------------
def reference_label(corpus: Corpus, ref: str | None) -> str:
    """How to name a repealing / amending reference in a sentence."""
    if not ref:
        return ""
    if ref in corpus.clauses:
        return corpus.clauses[ref].label
    doc = next((d for d in corpus.documents if d.slug == ref), None)
    return f"《{doc.title}》" if doc else ref


def clause_status(corpus: Corpus, clause_id: str, as_of: date) -> ClauseStatus:
    """The status of a clause (or of a document, by its slug) on `as_of`; see `Corpus.in_force`."""
    if clause_id not in corpus.clauses:
        raise ClauseNotFoundError(clause_id, [])
    clause = corpus.clauses[clause_id]
    doc = corpus.document(clause.doc_slug)
    title = f"《{doc.title}》"
    day = as_of.isoformat()

    def status(kind: Status, reason: str, **kw) -> ClauseStatus:
        return ClauseStatus(clause_id=clause_id, as_of=as_of, status=kind, reason_zh=reason, **kw)

    if doc.repealed_on and as_of >= doc.repealed_on:
        by = reference_label(corpus, doc.repealed_by)
        return status(Status.repealed, f"已废止：{title}自{zh_date(doc.repealed_on)}起废止"
                      + (f"（废止依据：{by}）" if by else ""), since=doc.repealed_on, by=doc.repealed_by,
                      decided_by=doc.slug)
    active = [a for a in corpus.amendments_of(clause_id) if a.from_date <= as_of]
    if active:
        a = active[-1]
        by = reference_label(corpus, a.by)
        target = corpus.clauses[a.clause].label
        if a.effect == "repealed":
            return status(Status.repealed, f"已废止：{target}自{zh_date(a.from_date)}起由{by}废止",
                          since=a.from_date, by=a.by, decided_by=a.clause)
        part = f"中“{a.quote}”" if a.quote else ""
        return status(Status.amended, f"已修改：{target}{part}自{zh_date(a.from_date)}起由{by}修改，请以修改后的条文为准",
                      since=a.from_date, by=a.by, decided_by=a.clause, quote=a.quote or None)
    if doc.valid_from and as_of < doc.valid_from:
        quote = f"（原文：“{doc.valid_from_quote}”）" if doc.valid_from_quote else ""
        return status(Status.not_yet, f"尚未施行：{title}自{zh_date(doc.valid_from)}起施行{quote}，截至{day}尚未施行",
                      since=doc.valid_from, decided_by=doc.slug, quote=doc.valid_from_quote)
    chain = [clause, *(corpus.clauses[c] for c in corpus.ancestors(clause_id))]
    for c in chain:
        if c.valid_from and as_of < c.valid_from:
            return status(Status.not_yet, f"尚未施行：{c.label}所列政策自{zh_date(c.valid_from)}起执行（原文：“{c.validity_quote}”），"
                          f"截至{day}尚未开始", since=c.valid_from, decided_by=c.id, quote=c.validity_quote)
    if doc.valid_until and as_of >= doc.valid_until:
        last = doc.valid_until - timedelta(days=1)
        return status(Status.expired, f"已到期：{title}的执行期限截至{zh_date(last)}，截至{day}已到期",
                      since=doc.valid_until, decided_by=doc.slug, quote=doc.valid_until_quote)
    for c in chain:
        if c.valid_until and as_of >= c.valid_until:
            last = c.valid_until - timedelta(days=1)
            return status(Status.expired, f"已到期：{c.label}所列政策执行期限截至{zh_date(last)}（原文：“{c.validity_quote}”），"
                          f"截至{day}已到期", since=c.valid_until, decided_by=c.id, quote=c.validity_quote)
    return status(Status.in_force, "现行有效")


def covered_topics(corpus: Corpus, as_of: date) -> list[str]:
    """What the compilation covers on `as_of`, for refusals ("本汇编涵盖：…"): the `topic` (else short title) of each
    document in force that day, in documents.yaml order — a repealed, expired or not yet effective one is not listed."""
    topics = [doc.topic or doc.short_title for doc in corpus.documents if corpus.in_force(doc.slug, as_of).in_force]
    return list(dict.fromkeys(t for t in topics if t))
