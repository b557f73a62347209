"""LLM mode: a LangChain tool-calling loop whose answer is kept only if it passes the grounding check.

`answer_with_fallback(...)` is the one function the service calls. It never raises: an unconfigured,
unreachable, slow or malformed endpoint returns the deterministic answer plus `unavailable_warning(...)`;
an answer that cites a missing clause or states a number no tool result or cited clause contains
returns the deterministic answer plus `GROUNDING_WARNING`. Reasons are logged (never the question).
"""

from __future__ import annotations

import copy
import logging
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from assistant.config import AssistantSettings
from assistant.grounding import check_grounding
from assistant.llm.citations import ParsedAnswer, parse_answer
from assistant.llm.prompts import COMPILATION_TITLE, FINAL_ROUND_NUDGE, SEARCH_TOOL_NAME, system_prompt, user_message
from assistant.llm.tools import ToolBox
from corpus.errors import LLMUnavailableError

log = logging.getLogger(__name__)

GROUNDING_WARNING = "大模型回答未通过依据校验，已改用离线模式回答"
MAX_HISTORY_MESSAGES = 8
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


class LLMAnswerer:
    """Answers with a tool-calling chat model; returns the answer contract of DESIGN.md, never raises."""

    def __init__(self, settings: AssistantSettings, retriever: Any = None, chat_model: Any = None):
        if chat_model is None and not settings.llm_configured:
            raise LLMFailure("未配置 POLICY_QA_LLM_BASE_URL 和 POLICY_QA_LLM_MODEL")
        self.settings = settings
        self.retriever = retriever
        self.chat_model = chat_model if chat_model is not None else build_chat_model(settings)

    def answer(self, question: str, *, deterministic: dict, as_of: date | None = None,
               history: list[dict] | None = None) -> dict:
        as_of = as_of or date.today()
        if deterministic.get("status") == "error":
            return copy.deepcopy(deterministic)  # bad input: nothing for a model to improve
        started = time.perf_counter()
        try:
            conversation = self._converse(question, deterministic, as_of, history or [])
            result = self._contract(conversation, deterministic, as_of)
        except LLMFailure as err:
            log.warning("LLM unavailable, using the deterministic answer: %s", mask_personal_numbers(err.reason))
            result = with_warning(deterministic, unavailable_warning(err.reason))
        except Exception:  # noqa: BLE001 - a bug in a tool or in parsing must still leave the user an answer
            log.exception("LLM answer failed unexpectedly, using the deterministic answer")
            result = with_warning(deterministic, unavailable_warning("处理大模型回答时出错"))
        return _add_elapsed(result, deterministic, started)

    # -- the tool-calling loop ---------------------------------------------------------------------------
    def _converse(self, question: str, deterministic: dict, as_of: date, history: list[dict]) -> _Conversation:
        from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage

        toolbox = ToolBox(as_of, self.retriever)
        with_tools = self._invoke_guarded(lambda: self.chat_model.bind_tools(toolbox.openai_schemas()))
        messages: list[Any] = [SystemMessage(system_prompt(as_of)), *history_messages(history),
                               HumanMessage(user_message(question, deterministic))]
        max_rounds = self.settings.llm_max_tool_rounds
        for round_no in range(max_rounds + 1):
            last = round_no == max_rounds
            if last:
                messages.append(HumanMessage(FINAL_ROUND_NUDGE))
            reply = self._invoke_guarded(lambda m=messages, r=(self.chat_model if last else with_tools): r.invoke(m))
            messages.append(reply)
            calls = list(getattr(reply, "tool_calls", None) or [])
            invalid = list(getattr(reply, "invalid_tool_calls", None) or [])
            if not calls and not invalid:
                return _Conversation(text=_text_of(reply), toolbox=toolbox, rounds=round_no)
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
        raise AssertionError("unreachable")  # pragma: no cover

    def _invoke_guarded(self, fn: Any) -> Any:
        try:
            return fn()
        except LLMFailure:
            raise
        except Exception as err:  # noqa: BLE001 - any endpoint failure must end in the offline answer
            raise LLMFailure(describe_failure(err, self.settings)) from err

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
        rule_calls = _merge_calls(deterministic.get("tool_calls") or [], conversation.toolbox.run.rule_calls)
        extra = [as_of.isoformat(), COMPILATION_TITLE, *map(str, deterministic.get("warnings") or [])]
        problems = check_grounding(parsed.text, citations, rule_calls, corpus, extra_sources=extra)
        if problems:
            log.warning("LLM answer failed the grounding check, using the deterministic answer: %s",
                        mask_personal_numbers("；".join(problems)))
            return with_warning(deterministic, GROUNDING_WARNING)
        return self._llm_contract(parsed, citations, conversation, deterministic, as_of, corpus)

    def _llm_contract(self, parsed: ParsedAnswer, citations: list[dict], conversation: _Conversation,
                      deterministic: dict, as_of: date, corpus: Any) -> dict:
        run = conversation.toolbox.run
        search_calls = [c for c in run.calls if c["name"] == SEARCH_TOOL_NAME]
        warnings = list(deterministic.get("warnings") or [])
        for call in run.rule_calls:
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
            "tool_calls": _merge_calls(deterministic.get("tool_calls") or [], run.rule_calls) + search_calls,
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


_PERSONAL_NUMBER_RE = re.compile(r"\d{17}[\dXx]|\d{11,}")


def mask_personal_numbers(text: str) -> str:
    """Logs never carry 身份证号 / 手机号 a model may have echoed from the question."""
    return _PERSONAL_NUMBER_RE.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 3), text)


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
