"""Stand-ins for the assistant and the retriever, with the real answer contract's shape."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

A18 = "skills-contest/a18"


@dataclass
class FakeRetrievedClause:
    clause_id: str
    label: str
    document: str
    text: str
    score: float
    rank_sources: dict = field(default_factory=dict)


class FakeAssistant:
    """Answers the skills-contest question from the real clause; everything else per the contract's statuses."""

    def __init__(self):
        self.calls: list[tuple[str, date | None, str | None]] = []

    def ask(self, question: str, *, as_of: date | None = None, session_id: str | None = None, id: str | None = None) -> dict:
        from corpus.loader import load_corpus

        started = time.perf_counter()
        self.calls.append((question, as_of, session_id))
        corpus = load_corpus()
        base = {"question": question, "citations": [], "tool_calls": [], "warnings": [], "follow_up_questions": []}
        text = question.strip()
        if text.startswith("慢"):  # lets the browser test see the answer being prepared
            time.sleep(8)  # long enough for a loaded 2-core machine to show and check the pending state
        if not text or all(not ch.isalnum() for ch in text):
            out = {**base, "status": "error", "answer": "问题为空或无法识别，请用中文描述您想了解的政策。"}
        elif len(text) > 2000:
            out = {**base, "status": "error", "answer": f"问题过长（{len(text)}字），请精简到2000字以内。"}
        elif "职称" in text:
            out = {**base, "status": "needs_more_info", "answer": "能否申报取决于您的学历和工作年限。",
                   "follow_up_questions": ["请问您的最高学历是？"]}
        elif "天气" in text:
            out = {**base, "status": "out_of_scope", "answer": "汇编中没有天气信息。"}
        else:
            clause = corpus.clauses[A18]
            cite = {"clause_id": A18, "document": corpus.document(clause.doc_slug).title, "label": clause.label, "text": clause.text}
            out = {**base, "status": "answered", "conclusion": "全市技能大赛金奖奖金1万元。",
                   "answer": "结论：全市技能大赛金奖奖金1万元。\n条文原文：给予1万元、0.8万元、0.5万元的奖金奖励\n"
                             "计算/判断过程：\n- 第十八条：第1名获金奖，奖金10000元（1万元）。",
                   "citations": [cite], "follow_up_questions": ["银奖奖金多少？"],
                   "warnings": ["示例提示：请以正式文件为准"] if as_of and as_of.year >= 2026 else [],
                   "tool_calls": [{"name": "initial_post_grade", "arguments": {"degree": "硕士"},
                                   "result": {"outcome": "computed", "summary_zh": "硕士学历首次聘用专业技术岗位可聘十一级。",
                                              "value": {"grade": 11}, "steps": [], "citations": [], "as_of": "2025-01-01"}}]}
        out["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return out


class FakeRetriever:
    """Substring scoring over the real corpus."""

    def retrieve(self, query: str, top_k: int = 5, mode: str = "hybrid") -> list[FakeRetrievedClause]:
        from corpus.loader import load_corpus

        corpus = load_corpus()
        words = [w for w in query.split() if w] or [query]
        hits = []
        for clause in corpus.clauses.values():
            score = sum(clause.text.count(w) for w in words)
            if score:
                hits.append(FakeRetrievedClause(clause.id, clause.label, corpus.document(clause.doc_slug).title, clause.text, float(score)))
        hits.sort(key=lambda h: -h.score)
        return hits[:top_k]
