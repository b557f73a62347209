"""What every API route shares: the UI's services, the guard, the answering queue and the index-rebuild check."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ui.api.auth import Guard
from ui.api.config import ApiSettings
from ui.api.errors import ApiError

T = TypeVar("T")
REBUILDING_ZH = "检索索引正在重建，暂时无法回答，请1分钟后重试。"
BUSY_ZH = "系统繁忙，排队的问题已满，请稍后重试。"
LOCK_FILE = ".index.lock"  # indexing/index.py holds it exclusively while it builds


def index_rebuilding(data_dir: Path) -> bool:
    """True while another process (or thread) holds the index build lock."""
    path = data_dir / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


class Runner:
    """Runs answering work in threads, at most `concurrency` at a time (more only interleaves CPU-bound answers on
    2 cores), the rest waiting in order; past `max_waiting` a request is refused with 503 at once."""

    def __init__(self, concurrency: int, max_waiting: int):
        self.concurrency = concurrency
        self.max_waiting = max_waiting
        self._sem: asyncio.Semaphore | None = None
        self._waiting = 0

    async def run(self, fn: Callable[[], T]) -> T:
        from starlette.concurrency import run_in_threadpool

        if self._sem is None:
            self._sem = asyncio.Semaphore(self.concurrency)
        if self._waiting >= self.max_waiting:
            raise ApiError(503, "busy", BUSY_ZH, {"Retry-After": "5"})
        self._waiting += 1
        try:
            async with self._sem:
                return await run_in_threadpool(fn)
        finally:
            self._waiting -= 1


@dataclass
class ApiContext:
    services: Any  # ui.services.Services (or a stand-in with assistant / retriever / corpus / tools() / feedback)
    settings: ApiSettings
    guard: Guard
    runner: Runner
    data_dir: Path
    rebuilding: Callable[[], bool] = field(default=lambda: False)

    def ensure_ready(self) -> None:
        if self.rebuilding():
            raise ApiError(503, "index_rebuilding", REBUILDING_ZH, {"Retry-After": "60"})


def make_context(services: Any, settings: ApiSettings | None = None, data_dir: Path | None = None,
                 concurrency: int | None = None, max_waiting: int | None = None) -> ApiContext:
    settings = settings or ApiSettings()
    if data_dir is None:
        from indexing.config import IndexSettings

        data_dir = IndexSettings().data_dir
    runner = Runner(settings.concurrency or concurrency or 2, settings.max_waiting or max_waiting or 256)
    return ApiContext(services=services, settings=settings, guard=Guard(settings), runner=runner, data_dir=data_dir,
                      rebuilding=lambda: index_rebuilding(data_dir))


def parse_day(text: str | None, field_name: str = "as_of") -> date | None:
    """YYYY-MM-DD or empty; ApiError 400 with the Chinese reason otherwise."""
    from eligibility_tools.dates import parse_as_of

    try:
        return parse_as_of(text)
    except ValueError as err:
        raise ApiError(400, "invalid_as_of", str(err)) from None


def ask_contract(ctx: ApiContext, question: Any, session_id: str | None, as_of: str | None) -> tuple[dict, str | None]:
    """Validate, then answer in this thread: (the answer contract as JSON types, the audit id). ApiError on bad input
    (400), on an index being rebuilt (503) and when answering failed (500, the assistant's own Chinese message)."""
    from assistant.audit import last_answer_id
    from assistant.service import check_question
    from ui.services import session_id_problem

    max_chars = getattr(getattr(ctx.services.assistant, "settings", None), "max_question_chars", 2000)
    problem = check_question(question, max_chars)
    if problem:
        raise ApiError(400, "invalid_question", problem)
    problem = session_id_problem(session_id)
    if problem:
        raise ApiError(400, "invalid_session_id", problem)
    day = parse_day(as_of)
    ctx.ensure_ready()
    contract = ctx.services.assistant.ask(question, as_of=day, session_id=session_id or None)
    contract = json.loads(json.dumps(contract, ensure_ascii=False, default=str))
    if contract.get("status") == "error":
        raise ApiError(500, "answer_failed", str(contract.get("answer") or "本次问题未能回答，请稍后重试。"))
    return contract, last_answer_id()
