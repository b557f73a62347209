"""Run a gold set through the assistant and/or the retrieval modes and grade every item.

The assistant and the retriever are imported lazily, inside the loaders, so the harness imports and
its unit tests run before those packages exist; a missing package is a clear Chinese message.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import platform
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from evals.errors import EvalDependencyError
from evals.gold import GoldItem
from evals.grading import TOP_K, grade_item, summarise

RETRIEVAL_MODES = ("naive", "bm25", "dense", "hybrid")
ASSISTANT_MODES = ("deterministic", "llm")
WARMUP_QUESTION = "技能大赛金奖奖金多少？"

Answerer = Callable[[GoldItem, "date | None"], Mapping[str, Any]]
Retriever = Callable[[str, str], Sequence[Any]]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunSpec:
    """One column of the report: the assistant in a mode, or one retrieval mode alone."""

    kind: str  # assistant | retrieval
    mode: str

    def __post_init__(self) -> None:
        allowed = ASSISTANT_MODES if self.kind == "assistant" else RETRIEVAL_MODES if self.kind == "retrieval" else None
        if allowed is None:
            raise ValueError(f"kind must be assistant or retrieval, got {self.kind!r}")
        if self.mode not in allowed:
            raise ValueError(f"mode for {self.kind} must be one of {allowed}, got {self.mode!r}")

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.mode}"

    @property
    def answer_level(self) -> bool:
        return self.kind == "assistant"


@dataclass
class RunResult:
    spec: RunSpec
    items: list[dict[str, Any]]
    summary: dict[str, dict[str, Any]]
    wall_s: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.spec.kind, "mode": self.spec.mode, "summary": self.summary, "items": self.items,
                "wall_s": round(self.wall_s, 2), "note": self.note}


@dataclass
class SkippedRun:
    name: str
    reason: str
    failed: bool  # True: the package exists but broke; False: not built yet


@dataclass
class EvalReport:
    gold: str
    runs: list[RunResult]
    skipped: list[SkippedRun] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def primary(self) -> RunResult | None:
        """The run whose items the report lists: the assistant if it ran, else hybrid retrieval, else the first."""
        for pick in (lambda r: r.spec.kind == "assistant", lambda r: r.spec.name == "retrieval:hybrid", lambda r: True):
            for run in self.runs:
                if pick(run):
                    return run
        return None

    def run(self, name: str) -> RunResult | None:
        return next((r for r in self.runs if r.spec.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        primary = self.primary
        return {
            "summary": primary.summary if primary else {},
            "items": primary.items if primary else [],
            "primary": primary.spec.name if primary else None,
            "runs": {r.spec.name: r.to_dict() for r in self.runs},
            "skipped": [{"run": s.name, "reason": s.reason, "failed": s.failed} for s in self.skipped],
            "meta": self.meta,
        }


# --------------------------------------------------------------------------- backends

def _import(module: str, what: str) -> Any:
    """Import a collaborator module; EvalDependencyError (Chinese) if it is missing or broken."""
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        spec = None
    if spec is None:
        raise EvalDependencyError(f"{what}尚未就绪：找不到模块 {module}，无法运行该评测。", missing=True)
    try:
        return importlib.import_module(module)
    except Exception as err:  # a broken collaborator must be reported, not crash the other runs
        raise EvalDependencyError(f"导入 {module} 失败：{type(err).__name__}: {err}", missing=False) from err


def package_available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def load_answerer(mode: str = "deterministic") -> Answerer:
    """`assistant.service.get_assistant(mode=...)`, wrapped as item -> answer contract dict."""
    service = _import("assistant.service", "问答助手（issue 5）")
    get_assistant = getattr(service, "get_assistant", None)
    if get_assistant is None:
        raise EvalDependencyError("assistant.service 中没有 get_assistant()，请对照 docs/CONTRACTS.md。", missing=False)
    params = inspect.signature(get_assistant).parameters
    accepts_mode = "mode" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    if not accepts_mode and mode != "deterministic":
        # older signature: the assistant reads its mode from the environment
        os.environ["POLICY_QA_MODE"] = mode
    assistant = _construct(lambda: get_assistant(mode=mode) if accepts_mode else get_assistant(), "问答助手")

    def answer(item: GoldItem, as_of: date | None) -> Mapping[str, Any]:
        return ask_item(assistant, item, item.as_of or as_of)

    return answer


def ask_item(assistant: Any, item: GoldItem, as_of: date | None) -> Mapping[str, Any]:
    """The answer to the item's graded turn. A conversation is asked turn by turn in one session of its own
    (unique per item and per call, so reruns in one process never share history); the last answer is returned."""
    turns = item.turns
    if len(turns) == 1:
        return assistant.ask(turns[0], as_of=as_of, session_id=None, id=item.id)
    session_id = f"eval-{item.id}-{uuid.uuid4().hex[:12]}"
    response: Mapping[str, Any] = {}
    for turn in turns:
        response = assistant.ask(turn, as_of=as_of, session_id=session_id, id=item.id)
    return response


def load_retriever() -> Retriever:
    """`indexing.retriever.get_retriever().retrieve`, wrapped as (question, mode) -> ranked clauses."""
    module = _import("indexing.retriever", "检索模块（issue 3）")
    retriever = _construct(module.get_retriever, "检索器")

    def retrieve(question: str, mode: str) -> Sequence[Any]:
        return retriever.retrieve(question, top_k=TOP_K, mode=mode)

    return retrieve


def _construct(factory: Callable[[], Any], what: str) -> Any:
    """Build a collaborator; a failure (index corrupt, model missing) becomes a reported, not fatal, error."""
    try:
        return factory()
    except Exception as err:  # reported per run; the other runs still go ahead
        raise EvalDependencyError(f"{what}初始化失败：{type(err).__name__}: {err}", missing=False) from err


def citation_dict(hit: Any) -> dict[str, Any]:
    """A RetrievedClause (or a dict) as an answer-contract citation."""
    if isinstance(hit, Mapping):
        return {k: hit.get(k) for k in ("clause_id", "document", "label", "text")}
    return {k: getattr(hit, k, None) for k in ("clause_id", "document", "label", "text")}


# --------------------------------------------------------------------------- running

def run_gold(items: Sequence[GoldItem], spec: RunSpec, *, as_of: date | None = None,
             answerer: Answerer | None = None, retriever: Retriever | None = None,
             progress: Progress | None = None, warmup: bool = True) -> RunResult:
    """Grade every item with one backend. One failing item becomes an `error` record, never a crash."""
    if spec.answer_level and answerer is None:
        answerer = load_answerer(spec.mode)
    if not spec.answer_level and retriever is None:
        retriever = load_retriever()

    def call(item: GoldItem) -> dict[str, Any]:
        start = time.perf_counter()
        try:
            if spec.answer_level:
                assert answerer is not None
                response = dict(answerer(item, as_of))
            else:
                assert retriever is not None
                hits = retriever(item.last_question, spec.mode)  # retrieval has no history: the graded turn alone
                response = {"citations": [citation_dict(h) for h in hits]}
        except Exception as err:  # graded as a failure of this item, shown in the report
            response = {"status": "error", "answer": f"评测调用出错：{type(err).__name__}: {err}", "citations": []}
        wall_ms = (time.perf_counter() - start) * 1000
        if response.get("elapsed_ms") is None:
            response["elapsed_ms"] = round(wall_ms, 2)
        return response

    if warmup and items:
        # first call loads models / the index; keep it out of the latency figures
        call(GoldItem(id="warmup", category="lookup", question=WARMUP_QUESTION, evidence=(), expected_numbers=(),
                      expected_answer="", doc=None))
    started = time.perf_counter()
    records = []
    for done, item in enumerate(items, start=1):
        response = call(item)
        records.append(grade_item(item, response, answer_level=spec.answer_level, run=spec.name))
        if progress:
            progress(spec.name, done, len(items))
    return RunResult(spec=spec, items=records, summary=summarise(records), wall_s=time.perf_counter() - started)


def evaluate(items: Sequence[GoldItem], specs: Iterable[RunSpec], *, gold: str = "", as_of: date | None = None,
             strict: bool = True, progress: Progress | None = None,
             answerer_factory: Callable[[str], Answerer] | None = None,
             retriever_factory: Callable[[], Retriever] | None = None) -> EvalReport:
    """Run several specs over one gold set. strict=False records unavailable backends as skipped runs.

    The factories default to `load_answerer` / `load_retriever`, looked up at call time.
    """
    answerer_factory = answerer_factory or load_answerer
    retriever_factory = retriever_factory or load_retriever
    report = EvalReport(gold=gold, runs=[], meta=run_meta(as_of, len(items)))
    retriever: Retriever | None = None
    for spec in specs:
        try:
            if spec.answer_level:
                result = run_gold(items, spec, as_of=as_of, answerer=answerer_factory(spec.mode), progress=progress)
            else:
                retriever = retriever or retriever_factory()
                result = run_gold(items, spec, as_of=as_of, retriever=retriever, progress=progress)
        except EvalDependencyError as err:
            if strict:
                raise
            report.skipped.append(SkippedRun(spec.name, str(err), failed=not err.missing))
            continue
        report.runs.append(result)
    return report


def run_meta(as_of: date | None, n_items: int) -> dict[str, Any]:
    return {"created": datetime.now().isoformat(timespec="seconds"), "as_of": as_of.isoformat() if as_of else None,
            "n_items": n_items, "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(terse=True)}
