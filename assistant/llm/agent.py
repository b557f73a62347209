"""LLM mode: a LangChain tool-calling loop whose answer is kept only if it passes the grounding check.

`answer_with_fallback(...)` is the one function the service calls. It never raises: an unconfigured,
unreachable, slow or malformed endpoint returns the deterministic answer plus `unavailable_warning(...)`;
an answer that cites a missing clause or states a number no tool result or cited clause contains
returns the deterministic answer plus `GROUNDING_WARNING`. Reasons are logged (never the question).

The whole exchange has one deadline (`POLICY_QA_LLM_DEADLINE_S`, by default twice the per-request timeout): every
request is given at most the time that is left, and when it runs out the deterministic answer is returned with
`unavailable_warning("超过总时限 … 秒")`, however many tool rounds the model still wanted.

What supports an answer (see `assistant.grounding`): the offline answer's tool calls, and the model's own calls whose
numeric arguments the question (or an earlier turn) gives; its citations must be clauses the offline answer relied on,
the model's searches returned, or the question retrieves.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from assistant.config import AssistantSettings
from assistant.grounding import check_grounding, split_calls, within_clauses
from assistant.llm.citations import ParsedAnswer, parse_answer
from assistant.llm.prompts import COMPILATION_TITLE, FINAL_ROUND_NUDGE, SEARCH_TOOL_NAME, system_prompt, user_message
from assistant.llm.tools import ToolBox
from assistant.privacy import mask_pii
from corpus.errors import LLMUnavailableError

log = logging.getLogger(__name__)

GROUNDING_WARNING = "大模型回答未通过依据校验，已改用离线模式回答"
MAX_HISTORY_MESSAGES = 8
CANDIDATE_K = 8  # clauses retrieved for the question that a citation may name (the service's RETRIEVE_K)
_MIN_OWN_TEXT_CHARS = 20  # a heading-only clause ("七、岗位聘用") is cited with its items
_MAX_CITATION_CHARS = 1500


def unavailable_warning(reason: str) -> str:
    return f"大模型服务不可用，已改用离线模式回答（{reason}）"


class LLMFailure(LLMUnavailableError):
    """The endpoint could not give a usable answer; `reason` is the short Chinese cause shown to users."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass
class _Conversation:
    text: str
    toolbox: ToolBox
    rounds: int
    question: str = ""
    history: list[dict] | None = None


class _Deadline:
    """The time left for the whole LLM exchange; each request gets at most that. `clock` is injectable for tests."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.ends = clock() + seconds

    def left(self) -> float:
        return self.ends - self.clock()

    def check(self) -> None:
        if self.left() <= 0:
            raise LLMFailure(f"超过总时限 {self.seconds:g} 秒")


class LLMAnswerer:
    """Answers with a tool-calling chat model; returns the answer contract of DESIGN.md, never raises."""

    def __init__(self, settings: AssistantSettings, retriever: Any = None, chat_model: Any = None,
                 clock: Callable[[], float] = time.monotonic):
        if chat_model is None and not settings.llm_configured:
            raise LLMFailure("未配置 POLICY_QA_LLM_BASE_URL 和 POLICY_QA_LLM_MODEL")
        self.settings = settings
        self.clock = clock  # monotonic seconds; the deadline reads it (a fake clock in tests)
        self.retriever = retriever
        self.chat_model = chat_model if chat_model is not None else build_chat_model(settings)

    def answer(self, question: str, *, deterministic: dict, as_of: date | None = None,
               history: list[dict] | None = None) -> dict:
        as_of = as_of or date.today()
        if deterministic.get("status") == "error":
            return copy.deepcopy(deterministic)  # bad input: nothing for a model to improve
        started = time.perf_counter()
        deadline = _Deadline(self.settings.effective_llm_deadline_s, self.clock)
        try:
            conversation = self._converse(question, deterministic, as_of, history or [], deadline)
            deadline.check()
            result = self._contract(conversation, deterministic, as_of)
        except LLMFailure as err:
            log.warning("LLM unavailable, using the deterministic answer: %s", mask_personal_numbers(err.reason))
            result = with_warning(deterministic, unavailable_warning(err.reason))
        except Exception:  # noqa: BLE001 - a bug in a tool or in parsing must still leave the user an answer
            log.exception("LLM answer failed unexpectedly, using the deterministic answer")
            result = with_warning(deterministic, unavailable_warning("处理大模型回答时出错"))
        return _add_elapsed(result, deterministic, started)

    # -- the tool-calling loop ---------------------------------------------------------------------------
    def _converse(self, question: str, deterministic: dict, as_of: date, history: list[dict],
                  deadline: _Deadline | None = None) -> _Conversation:
        from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage

        deadline = deadline or _Deadline(self.settings.effective_llm_deadline_s, self.clock)
        toolbox = ToolBox(as_of, self.retriever)
        with_tools = self._invoke_guarded(lambda: self.chat_model.bind_tools(toolbox.openai_schemas()))
        messages: list[Any] = [SystemMessage(system_prompt(as_of)), *history_messages(history),
                               HumanMessage(user_message(question, deterministic))]
        max_rounds = self.settings.llm_max_tool_rounds
        for round_no in range(max_rounds + 1):
            last = round_no == max_rounds
            if last:
                messages.append(HumanMessage(FINAL_ROUND_NUDGE))
            model = self.chat_model if last else with_tools
            reply = self._invoke_before(deadline, lambda m=messages, r=model, **kw: r.invoke(m, **kw))
            messages.append(reply)
            calls = list(getattr(reply, "tool_calls", None) or [])
            invalid = list(getattr(reply, "invalid_tool_calls", None) or [])
            if not calls and not invalid:
                return _Conversation(text=_text_of(reply), toolbox=toolbox, rounds=round_no, question=question, history=history)
            if last:
                raise LLMFailure(f"工具调用超过 {max_rounds} 轮仍未给出回答")
            for call in calls:
                content, ok = toolbox.execute(call["name"], call.get("args") or {})
                messages.append(ToolMessage(content=content, tool_call_id=call.get("id") or "", name=call["name"],
                                            status="success" if ok else "error"))
            for bad in invalid:
                log.info("LLM sent a tool call with unparsable arguments: %s", bad.get("name"))
                messages.append(ToolMessage(content="错误：参数不是有效的 JSON，请重新调用。", tool_call_id=bad.get("id") or "",
                                            name=bad.get("name") or "", status="error"))
            deadline.check()
        raise AssertionError("unreachable")  # pragma: no cover

    def _invoke_guarded(self, fn: Any) -> Any:
        try:
            return fn()
        except LLMFailure:
            raise
        except Exception as err:  # noqa: BLE001 - any endpoint failure must end in the offline answer
            raise LLMFailure(describe_failure(err, self.settings)) from err

    def _invoke_before(self, deadline: _Deadline, fn: Any) -> Any:
        """One request, cut at the per-request timeout or at the deadline, whichever comes first."""
        deadline.check()
        left = deadline.left()
        if left >= self.settings.llm_timeout_s:
            return self._invoke_guarded(fn)
        try:
            return self._invoke_guarded(lambda: fn(timeout=max(left, 0.05)))
        except LLMFailure as err:
            if deadline.left() <= 0.05:
                raise LLMFailure(f"超过总时限 {deadline.seconds:g} 秒") from err
            raise

    # -- the contract --------------------------------------------------------------------------------------
    def _contract(self, conversation: _Conversation, deterministic: dict, as_of: date) -> dict:
        from corpus.loader import load_corpus

        corpus = load_corpus()
        if not conversation.text.strip():
            raise LLMFailure("模型返回了空回答")
        parsed = parse_answer(conversation.text)
        if not parsed.text:
            raise LLMFailure("模型回答只有条款编号，没有内容")
        status = deterministic.get("status", "answered")
        if parsed.declined or (status == "out_of_scope" and parsed.sounds_like_refusal):
            # Refusals are the offline answer's job: it names what the compilation does cover.
            log.info("LLM declined (offline status %s); using the deterministic answer", status)
            return copy.deepcopy(deterministic)
        if not parsed.clause_ids:
            log.warning("LLM answer cites no clause; using the deterministic answer")
            return with_warning(deterministic, GROUNDING_WARNING) if status == "answered" else copy.deepcopy(deterministic)

        citations = [citation_for(corpus, cid) for cid in parsed.clause_ids]
        offline_calls = list(deterministic.get("tool_calls") or [])
        asked = question_texts(conversation.question, conversation.history, as_of)
        model_calls = supported_calls(conversation.toolbox.run.rule_calls, asked, offline_calls)
        candidates = self._candidate_ids(conversation, deterministic, model_calls, parsed.clause_ids, corpus)
        extra = [as_of.isoformat(), COMPILATION_TITLE, *map(str, deterministic.get("warnings") or [])]
        problems = check_grounding(parsed.text, citations, conversation.toolbox.run.rule_calls, corpus, extra_sources=extra,
                                   question=asked, trusted_calls=offline_calls, allowed_clause_ids=candidates)
        if problems:
            log.warning("LLM answer failed the grounding check, using the deterministic answer: %s",
                        mask_personal_numbers("；".join(problems)))
            return with_warning(deterministic, GROUNDING_WARNING)
        return self._llm_contract(parsed, citations, conversation, deterministic, as_of, corpus, model_calls)

    def _candidate_ids(self, conversation: _Conversation, deterministic: dict, model_calls: list[dict],
                       cited: list[str], corpus: Any) -> set[str]:
        """The clauses an answer may cite: the offline answer's citations and its tools' clauses, what the model's searches
        and supported tool calls returned, and — only when a citation is none of these — the question's own retrieval."""
        ids = {str(c.get("clause_id")) for c in deterministic.get("citations") or []}
        for call in [*(deterministic.get("tool_calls") or []), *model_calls]:
            ids.update(str(c) for c in ((call.get("result") or {}).get("citations") or []) if isinstance(c, str))
        for call in conversation.toolbox.run.calls:
            if call["name"] == SEARCH_TOOL_NAME:
                ids.update(str(hit.get("clause_id")) for hit in call.get("result") or [])
        if all(within_clauses(cid, ids, corpus) for cid in cited):
            return ids
        try:
            hits = conversation.toolbox.retriever().retrieve(conversation.question, top_k=CANDIDATE_K, mode="hybrid")
            ids.update(h.clause_id for h in hits)
        except Exception as err:  # noqa: BLE001 - without retrieval the citation simply is not a candidate
            log.info("retrieving the question's candidate clauses failed: %s", type(err).__name__)
        return ids

    def _llm_contract(self, parsed: ParsedAnswer, citations: list[dict], conversation: _Conversation,
                      deterministic: dict, as_of: date, corpus: Any, model_calls: list[dict] | None = None) -> dict:
        run = conversation.toolbox.run
        model_calls = run.rule_calls if model_calls is None else model_calls
        search_calls = [c for c in run.calls if c["name"] == SEARCH_TOOL_NAME]
        warnings = list(deterministic.get("warnings") or [])
        for call in model_calls:
            warnings += [str(w) for w in (call.get("result") or {}).get("warnings") or []]
        for cid in parsed.clause_ids:
            end, warning = expiry_warning(corpus, cid, as_of)
            if warning and not any(end in w for w in warnings):  # the offline answer may already warn, worded its way
                warnings.append(warning)
        det_status = deterministic.get("status", "answered")
        result = copy.deepcopy(deterministic)  # keeps id, question and any field the service adds
        result.update({
            # out_of_scope -> answered only here: the model found clauses and every number checks out
            "status": "needs_more_info" if det_status == "needs_more_info" else "answered",
            "answer": parsed.text,
            "citations": citations,
            # calls whose arguments the question does not give supported nothing and are not shown as evidence
            "tool_calls": _merge_calls(deterministic.get("tool_calls") or [], model_calls) + search_calls,
            "warnings": _dedupe_warnings(warnings),
            "follow_up_questions": list(deterministic.get("follow_up_questions") or []),
        })
        log.info("LLM answer kept (%d tool rounds, %d citations)", conversation.rounds, len(citations))
        return result


def answer_with_fallback(settings: AssistantSettings, question: str, deterministic: dict, as_of: date | None = None,
                         history: list[dict] | None = None, retriever: Any = None) -> dict:
    """The LLM answer when it is available and grounded, else `deterministic` plus a warning. Never raises.

    In `mode="deterministic"` the deterministic answer is returned unchanged.
    """
    if settings.mode != "llm":
        return deterministic
    try:
        answerer = LLMAnswerer(settings, retriever=retriever)
    except LLMFailure as err:
        log.warning("LLM mode not usable, using the deterministic answer: %s", err.reason)
        return with_warning(deterministic, unavailable_warning(err.reason))
    return answerer.answer(question, deterministic=deterministic, as_of=as_of, history=history)


def build_chat_model(settings: AssistantSettings) -> Any:
    """ChatOpenAI against any OpenAI-compatible /v1/chat/completions endpoint; no retries (we fall back).

    One client per endpoint configuration and process: building one (HTTP clients, TLS context) costs ~60 ms.
    """
    return _chat_model(settings.llm_base_url, settings.llm_model, settings.llm_api_key or "EMPTY", settings.llm_timeout_s)


@lru_cache(maxsize=8)
def _chat_model(base_url: str | None, model: str | None, api_key: str, timeout_s: float) -> Any:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise LLMFailure(f"未安装 langchain-openai：{err}") from err
    return ChatOpenAI(model=model, base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=0, temperature=0,
                      use_responses_api=False)


def describe_failure(err: BaseException, settings: AssistantSettings) -> str:
    """A short Chinese cause for the fallback warning, from an openai / httpx / parsing error."""
    import openai

    if isinstance(err, openai.APITimeoutError):
        return f"请求超时（超过 {settings.llm_timeout_s:g} 秒）"
    if isinstance(err, openai.APIConnectionError):
        return f"无法连接 {settings.llm_base_url}"
    if isinstance(err, openai.NotFoundError):
        return f"模型 {settings.llm_model} 不存在或接口地址有误（HTTP 404）"
    if isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
        return f"接口密钥无效（HTTP {err.status_code}）"
    if isinstance(err, openai.APIStatusError):
        return f"服务返回错误（HTTP {err.status_code}）"
    return f"返回内容无法解析：{type(err).__name__}"


# -- helpers ---------------------------------------------------------------------------------------------
def with_warning(deterministic: dict, warning: str) -> dict:
    result = copy.deepcopy(deterministic)
    warnings = list(result.get("warnings") or [])
    if warning not in warnings:
        warnings.append(warning)
    result["warnings"] = warnings
    return result


def mask_personal_numbers(text: str) -> str:
    """Logs never carry 身份证号 / 手机号 / e-mail a model may have echoed from the question (`assistant.privacy`)."""
    return mask_pii(text)


def question_texts(question: str, history: list[dict] | None, as_of: date) -> list[str]:
    """What tool arguments may come from: the question, the user's earlier turns and the as-of date."""
    texts = [question]
    for turn in history or []:
        if "role" in turn:
            if turn["role"] not in ("assistant", "ai"):
                texts.append(str(turn.get("content") or ""))
        elif turn.get("question"):
            texts.append(str(turn["question"]))
    return [*texts, as_of.isoformat()]


def supported_calls(calls: list[dict], asked: list[str], trusted: list[dict]) -> list[dict]:
    """The model's tool calls that may support its answer: every numeric argument is given by the question (or by an
    earlier supported result); a call like team_score(gold=4000) for a question that states no count is dropped."""
    accepted, ignored = split_calls(calls, asked, trusted)
    for call, foreign in ignored:
        log.warning("LLM tool call %s ignored: arguments not from the question (%s)", call.get("name"),
                    mask_personal_numbers("、".join(foreign)))
    return [dict(c) for c in accepted]


def history_messages(history: list[dict]) -> list[Any]:
    """Earlier turns as chat messages: items {"role", "content"} or {"question", "answer"}."""
    from langchain_core.messages import AIMessage, HumanMessage

    messages: list[Any] = []
    for turn in history:
        if "role" in turn:
            cls = AIMessage if turn["role"] in ("assistant", "ai") else HumanMessage
            messages.append(cls(str(turn.get("content") or "")))
            continue
        if turn.get("question"):
            messages.append(HumanMessage(str(turn["question"])))
        if turn.get("answer"):
            messages.append(AIMessage(str(turn["answer"])))
    return messages[-MAX_HISTORY_MESSAGES:]


def citation_for(corpus: Any, clause_id: str) -> dict[str, str]:
    """The contract citation of a clause: its own text, verbatim (with its items if it is only a heading)."""
    clause = corpus.clauses.get(clause_id)
    if clause is None:
        return {"clause_id": clause_id, "document": "", "label": "", "text": ""}
    text = clause.text
    if len(text) < _MIN_OWN_TEXT_CHARS and clause.children:
        text = corpus.full_text(clause_id)[:_MAX_CITATION_CHARS]
    try:
        document = corpus.document(clause.doc_slug).title
    except KeyError:
        document = ""
    return {"clause_id": clause_id, "document": document, "label": clause.label, "text": text}


def expiry_warning(corpus: Any, clause_id: str, as_of: date) -> tuple[str, str | None]:
    """(end date as written, warning) for a cited clause whose stated validity ended before `as_of`."""
    clause = corpus.clauses.get(clause_id)
    if clause is None or clause.valid_until is None or clause.valid_until > as_of:
        return "", None
    last = clause.valid_until - timedelta(days=1)
    end = f"{last.year}年{last.month}月{last.day}日"
    return end, f"该政策执行期限截至{end}（{clause.label}），截至{as_of.isoformat()}已到期，请以最新政策为准"


def _dedupe_warnings(warnings: list[str]) -> list[str]:
    out: list[str] = []
    for w in warnings:
        if w not in out:
            out.append(w)
    return out


def _merge_calls(first: list[dict], second: list[dict]) -> list[dict]:
    out = list(first)
    for call in second:
        if not any(c.get("name") == call["name"] and c.get("arguments") == call["arguments"] for c in out):
            out.append(call)
    return out


def _add_elapsed(result: dict, deterministic: dict, started: float) -> dict:
    llm_ms = (time.perf_counter() - started) * 1000
    result["elapsed_ms"] = round(float(deterministic.get("elapsed_ms") or 0.0) + llm_ms, 1)
    return result


def _text_of(reply: Any) -> str:
    text = getattr(reply, "text", None)
    if isinstance(text, str):
        return text
    content = getattr(reply, "content", "")
    return content if isinstance(content, str) else ""
