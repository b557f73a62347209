"""What the UI calls: the assistant, the retriever, the tool registry and the corpus, behind one object.

`build_app(assistant=..., retriever=...)` injects fakes in tests; `None` means the real, process-wide
cached ones, created on first use (`serve` warms them before it starts listening).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from eligibility_tools.dates import parse_as_of

log = logging.getLogger(__name__)

WARM_UP_QUESTION = "技能大赛金奖奖金多少？"  # touches routing, a tool, retrieval and the composer
INTERNAL_ERROR_ZH = "系统内部错误，本次问题未能回答。请稍后重试；如持续出现，请联系管理员查看服务日志。"
MAX_SESSION_ID = 64  # characters: a UUID fits; longer ids would let a client grow the session store without bound
FEEDBACK_ERROR_ZH = "反馈暂时无法保存，请稍后再试。"


class AssistantLike(Protocol):
    def ask(self, question: str, *, as_of: date | None = None, session_id: str | None = None) -> dict: ...


class RetrieverLike(Protocol):
    def retrieve(self, query: str, top_k: int = 5) -> list[Any]: ...


def new_session_id() -> str:
    return uuid.uuid4().hex


def error_contract(question: str, message: str, started: float) -> dict:
    """An answer-contract object for failures the UI itself detects (bad date, assistant crash)."""
    return {"question": question, "status": "error", "answer": message, "citations": [], "tool_calls": [],
            "warnings": [], "follow_up_questions": [], "elapsed_ms": round((time.perf_counter() - started) * 1000, 1)}


def session_id_problem(session_id: Any) -> str | None:
    """A Chinese message when a client's session id is unusable, else None."""
    if session_id is None or session_id == "":
        return None
    text = str(session_id)
    if len(text) > MAX_SESSION_ID:
        return f"会话编号过长（{len(text)}个字符），请使用不超过{MAX_SESSION_ID}个字符的编号，例如一个 UUID。"
    if any(ord(ch) < 32 for ch in text):
        return "会话编号不能包含换行、制表符等控制字符。"
    return None


class Services:
    def __init__(self, assistant: AssistantLike | None = None, retriever: RetrieverLike | None = None,
                 feedback_path: Path | str | None = None):
        self._assistant = assistant
        self._retriever = retriever
        self._lock = threading.Lock()
        self._feedback_path = feedback_path
        self._feedback = None

    @property
    def assistant(self) -> AssistantLike:
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    from assistant.service import get_assistant

                    self._assistant = get_assistant()
        return self._assistant

    @property
    def retriever(self) -> RetrieverLike:
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    from indexing.retriever import get_retriever

                    self._retriever = get_retriever()
        return self._retriever

    @property
    def corpus(self):
        from corpus.loader import load_corpus

        return load_corpus()

    def tools(self) -> dict:
        from eligibility_tools.registry import load_tools

        return load_tools()

    def warm(self) -> None:
        """Load models and the index and answer one question now, so the first users do not wait for the
        loading and the lazily imported answering code (a burst of 20 new sessions took twice as long)."""
        _ = self.corpus, self.tools(), self.assistant, self.retriever
        self.ask(WARM_UP_QUESTION)

    def ask(self, question: str | None, session_id: str | None = None, as_of: str | None = None) -> dict:
        """The answer contract for one question; never raises (a failure is a `status: error` answer)."""
        started = time.perf_counter()
        question = "" if question is None else str(question)
        problem = session_id_problem(session_id)
        if problem:
            return error_contract(question[:200], problem, started)
        try:
            as_of_date = parse_as_of(as_of)
        except ValueError as err:
            return error_contract(question, str(err), started)
        try:
            # strict JSON for the wire: gradio serialises with orjson, which rejects non-string keys and
            # non-JSON types that Python's json would quietly convert
            return json.loads(json.dumps(self.assistant.ask(question, as_of=as_of_date, session_id=session_id or None),
                                         ensure_ascii=False, default=str))
        except Exception as err:  # the UI must keep serving whatever one question does
            from corpus.errors import PolicyQAError

            if isinstance(err, PolicyQAError):
                return error_contract(question, str(err), started)
            log.exception("assistant failed on a question of %d chars", len(question))
            return error_contract(question, INTERNAL_ERROR_ZH, started)

    @property
    def feedback(self):
        """The feedback store (`assistant.feedback.FeedbackStore`), under the data dir unless a path was given."""
        if self._feedback is None:
            with self._lock:
                if self._feedback is None:
                    from assistant.feedback import FeedbackStore

                    self._feedback = FeedbackStore(self._feedback_path or FeedbackStore.default_path())
        return self._feedback

    def record_feedback(self, *, rating: str, answer_id: str, question: str, contract: dict, as_of: str | None,
                        reason: str | None = None, session_id: str | None = None) -> str:
        """Store a vote; returns "" or a Chinese message for the page (a read-only or broken data dir must not
        break answering)."""
        try:
            self.feedback.record_feedback(rating=rating, answer_id=answer_id, question=question, contract=contract,
                                          as_of=as_of, reason=reason, session_id=session_id, channel="web")
        except Exception:
            log.exception("feedback could not be stored")
            return FEEDBACK_ERROR_ZH
        return ""

    def clause_labels(self, clause_ids: list[str]) -> dict[str, str]:
        clauses = self.corpus.clauses
        return {c: clauses[c].label for c in clause_ids if c in clauses}
