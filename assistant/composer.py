"""Answer composition: conclusion first, then 依据 (quoted clauses), 计算过程 (tool trace), 提示, follow-up questions.

Extractive only: every sentence of a lookup answer is copied from a cited clause (the sentences that share most
words/numbers with the question), and every number of a tool answer comes from the tool's result. Nothing is
paraphrased, so no number can appear that is not in a tool result or a cited clause.

The jobs live in their own modules and are importable from here: candidates and their ranking
(`composer_candidates`), sentence choice (`composer_sentences`), formatting (`composer_format`) and what is in force
on the as-of date (`composer_in_force`). This module puts an answer together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.composer_candidates import DECISIVE, Candidate, ToolRun, clause_number, rank_candidates
from assistant.composer_format import (
    SHORT_QUOTE,
    _best_part,
    _clean,
    _join_extract,
    _quote,
    _says_nothing,
    _short_label,
    _title_route_lines,
    mirror_verdict,
    verdict_lead,
)
from assistant.composer_in_force import apply_in_force, basis_marker, status_warnings
from assistant.composer_sentences import (
    KIND_BONUS,
    SUBQUESTION_WEIGHT,
    answer_kinds,
    best_sentence,
    bigrams,
    expand_coordinated,
    overlap,
    pick_sentences,
    question_bigrams,
    sentence_score,
    split_sentences,
    states,
    subquestion_grams,
)
from corpus.model import Corpus

__all__ = ["DECISIVE", "KIND_BONUS", "MAX_BASIS", "MAX_CITATIONS_WITH_TOOLS", "SHORT_QUOTE", "SUBQUESTION_WEIGHT",
           "Candidate", "Composed", "ToolRun", "WarningsFor", "answer_kinds", "apply_in_force", "best_sentence", "bigrams",
           "clause_number", "compose", "expand_coordinated", "mirror_verdict", "overlap", "pick_sentences",
           "question_bigrams", "rank_candidates", "sentence_score", "split_sentences", "states", "subquestion_grams",
           "verdict_lead", "_best_part", "_clean", "_quote", "_join_extract", "_short_label"]

MAX_CITATIONS_WITH_TOOLS = 8
MAX_BASIS = 3  # clauses quoted under 依据 (all cited clauses are in `citations`)


@dataclass
class Composed:
    status: str
    answer: str
    citations: list[dict[str, str]]
    follow_up_questions: list[str] = field(default_factory=list)
    relied_on: list[str] = field(default_factory=list)  # clause ids the conclusion and quotes rest on, in order
    warnings: list[str] = field(default_factory=list)  # cited clauses that do not apply as they read on the as-of date


# (relied-on clause ids, deciding runs) -> (warnings, clauses the warnings quote, validity statements that lead the answer)
WarningsFor = Callable[[list[str], list[ToolRun]], tuple[list[str], list[Candidate], list[str]]]


def compose(question: str, *, candidates: list[Candidate], tool_runs: list[ToolRun], corpus: Corpus, top_k: int,
            intent_labels: list[str], warnings_for: WarningsFor | None = None, asks_verdict: bool = False,
            focus: str | None = None) -> Composed:
    """The answer text, status and ordered citations for an in-scope question.

    结论 first: the deciding tool's or rule's verdict (可以 / 不可以 / 现在还不行，还差…) or figure, else one short
    statement per sub-question (`assistant.direct`); then 条文原文, 依据, 计算/判断过程, 提示 (expiry warnings only
    for the clauses the answer rests on) and the follow-up questions of the runs that still need facts.
    Candidates come as they apply on the as-of date (`apply_in_force`): a flagged one is marked 【已废止】/【尚未施行】/
    【已修改】 in its 依据 line and its reason is a warning; an answer resting on a repealed clause says so first.
    """
    from assistant.direct import direct_answers, question_parts, render_direct

    max_cites = MAX_CITATIONS_WITH_TOOLS if tool_runs else top_k
    cited = candidates[:max_cites]
    lines: list[str] = []
    follow_ups: list[str] = []
    status = "answered"

    primary = [r for r in tool_runs if r.primary]
    decisive = [r for r in primary if r.decisive]
    needs = [r for r in primary if not r.decisive]
    for run in primary:
        for m in run.missing_questions():
            q = m.get("question_zh")
            if q and q not in follow_ups:
                follow_ups.append(q)
    if needs and not decisive:
        status = "needs_more_info"

    # 结论: the deciding runs' answers (a clause rule's verdict first), then direct statements of the facts asked
    conclusion: list[str] = []
    lead_runs = sorted(primary, key=lambda r: (not r.decisive, r.name != "clause_rule"))
    for run in lead_runs:
        summary = run.summary()
        if not run.decisive and _says_nothing(summary):
            continue  # "还需补充信息才能判断。" is no conclusion: the clause's own sentences lead instead
        if summary and run.assumption_zh:
            summary = f"（按以下假设测算，请核实：{run.assumption_zh}）{summary}"
        if summary and asks_verdict and not conclusion and run.decisive:
            summary = mirror_verdict(question, verdict_lead(run) + summary)
        if summary and summary not in conclusion:
            conclusion.append(summary)
    direct = direct_answers(question, cited, focus=focus)
    lead_clauses = [c for r in decisive for c in r.primary_clauses(corpus)]
    parts = question_parts(focus or question)
    direct_line = ""
    if not conclusion:
        direct_line = render_direct(direct)
        if direct_line:
            conclusion.append(direct_line)
    elif len(parts) > 1:
        extra = [d for d in direct if d.clause_id not in lead_clauses]
        stated = render_direct(extra)
        if stated:
            conclusion.append("另外：" + stated)

    extra = "".join(r.summary() for r in decisive)
    sentences = pick_sentences(question, cited, max_sentences=2 if conclusion else 3, max_clauses=2 if conclusion else 3,
                               extra=extra)
    extract = _join_extract(sentences)
    relied = list(dict.fromkeys(lead_clauses + [d.clause_id for d in direct] + [cid for cid, _ in sentences]))
    warnings: list[str] = []
    if warnings_for is not None:
        warnings, sources, statements = warnings_for(relied, decisive or primary)
        known = {c.clause_id for c in cited}
        cited = cited + [c for c in sources if c.clause_id not in known]
        # "还管用吗": how long the document applies comes first — after a verdict the question also asks for
        if statements and direct_line and all(set(answer_kinds(d.part)) <= {"date", "duration"} for d in direct):
            conclusion.remove(direct_line)  # "什么时候实施的，有效期到什么时候": the document's dates say it, not a clause phrase
        conclusion = (conclusion[:1] + statements + conclusion[1:]) if decisive and asks_verdict else statements + conclusion
    # a cited clause repealed, amended or not yet in force on the as-of date is never cited without saying so; when
    # the answer rests on a repealed one, that comes first
    in_force_notes = status_warnings(cited)
    warnings = warnings + [w for w in in_force_notes if w not in warnings]
    rests_on = {c.clause_id: c for c in cited}
    repealed = list(dict.fromkeys(rests_on[cid].status_note for cid in relied
                                  if cid in rests_on and rests_on[cid].status == "repealed"))
    conclusion = [n + "，以下内容仅供了解原规定" for n in repealed] + conclusion
    if conclusion:
        lines.append("结论：" + "".join(c if re.search(r"[。！？]$", c) else c + "。" for c in conclusion))
        if extract:
            lines.append("条文原文：" + extract)
    elif extract:
        lines.append("根据政策原文：" + extract)
    else:
        lines.append("汇编中与该问题最相关的条款如下，请结合原文理解。")
    if status == "needs_more_info" and follow_ups:
        lines.append("要给出确定结论，还需要了解：" + " ".join(follow_ups))

    # 依据: short quotes of the best clauses (the sentence that answers, not the whole clause)
    if cited:
        lines.append("依据：")
        used: dict[str, list[str]] = {}
        for cid, sent in sentences:
            used.setdefault(cid, []).append(sent)
        for cand in cited[:MAX_BASIS]:
            head = f"- {cand.document and '《' + cand.document + '》' or ''}{_short_label(cand)}{basis_marker(cand)}"
            if cand.clause_id in used:
                quote = _quote(_join_extract([(cand.clause_id, s) for s in used[cand.clause_id]]), SHORT_QUOTE)
            else:
                quote = _quote(best_sentence(question + extra, cand)[1] or cand.text, SHORT_QUOTE)
            if not quote:  # nothing of it applies on the as-of date: say why instead of quoting it
                lines.append(f"{head}：{cand.status_note}")
                continue
            lines.append(f"{head}：“{quote}”{cand.before_note}")

    # 计算/判断过程
    grams = question_bigrams(question)
    steps: list[str] = []
    for run in lead_runs:
        if run.name == "title_application_routes":
            steps.extend(_title_route_lines(run, grams))
        else:
            steps.extend(s.get("text_zh", "") for s in run.result.get("steps") or [])
    steps = [s for s in dict.fromkeys(steps) if s]
    if steps:
        lines.append("计算/判断过程：")
        lines.extend(f"- {text}" for text in steps)

    if warnings:
        lines.append("提示：")
        lines.extend(f"- {w}" for w in warnings)
    if follow_ups and status != "needs_more_info":
        lines.append("如需更准确的判断，请补充：" + " ".join(follow_ups))
    return Composed(status=status, answer="\n".join(lines), citations=[c.citation() for c in cited], follow_up_questions=follow_ups,
                    relied_on=relied, warnings=in_force_notes)

