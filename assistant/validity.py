"""Expiry warnings relative to the as-of date: dated clauses, dated tool parameters and time-bound documents.

The content is always still given; the warning names the end date and the clause. Sources of dates:
`Clause.valid_until` / `validity_quote` (e.g. 政策执行期限截至2025年12月31日) and `Document.valid_until` /
`period` from `corpus/documents.yaml` (the 2023 notice's timetable, 技能乌海行动 2022-2025, targets 到2025年).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from corpus.model import Clause, Corpus

_TIME_WORDS = re.compile(r"截止|截至|几号|哪天|什么时候|时间|期限|今年|明年|现在|目前|如今|还适用|还能|还是|仍然|继续|有效|过期|到期|哪年|现行")
_YEAR = re.compile(r"(20\d{2})\s*年")
_DATE_IN_TEXT = re.compile(r"\d+\s*月\s*\d+\s*日")


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _last_day(valid_until: date) -> date:
    return valid_until - timedelta(days=1)


def _ancestors(corpus: Corpus, clause: Clause) -> list[Clause]:
    out = []
    parent = clause.parent_id
    while parent and parent in corpus.clauses:
        out.append(corpus.clauses[parent])
        parent = corpus.clauses[parent].parent_id
    return out


def clause_warning(corpus: Corpus, clause: Clause, as_of: date) -> tuple[str, str] | None:
    """(warning, id of the dated clause) when the clause or an ancestor has an end date before as_of."""
    for c in [clause, *_ancestors(corpus, clause)]:
        if c.valid_until and as_of >= c.valid_until:
            end = _last_day(c.valid_until)
            quote = f"（原文：“{c.validity_quote}”）" if c.validity_quote else ""
            return (f"{c.label}所列政策执行期限截至{zh_date(end)}{quote}，截至{as_of.isoformat()}已到期，"
                    "请以最新政策为准。", c.id)
    return None


def document_warning(corpus: Corpus, clause: Clause, as_of: date, question: str) -> str | None:
    """A time-bound document (a yearly notice, a 2022-2025 plan, targets 到2025年) whose period the question is past."""
    doc = corpus.document(clause.doc_slug)
    period = doc.period or {}
    end = period.get("end")
    if isinstance(end, str):
        end = date.fromisoformat(end)
    start = period.get("start")
    if isinstance(start, str):
        start = date.fromisoformat(start)
    if not end:
        return None
    asked_years = {int(y) for y in _YEAR.findall(question)}
    about_time = bool(_TIME_WORDS.search(question)) or bool(asked_years)
    other_year = any(y > end.year or (start and y < start.year) for y in asked_years)
    passed = as_of > end
    title = f"《{doc.title}》"
    if doc.valid_until and start and start.year == end.year:  # a yearly notice (e.g. the 2023 职称评审 notice)
        if not passed and not other_year:
            return None
        if about_time or other_year or _DATE_IN_TEXT.search(clause.text):
            target = "其他年度（包括您问到的年份）" if other_year else "其他年度"
            return (f"{title}是{end.year}年度的工作安排，所列申报截止日期等时间节点仅适用于{end.year}年，"
                    f"截至{as_of.isoformat()}已过期；{target}的安排请以当年度通知为准。")
        return f"{title}是{end.year}年度的工作安排，{end.year}年以后请核对当年度通知是否延续。"
    if not passed and not other_year:
        return None
    if start:  # a multi-year plan
        return (f"{title}的实施期为{start.year}—{end.year}年，截至{as_of.isoformat()}已期满，"
                "请以最新政策为准。")
    # a document with a target year (到2025年): warn when the cited clause speaks of that target
    if str(end.year) in re.sub(r"\s+", "", clause.text) and (about_time or passed):
        return (f"{title}所定的是“到{end.year}年”的发展目标，目标年份{end.year}年已过（截至{as_of.isoformat()}），"
                "汇编没有载明后续目标，请以最新政策为准。")
    return None


def validity_warnings(corpus: Corpus, clause_ids: list[str], as_of: date, question: str,
                      tool_warnings: list[str] | None = None) -> tuple[list[str], list[str]]:
    """(warnings, ids of dated clauses the warnings quote) for the cited clauses and the tools' parameters."""
    out: list[str] = []
    sources: list[str] = []
    seen_docs: set[str] = set()
    for cid in clause_ids:
        clause = corpus.clauses.get(cid)
        if clause is None:
            continue
        hit = clause_warning(corpus, clause, as_of)
        if hit and hit[0] not in out:
            out.append(hit[0])
            if hit[1] not in sources:
                sources.append(hit[1])
        if clause.doc_slug not in seen_docs:
            dw = document_warning(corpus, clause, as_of, question)
            if dw:
                seen_docs.add(clause.doc_slug)
                if dw not in out:
                    out.append(dw)
    for w in tool_warnings or []:
        if w in out:
            continue
        # a tool may say what the document-level warning already says (the 2023 notice is an annual one):
        # keep the more specific document warning once
        same_doc = [o for o in out if _names_same_annual_document(o, w)]
        if not same_doc:
            out.append(w)
    return out, sources


def _names_same_annual_document(a: str, b: str) -> bool:
    """Both warnings are about the same dated document's period (e.g. both name 《…2023年…通知》 and 2023年度)."""
    titles_a = set(re.findall(r"《[^》]+》", a))
    titles_b = set(re.findall(r"《[^》]+》", b))
    return bool(titles_a & titles_b) and "年度" in a and "年度" in b


# Whether a *policy* still applies: strong words alone, weaker ones only with a policy word and not about one's own
# certificate, score or materials ("证书有效吗", "成绩过了有效期" ask about the person's papers, not the policy).
_VALIDITY_STRONG = re.compile(r"到期|过期了|失效|废止|还管用|管用吗|管不管用|还按.{0,10}执行|还执行|按.{0,8}执行吗|还作数")
_VALIDITY_WEAK = re.compile(r"有效期|还有效|仍有效|有效吗|还算数|还适用|还能用|还能享受|还中不中|还行不行|现在还|\d{4}年.{0,12}(还|仍|也)")
_POLICY_WORDS = re.compile(r"政策|文件|办法|方案|意见|通知|清单|规定|这条|条款|优惠|补贴|扣减|免征|减征|奖励|标准|目标")
_TIME_REFERENCE = re.compile(r"\d{4}年|今年|明年|后年|现在|目前|如今|今后|到时候|这几年|几年后|还在|有效期|过期|期限")
_OWN_PAPERS = re.compile(r"(证书|成绩|资格|材料|证明|合同|执照).{0,6}(有效|过期|失效|算数)")
_TITLE_WORDS = re.compile(r"^(乌海市|关于)+|^(转发|加快|全面推行|做好)|[“”《》\s]|（[^）]*）|(工作)?(实施方案|实施意见|管理办法|办法|的通知|通知)$|发展的$")


def _core_name(title: str) -> str:
    """"“技能乌海行动”实施方案（2022-2025年）" -> "技能乌海行动": the words that name a document in speech."""
    previous = None
    name = title
    while previous != name:
        previous, name = name, _TITLE_WORDS.sub("", name)
    return name


def named_documents(corpus: Corpus, question: str) -> list[str]:
    """Documents the question names: by title, short title or the core of the title ("技能乌海行动方案")."""
    squashed = re.sub(r"[\s“”\"]+", "", question)
    out = []
    for doc in corpus.documents:
        titles = {re.sub(r"[\s“”\"]+", "", n) for n in (doc.title, doc.short_title) if n}
        core = re.sub(r"[\s“”\"]+", "", _core_name(doc.title))
        named_core = len(core) >= 4 and re.search(re.escape(core) + r"[^，。？?]{0,6}?(方案|办法|意见|通知|文件|规定)", squashed)
        # a name the title itself puts in quotes (“技能乌海行动”) is a proper name: said alone, it names the document
        proper = [n for n in re.findall(r"[“\"]([^”\"]{4,})[”\"]", doc.title) if "《" not in n]
        if any(t in squashed for t in titles) or named_core or any(n in squashed for n in proper):
            out.append(doc.slug)
    return out


_ENDS = re.compile(r"(到|至)(哪年|哪一年|什么时候|何时)|(哪年|哪一年|什么时候|何时)(结束|截止|到期|为止)|执行到|实施到")


def asks_validity(question: str, names_document: bool = False) -> bool:
    """The question asks whether a policy is still in force (到期, 还管用, 2026年还按它执行吗 …). A question naming a
    document ("技能乌海行动现在还有效吗", "…到哪年结束") needs no other policy word."""
    if _OWN_PAPERS.search(question):
        return False
    if _VALIDITY_STRONG.search(question) or (names_document and _ENDS.search(question)):
        return True
    policy = names_document or _POLICY_WORDS.search(question)
    return bool(_VALIDITY_WEAK.search(question) and policy and _TIME_REFERENCE.search(question))
