"""Answer composition: conclusion first, then 依据 (quoted clauses), 计算过程 (tool trace), 提示, follow-up questions.

Extractive only: every sentence of a lookup answer is copied from a cited clause (the sentences that share most
words/numbers with the question), and every number of a tool answer comes from the tool's result. Nothing is
paraphrased, so no number can appear that is not in a tool result or a cited clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from corpus.model import Corpus

_SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_ASKS_NUMBER = re.compile(r"多少|几|多久|多长|比例|标准|金额|怎么算|怎么分|哪天|几号|什么时候|截止|期限|占")
_QUESTION_FILLER = re.compile(r"请问|我想知道|想问一下|想问|我们|我|你们|你|吗|呢|吧|啊|呀|能不能|可不可以|是不是|有没有|怎么|什么|哪些|哪个|多少|几")

SHORT_QUOTE = 120  # a clause this short is quoted whole in 依据
MAX_CITATIONS_WITH_TOOLS = 8


@dataclass
class Candidate:
    clause_id: str
    label: str
    document: str
    text: str
    retrieval_rank: int | None = None  # 0-based
    retrieval_score: float = 0.0
    tool_rank: int | None = None  # position among the tools' citations
    overlap: float = 0.0
    score: float = 0.0

    def citation(self) -> dict[str, str]:
        return {"clause_id": self.clause_id, "document": self.document, "label": self.label, "text": self.text}


@dataclass
class ToolRun:
    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]  # ToolResult.to_json()
    primary: bool = True
    assumption_zh: str = ""  # facts assumed to compute a conditional figure ("如果……")
    asked: list[dict[str, Any]] = field(default_factory=list)  # missing facts of the unconditional run

    @property
    def outcome(self) -> str:
        return str(self.result.get("outcome", ""))


@dataclass
class Composed:
    status: str
    answer: str
    citations: list[dict[str, str]]
    follow_up_questions: list[str] = field(default_factory=list)


def bigrams(text: str) -> set[str]:
    t = _PUNCT.sub("", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def question_bigrams(question: str) -> set[str]:
    return bigrams(_QUESTION_FILLER.sub(" ", question))


def overlap(question_grams: set[str], text: str) -> float:
    if not question_grams:
        return 0.0
    return len(question_grams & bigrams(text)) / len(question_grams)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(_PUNCT.sub("", s)) >= 2]


def _has_number(text: str) -> bool:
    return bool(re.search(r"\d|[一二两三四五六七八九十]+(年|个|名|人|级|倍|%)", text))


def pick_sentences(question: str, candidates: list[Candidate], max_sentences: int = 4, max_clauses: int = 3) -> list[tuple[str, str]]:
    """(clause_id, sentence) pairs that answer the question, from the best clauses, in citation order."""
    grams = question_bigrams(question)
    wants_number = bool(_ASKS_NUMBER.search(question))
    scored: list[tuple[float, int, int, str, str]] = []
    for ci, cand in enumerate(candidates[:max_clauses]):
        for si, sent in enumerate(split_sentences(cand.text)):
            s = overlap(grams, sent)
            if wants_number and _has_number(sent):
                s += 0.15
            s -= 0.04 * ci  # the better clause wins ties
            if len(_PUNCT.sub("", sent)) <= 8:  # headings such as "（二）特设岗位设置"
                s -= 0.3
            scored.append((s, ci, si, cand.clause_id, sent))
    if not scored:
        return []
    best = max(scored)[0]
    chosen = [x for x in scored if x[0] >= max(0.6 * best, best - 0.25) and x[0] > 0]
    chosen.sort(key=lambda x: -x[0])
    chosen = chosen[:max_sentences]
    if not any(x[1] == 0 for x in chosen):  # always say what the top clause says
        top = [x for x in scored if x[1] == 0]
        if top:
            chosen.append(max(top))
    chosen.sort(key=lambda x: (x[1], x[2]))
    return [(x[3], x[4]) for x in chosen]


def rank_candidates(question: str, retrieved: list[Candidate], tool_cited: list[Candidate]) -> list[Candidate]:
    """Merge retrieved clauses and tool-cited clauses; the clause that actually answers comes first.

    Score = retrieval rank prior + tool prior (a clause a tool used to decide) + word overlap with the question.
    """
    grams = question_bigrams(question)
    by_id: dict[str, Candidate] = {}
    for cand in retrieved:
        by_id.setdefault(cand.clause_id, cand)
    for cand in tool_cited:
        if cand.clause_id in by_id:
            by_id[cand.clause_id].tool_rank = cand.tool_rank
        else:
            by_id[cand.clause_id] = cand
    for cand in by_id.values():
        cand.overlap = overlap(grams, cand.text)
        prior = 0.0
        if cand.retrieval_rank is not None:
            prior += 1.0 / (1.0 + cand.retrieval_rank)
        if cand.tool_rank is not None:
            prior += 0.7 if cand.tool_rank < 2 else (0.45 if cand.tool_rank < 5 else 0.25)
        cand.score = prior + 0.8 * cand.overlap
    return sorted(by_id.values(), key=lambda c: -c.score)


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


def compose(question: str, *, candidates: list[Candidate], tool_runs: list[ToolRun], warnings: list[str],
            corpus: Corpus, top_k: int, intent_labels: list[str]) -> Composed:
    """The answer text, status and ordered citations for an in-scope question."""
    max_cites = MAX_CITATIONS_WITH_TOOLS if tool_runs else top_k
    cited = candidates[:max_cites]
    lines: list[str] = []
    follow_ups: list[str] = []
    status = "answered"

    decisive = [r for r in tool_runs if r.outcome not in ("needs_info",) and not r.assumption_zh]
    needs = [r for r in tool_runs if r.outcome == "needs_info" or r.assumption_zh]
    for run in tool_runs:
        for m in (run.result.get("missing_facts") or []) + run.asked:
            q = m.get("question_zh")
            if q and q not in follow_ups:
                follow_ups.append(q)
    if needs and not decisive:
        status = "needs_more_info"

    # 结论
    conclusion: list[str] = []
    for run in tool_runs:
        summary = (run.result.get("summary_zh") or "").strip()
        if summary and run.assumption_zh:
            summary = f"（按以下假设测算，请核实：{run.assumption_zh}）{summary}"
        if summary and summary not in conclusion:
            conclusion.append(summary)
    sentences = pick_sentences(question, cited)
    extract = _join_extract(sentences)
    if conclusion:
        lines.append("结论：" + "".join(conclusion))
        if extract:
            lines.append("条文原文：" + extract)
    elif extract:
        lines.append("根据政策原文：" + extract)
    else:
        lines.append("汇编中与该问题最相关的条款如下，请结合原文理解。")
    if status == "needs_more_info" and follow_ups:
        lines.append("要给出确定结论，还需要了解：" + " ".join(follow_ups))

    # 依据
    if cited:
        lines.append("依据：")
        used = {cid for cid, _ in sentences}
        for cand in cited[: max(3, min(len(cited), 5))]:
            if len(_clean(cand.text)) <= SHORT_QUOTE:
                quote = _clean(cand.text)
            elif cand.clause_id in used:
                quote = _join_extract([(cid, s) for cid, s in sentences if cid == cand.clause_id])
                quote = _quote(quote, 200)
            else:
                quote = _quote(cand.text)
            lines.append(f"- {cand.document and '《' + cand.document + '》' or ''}{_short_label(cand)}：“{quote}”")

    # 计算/判断过程
    steps = [(run.name, s.get("text_zh", "")) for run in tool_runs for s in run.result.get("steps") or []]
    if steps:
        lines.append("计算/判断过程：")
        for _, text in steps:
            if text:
                lines.append(f"- {text}")

    if warnings:
        lines.append("提示：")
        lines.extend(f"- {w}" for w in warnings)
    if follow_ups and status != "needs_more_info":
        lines.append("如需更准确的判断，请补充：" + " ".join(follow_ups))
    return Composed(status=status, answer="\n".join(lines), citations=[c.citation() for c in cited], follow_up_questions=follow_ups)


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


def compose_out_of_scope(question: str, *, topic: str | None, refer: str | None, mention: Candidate | None,
                         covered: list[str]) -> Composed:
    """Decline: say the compilation does not contain the answer, what it does cover, and what it says when it mentions the topic."""
    what = f"“{topic}”" if topic else "这个问题"
    lines = [f"抱歉，《技术技能人才支持政策汇编》（乌海市）中没有关于{what}的规定，无法据此回答。"]
    citations = []
    if mention is not None:
        lines.append(f"汇编中提到相关内容的是{mention.label}：“{_quote(mention.text, 160)}”，但没有写明您问的具体标准或数额。")
        citations.append(mention.citation())
    if refer:
        lines.append(f"建议咨询{refer}。")
    lines.append("本汇编涵盖：" + "、".join(covered) + "。")
    return Composed(status="out_of_scope", answer="\n".join(lines), citations=citations)
