"""Answer composition: conclusion first, then 依据 (quoted clauses), 计算过程 (tool trace), 提示, follow-up questions.

Extractive only: every sentence of a lookup answer is copied from a cited clause (the sentences that share most
words/numbers with the question), and every number of a tool answer comes from the tool's result. Nothing is
paraphrased, so no number can appear that is not in a tool result or a cited clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from corpus.model import Corpus

_SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_QUESTION_FILLER = re.compile(r"请问|我想知道|想问一下|想问|我们|我|你们|你|吗|呢|吧|啊|呀|能不能|可不可以|是不是|有没有|怎么|什么|哪些|哪个|多少|几")

# What kind of fact a question asks for, and how a sentence that states such a fact looks. A sentence of the asked
# kind is preferred when quoting (a money question is answered by the sentence with the amount, not by the one
# that only names the subsidy).
KIND_BONUS = 0.25

SHORT_QUOTE = 90  # 依据 quotes are cut to about this many characters
MAX_CITATIONS_WITH_TOOLS = 8
MAX_BASIS = 3  # clauses quoted under 依据 (all cited clauses are in `citations`)
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
                    line = "目前还不能。" + line
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
            ref = clause_ref(clause) if clause is not None else ""
            pos = summary.find(ref) if ref else -1
            if pos >= 0:
                named.append((pos, cid))
        if named:
            return [cid for _, cid in sorted(named)]
        grams = bigrams(summary)
        scored = sorted(cites, key=lambda c: -overlap(grams, corpus.clauses[c].text) if c in corpus.clauses else 0)
        return scored[:1]


def clause_ref(clause: Any) -> str:
    """The clause's own number within its document: 第十二条, 四、（七）, 五、（五）2 (label minus document and heading)."""
    label = clause.label or ""
    label = re.sub(r"^《[^》]*》", "", label)
    if clause.title and label.endswith(clause.title):
        label = label[: -len(clause.title)]
    return label.rstrip(".． ")


_COORDINATED = re.compile(r"((?:[\u4e00-\u9fff]、)+)([\u4e00-\u9fff])(级|类)")


def expand_coordinated(text: str) -> str:
    """"中、初级" means 中级 and 初级 ("高、中、初级" too): spell it out so that 中级 matches."""

    def spell(m: re.Match) -> str:
        heads = m.group(1).split("、")[:-1] + [m.group(2)]
        return "、".join(h + m.group(3) for h in heads)

    return _COORDINATED.sub(spell, text)


def bigrams(text: str) -> set[str]:
    t = _PUNCT.sub("", expand_coordinated(text))
    return {t[i:i + 2] for i in range(len(t) - 1)}


@lru_cache(maxsize=512)
def _question_grams(question: str) -> frozenset[str]:
    grams = bigrams(_QUESTION_FILLER.sub(" ", question))
    try:  # the domain synonyms of the tokenizer (老师 -> 教师, 评副高 -> 副高级 职称评审): the clause's own words
        from indexing.tokenizer import tokenize

        extra = [t for t in tokenize(question) if t not in question]
    except Exception:  # the tokenizer is optional here: plain bigrams still work
        extra = []
    for word in extra:
        grams |= bigrams(word)
    return frozenset(grams)


def question_bigrams(question: str) -> set[str]:
    return set(_question_grams(question))


def overlap(question_grams: set[str], text: str) -> float:
    if not question_grams:
        return 0.0
    return len(question_grams & bigrams(text)) / len(question_grams)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(_PUNCT.sub("", s)) >= 2]


def answer_kinds(question: str) -> list[str]:
    """The kinds of fact a question asks for (money, ratio, duration, date, count, contact …; indexing/answer_types.yaml)."""
    from indexing.answer_type import asked_types

    return asked_types(question)


_SUBQUESTION = re.compile(r"[^？?！!。；;]+[？?！!。；;]?")
SUBQUESTION_WEIGHT = 0.8


@lru_cache(maxsize=512)
def subquestion_grams(question: str) -> tuple[frozenset[str], ...]:
    """Bigrams of each part of a multi-part question ("能破格吗？评上后没有岗位怎么办？"), parts of 6+ characters."""
    parts = [p for p in _SUBQUESTION.findall(question) if len(_PUNCT.sub("", p)) >= 6]
    if len(parts) < 2:
        return ()
    return tuple(frozenset(question_bigrams(p)) for p in parts)


def states(sentence: str, kinds: list[str]) -> bool:
    from indexing.answer_type import states as states_kind

    return states_kind(sentence, kinds)


def sentence_score(grams: set[str], kinds: list[str], sentence: str, *, table_row: bool = False,
                   parts: tuple[frozenset[str], ...] = ()) -> float:
    """Word overlap with the question (or with one part of a multi-part question, slightly discounted), plus a bonus
    when the sentence states the kind of fact asked for."""
    s = overlap(grams, sentence)
    for part in parts:
        s = max(s, SUBQUESTION_WEIGHT * overlap(set(part), sentence))
    for kind in kinds:
        if states(sentence, [kind]) or (kind == "contact" and table_row):
            s += KIND_BONUS
            break
    if len(_PUNCT.sub("", sentence)) <= 8:  # headings such as "（二）特设岗位设置"
        s -= 0.3
    return s


def _scored_sentences(question: str, candidates: list[Candidate], max_clauses: int, extra: str = "") -> list[tuple[float, int, int, str, str]]:
    grams = question_bigrams(question)
    if extra:
        grams = grams | bigrams(extra)
    kinds = answer_kinds(question)
    parts = subquestion_grams(question)
    scored: list[tuple[float, int, int, str, str]] = []
    for ci, cand in enumerate(candidates[:max_clauses]):
        for si, sent in enumerate(split_sentences(cand.text)):
            s = sentence_score(grams, kinds, sent, table_row=cand.kind == "table_row", parts=parts) - 0.04 * ci  # ties: better clause
            scored.append((s, ci, si, cand.clause_id, sent))
    return scored


def pick_sentences(question: str, candidates: list[Candidate], max_sentences: int = 3, max_clauses: int = 3,
                   extra: str = "") -> list[tuple[str, str]]:
    """(clause_id, sentence) pairs that answer the question, from the best clauses, in citation order.

    `extra` (a tool's summary) adds its words to the question's, so that the quoted sentence is the one the tool applied.
    """
    scored = _scored_sentences(question, candidates, max_clauses, extra)
    if not scored:
        return []
    best = max(scored)[0]
    chosen = [x for x in scored if x[0] >= max(0.7 * best, best - 0.2) and x[0] > 0]
    chosen.sort(key=lambda x: -x[0])
    chosen = chosen[:max_sentences]
    if not any(x[1] == 0 for x in chosen):  # always say what the top clause says
        top = [x for x in scored if x[1] == 0]
        if top:
            chosen.append(max(top))
    # each part of a multi-part question ("中级几号截止？中小学老师的呢？") gets its own best sentence
    kinds = answer_kinds(question)
    for part in subquestion_grams(question):
        best_for_part = max(scored, key=lambda x: sentence_score(set(part), kinds, x[4]) - 0.04 * x[1])
        if best_for_part not in chosen and sentence_score(set(part), kinds, best_for_part[4]) > 0:
            chosen.append(best_for_part)
    chosen.sort(key=lambda x: (x[1], x[2]))
    return [(x[3], x[4]) for x in chosen]


def best_sentence(question: str, cand: Candidate) -> tuple[float, str]:
    scored = _scored_sentences(question, [cand], 1)
    if not scored:
        return 0.0, ""
    top = max(scored)
    return top[0], top[4]


def rank_candidates(question: str, retrieved: list[Candidate], tool_cited: list[Candidate]) -> list[Candidate]:
    """Merge retrieved clauses and tool-cited clauses; the clause that actually answers comes first.

    Score = retrieval rank prior + tool prior (the clause of the rule a tool applied) + word overlap with the question
    + the score of the clause's best answering sentence (so that the clause holding the sentence quoted comes first).
    """
    grams = question_bigrams(question)
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


def mirror_verdict(question: str, summary: str) -> str:
    """Replace a leading 可以/不可以 with the words of the question (需要/不需要, 能/不能, 行/不行, 够/不够)."""
    m = re.match(r"^(不可以|可以)。", summary)
    if not m:
        return summary
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


@dataclass
class Composed:
    status: str
    answer: str
    citations: list[dict[str, str]]
    follow_up_questions: list[str] = field(default_factory=list)
    relied_on: list[str] = field(default_factory=list)  # clause ids the conclusion and quotes rest on, in order


# (relied-on clause ids, deciding runs) -> (warnings, clauses the warnings quote, validity statements that lead the answer)
WarningsFor = Callable[[list[str], list[ToolRun]], tuple[list[str], list[Candidate], list[str]]]


def compose(question: str, *, candidates: list[Candidate], tool_runs: list[ToolRun], corpus: Corpus, top_k: int,
            intent_labels: list[str], warnings_for: WarningsFor | None = None, asks_verdict: bool = False,
            focus: str | None = None) -> Composed:
    """The answer text, status and ordered citations for an in-scope question.

    结论 first: the deciding tool's or rule's verdict (可以 / 不可以 / 现在还不行，还差…) or figure, else one short
    statement per sub-question (`assistant.direct`); then 条文原文, 依据, 计算/判断过程, 提示 (expiry warnings only
    for the clauses the answer rests on) and the follow-up questions of the runs that still need facts.
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
    if not conclusion:
        stated = render_direct(direct)
        if stated:
            conclusion.append(stated)
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
        conclusion = (conclusion[:1] + statements + conclusion[1:]) if decisive and asks_verdict else statements + conclusion
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
            if cand.clause_id in used:
                quote = _quote(_join_extract([(cand.clause_id, s) for s in used[cand.clause_id]]), SHORT_QUOTE)
            else:
                quote = _quote(best_sentence(question + extra, cand)[1] or cand.text, SHORT_QUOTE)
            lines.append(f"- {cand.document and '《' + cand.document + '》' or ''}{_short_label(cand)}：“{quote}”")

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
                    relied_on=relied)


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
