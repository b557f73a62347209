"""Calibrate the abstention thresholds on hand-written should-answer / should-refuse examples.

    .venv/bin/python -m assistant.calibration [EXAMPLES.yaml] [--fake]

Prints the false-answer rate (should refuse, answered) and the false-refusal rate (should answer, refused) for
the current thresholds, and a sweep over `CORPUS_COVERAGE_MIN` x `TOP_COVERAGE_MIN`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_EXAMPLES = Path(__file__).resolve().parents[1] / "tests" / "assistant" / "data" / "abstention_examples.yaml"


@dataclass
class Signals:
    question: str
    should_refuse: bool
    retrieved: list[str]
    has_intent: bool
    tool_answered: bool


def collect(assistant, examples: dict) -> list[Signals]:
    """The abstention inputs of every example, computed once (the sweep only re-thresholds them)."""
    from datetime import date

    from assistant.router import Intent, route
    from assistant.slots import extract_slots

    out = []
    for label, refuse in (("should_answer", False), ("should_refuse", True)):
        for q in examples.get(label, []):
            rt = route(q, extract_slots(q))
            retrieved = [r.text for r in assistant.retriever.retrieve(q, top_k=8, mode="hybrid")]
            runs = assistant._run_tools(rt, q, date.today())
            decisive = any(r.outcome not in ("needs_info", "") for r in runs if r.primary)
            out.append(Signals(q, refuse, retrieved, any(i != Intent.lookup for i in rt.intents), decisive))
    return out


def rates(signals: list[Signals], corpus_min: float, top_min: float) -> tuple[float, float, list[str]]:
    """(false-answer rate, false-refusal rate, misclassified questions)."""
    from assistant.abstain import decide

    fa = fr = n_refuse = n_answer = 0
    wrong = []
    for s in signals:
        d = decide(s.question, s.retrieved, has_intent=s.has_intent, tool_answered=s.tool_answered,
                   corpus_min=corpus_min, top_min=top_min)
        if s.should_refuse:
            n_refuse += 1
            if not d.out_of_scope:
                fa += 1
                wrong.append(f"答了不该答的：{s.question}（覆盖 {d.coverage_corpus:.2f}/{d.coverage_top:.2f}）")
        else:
            n_answer += 1
            if d.out_of_scope:
                fr += 1
                wrong.append(f"拒了该答的：{s.question}（{d.reason}，覆盖 {d.coverage_corpus:.2f}/{d.coverage_top:.2f}）")
    return fa / max(n_refuse, 1), fr / max(n_answer, 1), wrong


def main(argv: list[str] | None = None) -> None:
    from assistant.abstain import CORPUS_COVERAGE_MIN, TOP_COVERAGE_MIN
    from assistant.service import Assistant

    args = list(sys.argv[1:] if argv is None else argv)
    fake = "--fake" in args
    args = [a for a in args if a != "--fake"]
    path = Path(args[0]) if args else DEFAULT_EXAMPLES
    examples = yaml.safe_load(path.read_text(encoding="utf-8"))
    retriever = None
    if fake:
        from tests.assistant.fakes import FakeRetriever

        retriever = FakeRetriever()
    assistant = Assistant(retriever=retriever)
    signals = collect(assistant, examples)
    fa, fr, wrong = rates(signals, CORPUS_COVERAGE_MIN, TOP_COVERAGE_MIN)
    print(f"examples: {sum(not s.should_refuse for s in signals)} should-answer, {sum(s.should_refuse for s in signals)} should-refuse")
    print(f"current thresholds corpus>={CORPUS_COVERAGE_MIN} top>={TOP_COVERAGE_MIN}: false-answer {fa:.3f}, false-refusal {fr:.3f}")
    for w in wrong:
        print("  " + w)
    print("sweep (corpus_min, top_min): false-answer / false-refusal")
    for cmin in (0.3, 0.4, 0.5, 0.6, 0.7):
        row = []
        for tmin in (0.2, 0.34, 0.5, 0.6):
            a, r, _ = rates(signals, cmin, tmin)
            row.append(f"{tmin:.2f}: {a:.2f}/{r:.2f}")
        print(f"  {cmin:.1f}  " + "  ".join(row))


if __name__ == "__main__":
    main()
