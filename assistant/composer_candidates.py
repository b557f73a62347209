"""Candidates: the clauses an answer may cite (retrieved or cited by a tool), the tool runs that point at them, and
their ranking — the clause that actually answers comes first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.composer_sentences import best_sentence, bigrams, overlap, question_bigrams
from corpus.model import Corpus

DECISIVE = ("computed", "eligible", "not_eligible", "ambiguous", "not_in_force")


@dataclass
class Candidate:
    clause_id: str
    label: str
    document: str
    text: str
    retrieval_rank: int | None = None  # 0-based
    retrieval_score: float = 0.0
    tool_rank: int | None = None  # position among the tools' citations
    tool_prior: float = 0.0  # how strongly a tool result points at this clause (see `tool_priors`)
    kind: str = ""  # corpus clause kind (table_row, article, item …)
    overlap: float = 0.0
    sentence_score: float = 0.0  # the best extractive sentence score of this clause
    score: float = 0.0
    # In force on the as-of date (assistant.composer_in_force): "" when it applies, else repealed / not_yet / amended,
    # with the sentence that says so. `text` then holds only what may still be quoted; `source_text` the verbatim clause.
    status: str = ""
    status_note: str = ""
    source_text: str = ""
    before_note: str = ""  # for the amending clause: "（2024年7月1日前为“…”）"

    def citation(self) -> dict[str, str]:
        return {"clause_id": self.clause_id, "document": self.document, "label": self.label,
                "text": self.source_text or self.text}


@dataclass
class ToolRun:
    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]  # ToolResult.to_json()
    primary: bool = True
    assumption_zh: str = ""  # facts assumed to compute a conditional figure ("如果……")
    asked: list[dict[str, Any]] = field(default_factory=list)  # missing facts of the unconditional run
    focus: list[str] = field(default_factory=list)  # title routes the question is about (转系列, 破格 …)

    @property
    def outcome(self) -> str:
        return str(self.result.get("outcome", ""))

    # -------------------------------------------------------------- title routes (value.routes / not_applicable)
    def focus_routes(self) -> list[dict[str, Any]]:
        """The routes the question itself is about, in the order of `focus`, wherever the tool listed them."""
        if not self.focus:
            return []
        value = self.result.get("value") or {}
        listed = {r.get("id"): r for r in (value.get("routes") or []) + (value.get("not_applicable") or [])}
        out = []
        for fid in self.focus:
            for rid, r in listed.items():
                if rid == fid or (fid.endswith("*") and str(rid).startswith(fid[:-1])):
                    if r not in out:
                        out.append(r)
        return out

    @property
    def decisive(self) -> bool:
        """The run answers the question (a figure, a yes or a no), not only asks for facts."""
        if self.assumption_zh:
            return False
        focus = self.focus_routes()
        if focus:
            return any(r.get("status") in ("eligible", "not_eligible", "ambiguous") for r in focus)
        return self.outcome in DECISIVE

    def summary(self) -> str:
        """The direct answer: the tool's summary, or for a focused title question the focus routes' own lines."""
        focus = self.focus_routes()
        if focus:
            lines = []
            for r in focus:
                line = r.get("summary_zh") or f"“{r.get('name_zh')}”：{r.get('reason')}"
                if r.get("status") == "eligible":
                    line = "可以。" + line
                elif r.get("status") == "not_eligible":
                    # "还差2年" is a matter of time; working in 市直 or lacking the award is not
                    line = ("目前还不能。" if _TIME_GAP.search(line + str(r.get("reason") or "")) else "不能。") + line
                lines.append(line.rstrip("。") + "。")
            return "".join(lines)
        return (self.result.get("summary_zh") or "").strip()

    def missing_questions(self) -> list[dict[str, Any]]:
        """Facts to ask: only those of the focus routes when the question has a focus (other routes do not change its answer)."""
        missing = list(self.result.get("missing_facts") or []) + list(self.asked)
        focus = self.focus_routes()
        if focus:
            wanted = {f for r in focus for f in r.get("missing") or []}
            missing = [m for m in missing if m.get("fact") in wanted]
        return missing

    def relevant_warnings(self) -> list[str]:
        """The tool's warnings, without those about routes outside the question's focus (they name such a route's clause)."""
        warnings = list(self.result.get("warnings") or [])
        focus = self.focus_routes()
        if not focus:
            return warnings
        value = self.result.get("value") or {}
        focus_ids = {r.get("id") for r in focus}
        kept_refs = {ref for r in focus for ref in str(r.get("clause_refs") or "").split("；") if ref}
        other_refs = {ref for r in (value.get("routes") or []) if r.get("id") not in focus_ids
                      for ref in str(r.get("clause_refs") or "").split("；") if ref} - kept_refs
        return [w for w in warnings if not any(ref in w for ref in other_refs)]

    def primary_clauses(self, corpus: Corpus | None = None) -> list[str]:
        """The clause(s) holding the rule that answers: a focused or relevant title route's clauses, else the
        clauses the summary names (第十二条, 四、（七）), in the order the summary names them."""
        cites = [c for c in self.result.get("citations") or []]
        value = self.result.get("value") or {}
        if self.name == "clause_rule":
            return cites[:1]  # the clause the rule applies
        if self.name == "title_application_routes" and isinstance(value, dict):
            routes = self.focus_routes() or list(value.get("routes") or [])
            # the clauses the tool's lead sentence rests on come first (e.g. the 涉农经历 rule that decides)
            out = list(value.get("lead_clauses") or []) + [c for r in routes for c in r.get("clauses") or []]
            return list(dict.fromkeys(out))
        summary = self.summary()
        if corpus is None or not summary:
            return cites[:1]
        named = []
        for cid in cites:
            clause = corpus.clauses.get(cid)
            ref = clause_number(clause) if clause is not None else ""
            pos = summary.find(ref) if ref else -1
            if pos >= 0:
                named.append((pos, cid))
        if named:
            return [cid for _, cid in sorted(named)]
        grams = bigrams(summary)
        scored = sorted(cites, key=lambda c: -overlap(grams, corpus.clauses[c].text) if c in corpus.clauses else 0)
        return scored[:1]


def clause_number(clause: Any) -> str:
    """The clause's own number within its document: 第十二条, 四、（七）, 五、（五）2 (label minus document and heading)."""
    label = clause.label or ""
    label = re.sub(r"^《[^》]*》", "", label)
    if clause.title and label.endswith(clause.title):
        label = label[: -len(clause.title)]
    return label.rstrip(".． ")



_TIME_GAP = re.compile(r"还差\s*[\d一二两三四五六七八九十半]|还不满|尚不满|未满\s*[\d一二两三四五六七八九十]"
                       r"|(需|须)[^。；]{0,16}满\s*[\d一二两三四五六七八九十.]+\s*(个月|年)[^。；]{0,6}目前")
_MATERIAL_WORDS = re.compile(r"请示|申请表|审批表|复印件|原件|凭证|汇总表|证明材料|截图|票据|花名册")
_ASKS_MATERIALS = re.compile(r"材料|资料|提交|提供|准备|申请表|要交|交什么|带什么|手续|流程|程序|怎么申请|如何申请|怎么报|怎么办理|"
                             r"需要什么|报送|证明|复印件|表格")
MATERIALS_PENALTY = 0.6
_FORM_TITLE = re.compile(r"(申请|审批|登记|备案|汇总|推荐)表")
_BLANK_DATE = re.compile(r"年\s+月\s+日")


def is_materials_list(text: str) -> bool:
    """A clause that lists the papers to hand in (请示、申请表、复印件、凭证 …): it names every subsidy it is for, so
    words alone rank it first for "学徒补贴怎么算", but it answers only a question about what to submit."""
    if len(_MATERIAL_WORDS.findall(text)) >= 3:
        return True
    # a blank form to fill in (附件：……申请表 with 年 月 日 blanks) is a paper to hand in too
    return bool(_FORM_TITLE.search(text[:80]) and _BLANK_DATE.search(text))


def rank_candidates(question: str, retrieved: list[Candidate], tool_cited: list[Candidate]) -> list[Candidate]:
    """Merge retrieved clauses and tool-cited clauses; the clause that actually answers comes first.

    Score = retrieval rank prior + tool prior (the clause of the rule a tool applied) + word overlap with the question
    + the score of the clause's best answering sentence (so that the clause holding the sentence quoted comes first).
    """
    grams = question_bigrams(question)
    asks_materials = bool(_ASKS_MATERIALS.search(question))
    by_id: dict[str, Candidate] = {}
    for cand in retrieved:
        by_id.setdefault(cand.clause_id, cand)
    for cand in tool_cited:
        if cand.clause_id in by_id:
            kept = by_id[cand.clause_id]
            kept.tool_rank = cand.tool_rank
            kept.tool_prior = max(kept.tool_prior, cand.tool_prior)
        else:
            by_id[cand.clause_id] = cand
    for cand in by_id.values():
        cand.overlap = overlap(grams, cand.text)
        cand.sentence_score = best_sentence(question, cand)[0]
        prior = 0.0
        if cand.retrieval_rank is not None:  # hybrid ranks are close calls: a gentle, linear prior
            prior += max(0.0, 0.45 - 0.05 * cand.retrieval_rank)
        if cand.tool_prior:
            prior += cand.tool_prior
        elif cand.tool_rank is not None:
            prior += 0.5 if cand.tool_rank < 2 else (0.3 if cand.tool_rank < 5 else 0.15)
        cand.score = prior + 0.2 * cand.overlap + 1.0 * cand.sentence_score
        if not asks_materials and is_materials_list(cand.text):
            cand.score -= MATERIALS_PENALTY
    return sorted(by_id.values(), key=lambda c: -c.score)

