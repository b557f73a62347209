"""The assistant: question in, answer contract (DESIGN.md) out. CLI, web UI and evals all call `Assistant.ask`.

Deterministic by default: route -> slots -> tools (every number) + retrieval (every citation) -> abstention ->
validity -> composition. With `mode="llm"` and an LLM configured, `assistant.llm.LLMAnswerer` rewrites the answer
and the deterministic answer is the fallback.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from assistant.abstain import decide, refusal_lines
from assistant.composer import Candidate, Composed, ToolRun, apply_in_force, compose, rank_candidates
from assistant.config import AssistantSettings
from assistant.follow_up import resolve as resolve_follow_up
from assistant.quantity_check import quantity_problem
from assistant.router import Form, Intent, QuestionRoute, intent_label, route
from assistant.rule_select import asks_yes_no
from assistant.session import SessionStore, Turn, is_follow_up
from assistant.slots import Slots, extract_slots
from assistant.tool_calls import assumption_options, describe_assumption, plan_tool_calls, planned_arguments
from assistant.validity import asks_validity, named_documents, validity_warnings

logger = logging.getLogger("policy_qa.assistant")

FULL_CLAUSE_MAX = 400  # a retrieved part of a clause up to this long is cited as the whole clause
RETRIEVE_K = 8
RETRIEVAL_CACHE_SIZE = 256  # questions  # candidates fetched for re-ranking; at most settings.top_k are cited for a lookup

_ID_CARD = re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")
_HAS_WORD = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def _fed_by_question(run: ToolRun) -> bool:
    """The run computes with numbers the question states (a count, a length, an amount)."""
    return any(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in run.arguments.values())


def fed_calculation(runs: list[ToolRun]) -> bool:
    """A leading calculation fed by the question's numbers: the question is about it, even while it still asks for
    a fact ("40个员工，12个残疾人，土地税能减多少" — the tax owed), so evidence elsewhere never declines it."""
    return any(r.primary and _fed_by_question(r) for r in runs)


def computed_kinds(runs: list[ToolRun]) -> frozenset[str]:
    """The kinds of figure the leading runs computed: money when a result holds an amount in 元."""
    kinds = set()
    for run in runs:
        value = run.result.get("value") if run.primary and run.result.get("outcome") == "computed" else None
        if isinstance(value, dict) and any(k.endswith("_yuan") and v for k, v in value.items()):
            kinds.add("money")
    return frozenset(kinds)


def demote_unsupported(runs: list[ToolRun], retrieved_ids: list[str], calculation: bool = False) -> None:
    """A tool that only asks for facts, about clauses retrieval did not find, is not what the question is about.

    Such a run stays in `tool_calls` (its figures are still shown) but no longer turns the answer into a follow-up
    question: "还能再聘他当评委吗" mentions years and 评, yet asks about 评委, not about applying for a title. A
    calculation the question feeds with its own numbers ("企业招了3个学徒能补多少") is what it asks, whatever
    retrieval found: it keeps asking for the facts it still lacks.
    """
    for run in runs:
        if run.decisive or not run.primary:
            continue
        if calculation and _fed_by_question(run):
            continue
        cited = list(run.result.get("citations") or [])
        if cited and not any(_related(c, r) for c in cited for r in retrieved_ids):
            run.primary = False


_ALTERNATIVES = re.compile(r"如果|要是|假如|假设|或者|还是|分别按|哪个")


def _item_label(run: ToolRun) -> str:
    """What one computed amount is, for the total: the benefit or item it is for, and its year."""
    value = run.result.get("value") or {}
    label = str(value.get("benefit") or value.get("item") or value.get("subject") or "")
    year = value.get("tax_year") or value.get("year")
    return (label + (f"（{year}年）" if year else "")) or "一项"


def call_key(run: ToolRun) -> str:
    return f"{run.name} {json.dumps(run.arguments, ensure_ascii=False, sort_keys=True, default=str)}"


def repeated(runs: list[ToolRun], last: Turn) -> None:
    """In a follow-up, a run with the very arguments that answered the previous turn answers that turn, not this one."""
    before = set(last.tool_calls)
    for run in runs:
        if run.primary and call_key(run) in before:
            run.primary = False


def missing_clause_warning(tool: str, clause_id: str) -> str:
    """A tool cited a clause the corpus does not contain (deleted, or a wrong id): the user is told, not left guessing."""
    return (f"工具“{tool}”所依据的条款 {clause_id} 在当前汇编中找不到（可能已被删除或编号有误），"
            "该项结果没有可引用的条文原文，请以主管部门的解释为准。")


def not_in_force_note(corpus: Any, clause_id: str, as_of: date) -> str:
    """Why a clause does not apply as it reads on `as_of` (repealed, amended, not yet in force); "" when it does
    (an expired one is left to `assistant.validity`, which words its warnings for the question)."""
    if clause_id not in corpus.clauses:
        return ""
    status = corpus.in_force(clause_id, as_of)
    return status.reason_zh if status.status.value in ("repealed", "amended", "not_yet") else ""


class Retriever(Protocol):
    def retrieve(self, query: str, top_k: int = 5, mode: str = "hybrid") -> list[Any]: ...


_LOG_ESCAPE = re.compile("[\u2028\u2029\x85\ud800-\udfff]")


def mask_pii(text: str) -> str:
    """身份证号, 手机号, 固定电话, 银行卡号 and e-mail addresses masked for logs: `assistant.privacy.mask_pii`."""
    from assistant.privacy import mask_pii as mask

    return mask(text)


def check_question(question: Any, max_chars: int) -> str | None:
    """A Chinese error message for an unusable question, None when it can be answered."""
    if not isinstance(question, str) or not question.strip():
        return "问题不能为空，请输入您想咨询的政策问题，例如“大专毕业工作满3年能认定助理级职称吗？”"
    if len(question) > max_chars:
        return f"问题过长（{len(question)}字），请精简到{max_chars}字以内，一次只问一个问题。"
    if not _HAS_WORD.search(question):
        return "问题只包含标点或表情符号，请用文字描述您想咨询的政策问题。"
    return None


class Assistant:
    """Answers questions about the compilation. Collaborators are injected (tests pass a fake retriever)."""

    def __init__(self, settings: AssistantSettings | None = None, retriever: Retriever | None = None, corpus=None,
                 sessions: SessionStore | None = None):
        self.settings = settings or AssistantSettings()
        if self.settings.top_k <= 0:
            raise ValueError(f"top_k must be > 0, got {self.settings.top_k}")
        self._retriever = retriever
        self._corpus = corpus
        self.sessions = sessions or SessionStore()
        self._llm = None
        self._lock = threading.Lock()
        self._retrieval_cache: OrderedDict[str, tuple[Any, ...]] = OrderedDict()

    # ------------------------------------------------------------------ collaborators
    @property
    def corpus(self):
        if self._corpus is None:
            from corpus.loader import load_corpus

            self._corpus = load_corpus()
        return self._corpus

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    from indexing.retriever import get_retriever

                    self._retriever = get_retriever()
        return self._retriever

    def warm_up(self) -> None:
        """Load the corpus, the tools, the tokenizer and the retriever now (the CLI batch and the UI call this once)."""
        from assistant.normalize import warm_up as warm_normalizer
        from eligibility_tools.inventory.model import load_rules
        from eligibility_tools.registry import load_tools

        _ = self.corpus
        load_tools()
        load_rules()
        warm_normalizer()  # OpenCC, cn2an, pypinyin: about a second, once, not on a citizen's first question
        _ = self.retriever
        self.ask("大专毕业工作满3年能认定助理级职称吗？")

    # ------------------------------------------------------------------ the one public method
    def ask(self, question: str, *, as_of: date | None = None, session_id: str | None = None, id: str | None = None) -> dict:
        """The answer contract of DESIGN.md for one question. Never raises for bad input."""
        t0 = time.perf_counter()
        as_of = as_of or date.today()
        base: dict[str, Any] = {"question": question if isinstance(question, str) else str(question)}
        if id is not None:
            base = {"id": id, **base}
        problem = check_question(question, self.settings.max_question_chars)
        if problem:
            return self._finish(base, t0, status="error", answer=problem)
        self._log(question, session_id)
        try:
            result = self._answer(question.strip(), as_of, session_id)
        except Exception as err:  # the user always gets a contract object; the cause goes to the log
            from corpus.errors import PolicyQAError

            logger.exception("assistant failed")
            msg = str(err) if isinstance(err, PolicyQAError) else "系统暂时无法回答，请稍后再试或联系管理员。"
            return self._finish(base, t0, status="error", answer=msg)
        if self.settings.mode == "llm" and not result.get("quantity_problem"):  # a wrong number is not the model's to reinterpret
            result = self._with_llm(question, result, as_of, session_id)
        return self._finish(base, t0, **result)

    # ------------------------------------------------------------------ pipeline
    def _answer(self, original: str, as_of: date, session_id: str | None) -> dict:
        from assistant.long_question import focus_question
        from assistant.normalize import normalize_question
        from eligibility_tools.registry import load_tools

        # a long story is cut to what it asks first (issue 14 #15: no stage below reads 2,000 characters)
        question = normalize_question(focus_question(original)).text  # every stage below reads the normalised text
        slots = extract_slots(question)
        rt = route(question, slots)
        query = question
        session = self.sessions.get(session_id) if session_id else None
        last = session.last if session else None
        focus = None
        if last is not None and last.status != "out_of_scope" and is_follow_up(question, slots, Intent.lookup not in rt.intents):
            resolved = resolve_follow_up(last.question, question)
            if resolved.mode in ("substituted", "new_subject"):  # the previous question, with the new values
                question = query = resolved.query
                slots = extract_slots(query)
                rt = route(query, slots)
            elif resolved.mode == "merged":  # both turns retrieve; the new turn's words are what is asked
                slots = slots.merged_over(last.slots)
                own = [i for i in rt.intents if i != Intent.lookup]
                intents = list(dict.fromkeys([Intent(i) for i in last.intents] + own))
                query = resolved.query
                focus = resolved.focus
                rt = route(query, slots)
                rt.intents = list(dict.fromkeys(intents + [i for i in rt.intents if i != Intent.lookup])) or [Intent.lookup]

        problem = quantity_problem(query, slots, planned_arguments(rt, query, load_tools()), load_tools())
        if problem is not None:  # a negative or absurd number: say which, compute nothing (assistant.quantity_check)
            self._remember(session_id, question, rt, slots, "needs_more_info")
            return problem.contract()
        retrieved = self._retrieve(query)
        refused: list[str] = []  # calculations refused because the clause they rest on is not in force that day
        runs = self._run_tools(rt, query, as_of, refused)
        demote_unsupported(runs, [r.clause_id for r in retrieved[:RETRIEVE_K]], calculation=Form.calculation in rt.forms)
        runs = self._with_rule_runs(runs, query, slots, rt, retrieved, as_of)
        if focus and last is not None:  # a merged follow-up: what answered the last turn does not answer this one
            repeated(runs, last)
        self._add_total(runs, question, as_of)
        decisive = any(r.decisive for r in runs if r.primary)
        has_intent = any(i != Intent.lookup for i in rt.intents)
        similarity = next((r.query_similarity for r in retrieved if r.query_similarity is not None), None)
        # "技能乌海行动现在还有效吗": a named document's validity is answered by its dates (`document_validity`)
        named = named_documents(self.corpus, question)
        validity_asked = asks_validity(question, names_document=bool(named))
        fed = fed_calculation(runs) if Form.calculation in rt.forms else False
        decision = decide(query, [r.text for r in retrieved], has_intent=has_intent,
                          tool_answered=decisive or validity_asked or fed, tool_figures=computed_kinds(runs),
                          similarity=similarity, embedder_name=self._embedder_name(), retrieved_ids=[r.clause_id for r in retrieved],
                          rule_decided=any(r.name == "clause_rule" and r.primary and r.decisive for r in runs))

        if decision.out_of_scope:
            if decision.reason == "not_stated" and decision.evidence_rank is not None:
                hit = retrieved[decision.evidence_rank]
                mention = Candidate(clause_id=hit.clause_id, label=hit.label, document=hit.document, text=self._citation_text(hit))
            else:
                mention = self._mention(decision.mentioned_as, retrieved)
            from corpus.lifecycle import covered_topics

            lines = refusal_lines(decision, mention_label=mention.label if mention else None,
                                  mention_text=mention.text if mention else None,
                                  covered=covered_topics(self.corpus, as_of))
            # the clause quoted may itself be repealed, amended or not yet in force that day: say so
            notes = not_in_force_note(self.corpus, mention.clause_id, as_of) if mention else ""
            if notes:
                lines.insert(1, f"（所引条款{notes}。）")
            self._remember(session_id, question, rt, slots, "out_of_scope")
            return {"status": "out_of_scope", "answer": "\n".join(lines), "citations": [mention.citation()] if mention else [],
                    "tool_calls": [], "warnings": [notes] if notes else [], "follow_up_questions": []}

        candidates, missing = self._candidates(query, retrieved, runs, as_of)
        missing = missing + [r for r in refused if r not in missing]
        found: list[str] = []

        def warnings_for(relied: list[str], lead: list[ToolRun]) -> tuple[list[str], list[Candidate], list[str]]:
            """Expiry warnings for the clauses the answer rests on (and the deciding runs' own warnings) only; when the
            question asks whether a policy still applies, the validity of the document(s) it is about leads."""
            tool_warnings = [w for r in lead for w in r.relevant_warnings()]
            warnings, sources = validity_warnings(self.corpus, relied, as_of, question, tool_warnings)
            statements: list[str] = []
            if validity_asked:
                if named:
                    statements = [self._document_validity(slug, as_of, runs) for slug in named]
                else:  # the dates of the clause the answer rests on, else its document's validity
                    statements = validity_warnings(self.corpus, relied[:1], as_of, question)[0]
                    if not statements and relied and relied[0] in self.corpus.clauses:
                        statements = [self._document_validity(self.corpus.clauses[relied[0]].doc_slug, as_of, runs)]
                statements = [s for s in statements if s]
                warnings = statements + [w for w in warnings if w not in statements]
            warnings = warnings + [w for w in missing if w not in warnings]
            found.extend(warnings)
            return warnings, [self._clause_candidate(sid) for sid in sources if sid in self.corpus.clauses], statements

        composed: Composed = compose(question, candidates=candidates, tool_runs=runs, corpus=self.corpus, top_k=self.settings.top_k,
                                     intent_labels=[intent_label(i) for i in rt.intents], warnings_for=warnings_for,
                                     asks_verdict=Form.eligibility in rt.forms or asks_yes_no(question), focus=focus)
        found.extend(w for w in composed.warnings if w not in found)
        self._remember(session_id, question if last is None or query == question else query, rt, slots, composed.status, runs)
        return {"status": composed.status, "answer": composed.answer, "citations": composed.citations,
                "tool_calls": [{"name": r.name, "arguments": r.arguments, "result": r.result} for r in runs],
                "warnings": found, "follow_up_questions": composed.follow_up_questions}

    def clear_caches(self) -> None:
        """Forget cached retrievals and query vectors, so a benchmark measures the work, not the cache."""
        with self._lock:
            self._retrieval_cache.clear()
        clear = getattr(self.retriever, "clear_caches", None)
        if clear is not None:
            clear()

    def _embedder_name(self) -> str | None:
        embedder = getattr(self.retriever, "embedder", None)
        return getattr(embedder, "name", None)

    def _retrieve(self, query: str) -> list[Any]:
        """One retrieval per question (the dense query embedding is most of the time), kept in a small LRU so that a
        repeated question (UI retries, a follow-up resolved to the same query) does not embed again."""
        key = " ".join(query.split())
        with self._lock:
            hit = self._retrieval_cache.get(key)
            if hit is not None:
                self._retrieval_cache.move_to_end(key)
                return list(hit)
        retrieved = self.retriever.retrieve(query, top_k=max(RETRIEVE_K, self.settings.top_k), mode="hybrid")
        with self._lock:
            self._retrieval_cache[key] = tuple(retrieved)
            while len(self._retrieval_cache) > RETRIEVAL_CACHE_SIZE:
                self._retrieval_cache.popitem(last=False)
        return list(retrieved)

    def _run_tools(self, rt: QuestionRoute, question: str, as_of: date, refused: list[str] | None = None) -> list[ToolRun]:
        """The planned tool runs; a calculation whose clause is repealed or not in force that day is not run, and
        why is added to `refused` (the answer says so instead of computing from a dead clause)."""
        from corpus.errors import ClauseNotInForceError, DanglingReferenceError, PolicyQAError
        from eligibility_tools.registry import load_tools, run_tool

        tools = load_tools()
        runs: list[ToolRun] = []
        for call in plan_tool_calls(rt, question, tools):
            try:
                result = run_tool(call.name, call.arguments, as_of)
            except (ClauseNotInForceError, DanglingReferenceError) as err:
                logger.info("tool %s refused: %s", call.name, err)
                if refused is not None:
                    refused.append(f"未按“{tools[call.name].title_zh}”计算：{err}")
                continue
            except PolicyQAError as err:
                logger.info("tool %s skipped: %s", call.name, err)
                continue
            run = ToolRun(name=call.name, arguments=call.arguments, result=result.to_json(), primary=call.primary,
                          focus=call.focus)
            if result.outcome == "needs_info" and Form.calculation in rt.forms:
                run = self._conditional(tools[call.name], run, as_of) or run
            runs.append(run)
        return runs

    def _with_rule_runs(self, runs: list[ToolRun], question: str, slots: Slots, rt: QuestionRoute, retrieved: list[Any],
                        as_of: date) -> list[ToolRun]:
        """Clause rules the question is about (eligibility_tools/inventory): a decided verdict or figure leads the answer.

        A rule that decides (可以 / 不可以 / 还差… / a computed figure) comes first and the tools that only ask for facts
        step back (they no longer make the answer a follow-up question). An undecided rule is kept when the question
        asks whether something is allowed and states some of the rule's facts: then its missing facts are asked.
        """
        from assistant.rule_select import asks_figure, match_rules, pick, question_facts

        facts = question_facts(question, slots)
        matches = match_rules(facts, [r.clause_id for r in retrieved], as_of)
        if not matches:
            return runs
        yes_no = Form.eligibility in rt.forms or asks_yes_no(question)
        # a verdict answers a yes/no question; a figure answers a question that gives the quantities it needs
        matches = [m for m in matches if (m.rule.kind == "formula" and m.inputs) or (m.rule.kind != "formula" and yes_no)]
        best = pick(matches)
        if best is None or (not best.decisive and not best.inputs):
            return runs
        from eligibility_tools.inventory.evaluate import jsonable

        calculators = [r for r in runs if r.primary]
        if best.rule.kind != "formula" and calculators and asks_figure(question):
            return runs  # "能拿多少": a calculating tool answers; a yes/no rule would only repeat one of its conditions
        run = ToolRun(name="clause_rule", arguments={"rule": best.rule.id, "facts": {k: jsonable(v) for k, v in best.inputs.items()}},
                      result=best.result.to_json(), primary=True)
        if best.decisive:
            for other in runs:
                if not other.decisive:
                    other.primary = False
        return [run, *runs]

    def _add_total(self, runs: list[ToolRun], question: str, as_of: date) -> None:
        """Several amounts of one tool for one question (two hiring groups, two tax years): their total, by the
        `sum_amounts` tool, unless the question compares alternatives (如果…/还是…)."""
        from corpus.errors import PolicyQAError
        from eligibility_tools.registry import run_tool

        if _ALTERNATIVES.search(question):
            return
        by_tool: dict[str, list[ToolRun]] = {}
        for run in runs:
            value = run.result.get("value")
            if run.primary and run.decisive and isinstance(value, dict) and value.get("amount_yuan") is not None:
                by_tool.setdefault(run.name, []).append(run)
        for name, same in by_tool.items():
            if len(same) < 2 or name == "sum_amounts":
                continue
            items = [{"label": _item_label(r), "amount_yuan": r.result["value"]["amount_yuan"]} for r in same]
            try:
                result = run_tool("sum_amounts", {"items": items}, as_of)
            except PolicyQAError as err:
                logger.info("sum_amounts skipped: %s", err)
                continue
            runs.append(ToolRun(name="sum_amounts", arguments={"items": items}, result=result.to_json(), primary=True))

    def _document_validity(self, slug: str, as_of: date, runs: list[ToolRun]) -> str:
        """The `document_validity` tool's statement for a document; the run joins `tool_calls` (its dates are grounded)."""
        from corpus.errors import PolicyQAError
        from eligibility_tools.registry import run_tool

        try:
            result = run_tool("document_validity", {"document": slug}, as_of)
        except PolicyQAError as err:
            logger.info("document_validity skipped: %s", err)
            return ""
        runs.append(ToolRun(name="document_validity", arguments={"document": slug}, result=result.to_json(), primary=False))
        return result.summary_zh

    def _conditional(self, spec: Any, run: ToolRun, as_of: date) -> ToolRun | None:
        """A calculation question with yes/no facts missing: compute the figure under stated assumptions, ask the rest."""
        from corpus.errors import PolicyQAError
        from eligibility_tools.registry import run_tool

        facts = [m["fact"] for m in run.result.get("missing_facts") or []]
        for assumed in assumption_options(spec.input_model, facts) or []:
            args = {**run.arguments, **assumed}
            try:
                result = run_tool(run.name, args, as_of)
            except PolicyQAError:
                continue
            if result.outcome in ("computed", "eligible"):
                return ToolRun(name=run.name, arguments=args, result=result.to_json(), primary=run.primary, focus=run.focus,
                               assumption_zh=describe_assumption(spec.input_model, assumed),
                               asked=list(run.result.get("missing_facts") or []))
        return None

    def _clause_candidate(self, clause_id: str, tool_rank: int | None = None, tool_prior: float = 0.0) -> Candidate:
        clause = self.corpus.clauses[clause_id]
        doc = self.corpus.document(clause.doc_slug)
        return Candidate(clause_id=clause.id, label=clause.label, document=doc.title, text=clause.text, tool_rank=tool_rank,
                         tool_prior=tool_prior, kind=clause.kind)

    def _candidates(self, question: str, retrieved: list[Any], runs: list[ToolRun],
                    as_of: date) -> tuple[list[Candidate], list[str]]:
        """The clauses the answer may cite, ranked, as they apply on `as_of` (`apply_in_force`), and a warning for
        each clause a tool cites that the corpus does not contain — never dropped silently."""
        clauses = self.corpus.clauses
        missing: list[str] = []
        from_retrieval = [Candidate(clause_id=r.clause_id, label=r.label, document=r.document, text=self._citation_text(r),
                                    retrieval_rank=i, retrieval_score=float(getattr(r, "score", 0.0)),
                                    kind=getattr(clauses.get(r.clause_id), "kind", "")) for i, r in enumerate(retrieved)]
        from_tools: dict[str, Candidate] = {}
        for run in runs:
            primary = run.primary_clauses(self.corpus) if run.primary else []
            for pos, cid in enumerate(list(dict.fromkeys(primary + list(run.result.get("citations") or [])))):
                if cid not in clauses:
                    logger.warning("tool %s cites clause %s, which is not in the corpus", run.name, cid)
                    missing.append(missing_clause_warning(run.name, cid))
                    continue
                # The rule a decisive tool applied answers the question: its clause comes first. A tool that still
                # needs facts points less strongly (retrieval and the answering sentence decide the order).
                if cid in primary:  # near-equal priors: among the rule's clauses the answering sentence decides
                    prior = (2.0 if run.decisive else 0.5) - 0.05 * primary.index(cid)
                else:
                    prior = 0.3 if run.primary else 0.15
                kept = from_tools.get(cid)
                if kept is None or kept.tool_prior < prior:
                    from_tools[cid] = self._clause_candidate(cid, tool_rank=pos, tool_prior=prior)
        ranked = rank_candidates(question, from_retrieval, list(from_tools.values()))
        return apply_in_force(ranked, self.corpus, as_of, self._clause_candidate), list(dict.fromkeys(missing))

    def _citation_text(self, hit: Any) -> str:
        """The clause's own text when the retriever returned a part of a clause of ordinary length: the sentence that
        answers may be in another part of the same clause (verbatim either way)."""
        clause = self.corpus.clauses.get(hit.clause_id)
        if clause is None or not clause.text.strip() or len(clause.text) > FULL_CLAUSE_MAX:
            return hit.text
        squash = re.sub(r"\s+", "", hit.text)
        return clause.text if squash and squash in re.sub(r"\s+", "", clause.text) else hit.text

    def _mention(self, words: list[str], retrieved: list[Any]) -> Candidate | None:
        if not words:
            return None
        for r in retrieved:
            if any(w in r.text for w in words):
                return Candidate(clause_id=r.clause_id, label=r.label, document=r.document, text=r.text)
        for clause in self.corpus.clauses.values():
            if any(w in clause.text for w in words):
                return self._clause_candidate(clause.id)
        return None

    def _remember(self, session_id: str | None, question: str, rt: QuestionRoute, slots: Slots, status: str,
                  runs: list[ToolRun] | None = None) -> None:
        if session_id:
            self.sessions.record(session_id, Turn(question=question, intents=[i.value for i in rt.intents], slots=slots, status=status,
                                                  tool_calls=[call_key(r) for r in runs or [] if r.primary]))

    # ------------------------------------------------------------------ LLM mode (optional)
    def _with_llm(self, question: str, result: dict, as_of: date, session_id: str | None) -> dict:
        if not self.settings.llm_configured:
            return result
        try:
            if self._llm is None:
                from assistant.llm import LLMAnswerer

                self._llm = LLMAnswerer(self.settings)
            history = []
            if session_id:
                history = [{"question": t.question, "status": t.status} for t in self.sessions.get(session_id).turns[:-1]]
            answer = self._llm.answer(question, deterministic=dict(result), as_of=as_of, history=history)
            if isinstance(answer, dict) and answer.get("answer"):
                return {**result, **{k: v for k, v in answer.items() if k in result or k == "answer"}}
        except Exception as err:  # an unreachable or broken LLM never costs the user the answer
            logger.warning("LLM mode failed, deterministic answer used: %s", err)
            result = {**result, "warnings": [*result.get("warnings", []), "大模型暂时不可用，本回答由离线规则模式生成。"]}
        return result

    # ------------------------------------------------------------------ helpers
    def _finish(self, base: dict, t0: float, *, status: str, answer: str, citations: list | None = None,
                tool_calls: list | None = None, warnings: list | None = None, follow_up_questions: list | None = None,
                **_: Any) -> dict:
        from assistant.conclusion import conclusion_of

        return {**base, "status": status, "conclusion": conclusion_of(answer, status), "answer": answer,
                "citations": citations or [], "tool_calls": tool_calls or [],
                "warnings": warnings or [], "follow_up_questions": follow_up_questions or [],
                "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1)}

    def _log(self, question: str, session_id: str | None) -> None:
        """One JSON object per line ({"time", "session_id", "question"}), personal numbers masked. JSON escapes \\r, \\t
        and newlines, and the Unicode line separators are escaped too, so no question can forge a line or a field."""
        if not self.settings.log_questions:
            return
        session = mask_pii(session_id[:64]) if session_id else None
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "session_id": session, "question": mask_pii(question)}
        line = json.dumps(record, ensure_ascii=False)
        # str.splitlines() and many viewers break lines at U+2028 / U+2029 / U+0085; a lone surrogate (from JSON input)
        # cannot be written as UTF-8. All are written as JSON escapes, which read back to the same string.
        line = _LOG_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line)
        if self.settings.log_path:
            try:
                with open(self.settings.log_path, "a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
            except OSError as err:
                logger.warning("cannot write question log %s: %s", self.settings.log_path, err)
        else:
            logger.info("question %s", line)


_ASSISTANTS: dict[str, Assistant] = {}
_ASSISTANTS_LOCK = threading.Lock()


def get_assistant(mode: str | None = None) -> Assistant:
    """The process-wide assistant for a mode (models loaded once)."""
    key = mode or "default"
    with _ASSISTANTS_LOCK:
        if key not in _ASSISTANTS:
            settings = AssistantSettings(mode=mode) if mode else AssistantSettings()
            _ASSISTANTS[key] = Assistant(settings)
        return _ASSISTANTS[key]


def retrieve_contract(question: str, top_k: int = 5, mode: str = "hybrid") -> dict:
    """`{"citations", "elapsed_ms"}` for `policy-qa retrieve --json` (retrieval alone, for retrieval metrics)."""
    t0 = time.perf_counter()
    from indexing.retriever import get_retriever

    hits = get_retriever().retrieve(question, top_k=top_k, mode=mode)
    citations = [{"clause_id": h.clause_id, "document": h.document, "label": h.label, "text": h.text} for h in hits]
    return {"citations": citations, "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1)}
