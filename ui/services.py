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
from typing import Any, Protocol

from eligibility_tools.dates import parse_as_of

log = logging.getLogger(__name__)

WARM_UP_QUESTION = "技能大赛金奖奖金多少？"  # touches routing, a tool, retrieval and the composer
INTERNAL_ERROR_ZH = "系统内部错误，本次问题未能回答。请稍后重试；如持续出现，请联系管理员查看服务日志。"


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


class Services:
    def __init__(self, assistant: AssistantLike | None = None, retriever: RetrieverLike | None = None):
        self._assistant = assistant
        self._retriever = retriever
        self._lock = threading.Lock()

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

    def clause_labels(self, clause_ids: list[str]) -> dict[str, str]:
        clauses = self.corpus.clauses
        return {c: clauses[c].label for c in clause_ids if c in clauses}
