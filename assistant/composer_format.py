"""Formatting: how quotes, title routes, verdict words and 依据 labels read in an answer (no choice of content)."""

from __future__ import annotations

import re

from assistant.composer_candidates import Candidate, ToolRun
from assistant.composer_sentences import _PUNCT, overlap

SHORT_QUOTE = 90  # 依据 quotes are cut to about this many characters


def _quote(text: str, limit: int = SHORT_QUOTE) -> str:
    """The text, cut after `limit` characters at a clause boundary (never inside a number)."""
    t = re.sub(r"\s*\n\s*", "", text).strip()
    if len(t) <= limit:
        return t
    cut = t[:limit]
    boundary = max(cut.rfind(ch) for ch in "，。；、,;")
    if boundary >= limit // 2:
        cut = cut[:boundary]
    cut = re.sub(r"[\d.%０-９]+$|[零〇一二两三四五六七八九十百千万]+$", "", cut)
    return cut.rstrip("，、；,;（(") + "……"


def _clean(sentence: str) -> str:
    return re.sub(r"\s*\n\s*", "", sentence).strip()


def _best_part(quote: str, grams: set[str]) -> str:
    """The part of a long parameter quote that concerns the user (split at ；/，; best word overlap)."""
    parts = [p for p in re.split(r"[；;]", quote) if p.strip()]
    if len(parts) <= 1:
        return quote
    return max(parts, key=lambda p: overlap(grams, p))


def _title_route_lines(run: ToolRun, grams: set[str]) -> list[str]:
    """The relevant routes' reasons, each with the threshold it applies (quoted), and one line for the rest."""
    value = run.result.get("value") or {}
    steps = {s.get("rule"): s for s in run.result.get("steps") or []}
    shown = run.focus_routes() or list(value.get("routes") or [])
    lines = []
    for r in shown:
        status = {"eligible": "符合", "not_eligible": "不符合", "needs_info": "还需了解情况", "ambiguous": "条文有两种理解"}.get(
            r.get("status"), r.get("status"))
        line = f"{r.get('name_zh')}（{r.get('clause_refs')}）：{status}。{r.get('reason') or ''}".rstrip("。") + "。"
        quotes = [_best_part(p.get("quote") or "", grams) for p in (steps.get(r.get("id")) or {}).get("parameters_used") or []
                  if p.get("quote")]
        if quotes:
            line += "条文：“" + "”“".join(_quote(q, 100) for q in dict.fromkeys(quotes)) + "”"
        lines.append(line)
    ids = {r.get("id") for r in shown}
    others = [r for r in (value.get("routes") or []) + (value.get("not_applicable") or []) if r.get("id") not in ids]
    if others:
        lines.append(f"另外核对了{len(others)}条其他途径，与您的问题或情况不符。")
    if "regular_review" in steps:
        lines.append(steps["regular_review"].get("text_zh", ""))
    return [x for x in lines if x]


def _says_nothing(summary: str) -> bool:
    """A tool summary with no fact in it (no number, only a request for more information)."""
    return len(_PUNCT.sub("", summary)) <= 16 and not re.search(r"\d", summary)


_VERDICT_HEAD = re.compile(r"^(可以|不可以|不能|能|不行|现在还不行|还不能|暂不能|目前还不能|符合|不符合|够|不够)")


# The verdict said the way it was asked: "需要先备案吗" -> 需要/不需要, "能不能" -> 能/不能, "行不行" -> 行/不行.
_MIRRORS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"需不需要|要不要|用不用|是否需要|是否必须|必须.{0,16}[吗么]|需要.{0,16}[吗么]|得.{0,8}[吗么]|是不是必须|是不是要|是不是得"), "需要", "不需要"),
    (re.compile(r"能不能|能否|能.{0,20}[吗么不]|还能"), "能", "不能"),
    (re.compile(r"行不行|行[吗么不]"), "行", "不行"),
    (re.compile(r"够不够|够[吗么不]|够格"), "够", "不够"),
]


_OBLIGATION_ASKED = re.compile(r"还用|还需要|还要|还得|必须|一定要|需不需要|用不用|要不要|得不得")
_EXEMPTION = re.compile(r"免除|免于|豁免|免交|免考|不受[^。；]{0,12}限制|可不|不再要求|不作要求")


def mirror_verdict(question: str, summary: str) -> str:
    """Replace a leading 可以/不可以 with the words of the question (需要/不需要, 能/不能, 行/不行, 够/不够)."""
    m = re.match(r"^(不可以|可以)。", summary)
    if not m:
        return summary
    if _OBLIGATION_ASKED.search(question) and _EXEMPTION.search(summary[m.end():]):
        # "继续教育学时还用修满吗" + a rule that waives it: yes, it is waived, is "不用"
        return ("不用" if m.group(1) == "可以" else "还需要") + "。" + summary[m.end():]
    for pattern, yes, no in _MIRRORS:
        if pattern.search(question):
            return (no if m.group(1) == "不可以" else yes) + "。" + summary[m.end():]
    return summary


def verdict_lead(run: ToolRun) -> str:
    """The verdict word a tool's yes/no answer leads with, when its own summary does not start with one."""
    summary = run.summary()
    if _VERDICT_HEAD.match(summary):
        return ""
    if run.outcome == "eligible":
        return "可以。"
    if run.outcome == "not_eligible":
        return "现在还不行。" if "还差" in summary else "不可以。"
    return ""


def _join_extract(sentences: list[tuple[str, str]]) -> str:
    """Sentences joined per clause; clauses separated so that no two numbers run together ("310" + "2." != "3102")."""
    parts: list[str] = []
    last_cid = None
    for cid, sent in sentences:
        text = _clean(sent)
        if parts and (cid != last_cid or (parts[-1][-1:].isdigit() and text[:1].isdigit())):
            if not re.search(r"[。；！？!?;]$", parts[-1]):
                parts.append("；")
            parts.append(" ")
        parts.append(text)
        last_cid = cid
    return "".join(parts).strip()


def _short_label(cand: Candidate) -> str:
    """The label without the document title it starts with (the document is printed just before it)."""
    label = cand.label
    if cand.document:
        label = label.replace(f"《{cand.document}》", "", 1)
    return label or cand.clause_id
