"""Time `normalize_question` per question over the dev questions (every turn), after warm-up.

    .venv/bin/python scripts/bench_normalize.py [--gold evals/gold/dev.jsonl] [--repeat 20]

Prints the warm-up time, then the mean and p95 time per question (each question's median over the passes, and
every single call); the budget is < 2 ms per typical question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.normalize import normalize_question, warm_up  # noqa: E402

DEV_SET = Path(__file__).resolve().parent.parent / "evals" / "gold" / "dev.jsonl"


def questions_of(path: Path) -> list[str]:
    """Every turn of a gold JSONL file (`question` is a string, or a list of turns)."""
    questions: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            question = json.loads(line)["question"]
            questions.extend([question] if isinstance(question, str) else question)
    return questions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEV_SET, help="gold set whose questions are timed (JSONL)")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the questions")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be >= 1, got {args.repeat}")

    questions = questions_of(args.gold)
    started = time.perf_counter()
    warm_up()
    warm_s = time.perf_counter() - started

    runs_ms: list[list[float]] = [[] for _ in questions]
    for _ in range(args.repeat):
        for n, question in enumerate(questions):
            t0 = time.perf_counter()
            normalize_question(question)
            runs_ms[n].append((time.perf_counter() - t0) * 1000)
    # one time per question: its median over the passes, so a busy machine's pauses do not decide the result
    per_question = sorted(statistics.median(runs) for runs in runs_ms)
    every_call = sorted(t for runs in runs_ms for t in runs)
    print(f"questions: {len(questions)} x {args.repeat} passes ({args.gold.name})")
    print(f"warm-up:   {warm_s:.2f} s")
    print(f"per question (median of its passes): mean {statistics.mean(per_question):.3f} ms, "
          f"p95 {_p95(per_question):.3f} ms, max {per_question[-1]:.3f} ms")
    print(f"every call:                          mean {statistics.mean(every_call):.3f} ms, "
          f"p95 {_p95(every_call):.3f} ms, max {every_call[-1]:.3f} ms")
    return 0


def _p95(sorted_ms: list[float]) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(0.95 * len(sorted_ms)))]


if __name__ == "__main__":
    raise SystemExit(main())
