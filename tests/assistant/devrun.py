"""Developer script: run the dev set through the assistant and print per-category figures (until `policy-qa eval` lands).

Usage: .venv/bin/python -m tests.assistant.devrun [--fake] [--gold FILE] [--show-fail]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from types import SimpleNamespace


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fake", action="store_true", help="use the lexical fake retriever")
    ap.add_argument("--gold", default="evals/gold/dev.jsonl")
    ap.add_argument("--show-fail", action="store_true")
    ap.add_argument("--as-of", default="2026-11-26")
    args = ap.parse_args()
    from assistant.service import Assistant
    from evals.grading import grade_item, summarise

    t0 = time.perf_counter()
    retriever = None
    if args.fake:
        from tests.assistant.fakes import FakeRetriever

        retriever = FakeRetriever()
    assistant = Assistant(retriever=retriever)
    assistant.warm_up()
    start = time.perf_counter() - t0
    records = []
    for line in open(args.gold, encoding="utf-8"):
        item = SimpleNamespace(**json.loads(line))
        resp = assistant.ask(item.question, as_of=date.fromisoformat(args.as_of), id=item.id)
        rec = grade_item(item, resp, answer_level=True)
        records.append(rec)
        if args.show_fail and rec["failures"]:
            print(f"--- {item.id} [{item.category}] {item.question}\n  status={resp['status']} fail={rec['failures']}")
            print("  cites:", [c["clause_id"] for c in resp["citations"]])
            print("  tools:", [(t["name"], t["result"].get("outcome")) for t in resp["tool_calls"]])
            print("  " + resp["answer"].replace("\n", "\n  ")[:900])
    summary = summarise(records)
    keys = ("n", "hit@1", "hit@5", "numbers_ok", "status_ok", "false_abstain", "expiry_flagged", "p50_ms", "p95_ms")
    print("category".ljust(14) + "".join(k.rjust(15) for k in keys))
    for cat, s in summary.items():
        print(cat.ljust(14) + "".join(str(s.get(k)).rjust(15) for k in keys))
    print(f"start-up {start:.1f}s, total {time.perf_counter() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
