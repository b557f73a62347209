"""REST `/api/v1/ask` vs gradio `/ask` under the same load: N concurrent clients (default 20), each asking the same
distinct questions in turn (one session each), against one real `policy-qa serve`. Prints and saves p50/p95,
throughput and the server's CPU time per request for both paths (`make bench` runs it after `policy-qa bench`).

Usage: python scripts/bench_api.py [--sessions 20] [--per-session 5] [--out evals/reports]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ui.load import _percentile, free_port, run_load_test, session_questions, wait_until_up  # noqa: E402

TIMEOUT_S = 120


def rest_load(url: str, sessions: int, per_session: int) -> dict:
    """Like ui.load.run_load_test, over plain HTTP (one keep-alive-free urllib request per question)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(sessions, timeout=TIMEOUT_S)
    counts = {"errors": 0, "without_citations": 0}

    def one(index: int) -> None:
        session_id = f"bench-{index}-{uuid.uuid4().hex[:8]}"
        barrier.wait()
        for question in session_questions(index, per_session):
            body = json.dumps({"question": question, "session_id": session_id}).encode()
            request = urllib.request.Request(url + "api/v1/ask", data=body, headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT_S) as resp:
                    answer = json.loads(resp.read())
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if not answer.get("citations"):
                        counts["without_citations"] += 1
            except Exception as err:  # counted, not fatal
                with lock:
                    counts["errors"] += 1
                    failures.append(f"{question}: {err!r}"[:200])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        list(pool.map(one, range(sessions)))
    wall = time.perf_counter() - started
    return {"requests": sessions * per_session, "errors": counts["errors"], "without_citations": counts["without_citations"],
            "p50_ms": round(_percentile(latencies, 50), 1), "p95_ms": round(_percentile(latencies, 95), 1),
            "max_ms": round(max(latencies), 1) if latencies else 0.0, "wall_s": round(wall, 2),
            "throughput_rps": round(len(latencies) / wall, 2) if wall else 0.0, "failures": failures[:5]}


def server_cpu_s(pid: int) -> float:
    import psutil

    proc = psutil.Process(pid)
    times = [proc.cpu_times()] + [c.cpu_times() for c in proc.children(recursive=True)]
    return sum(t.user + t.system for t in times)


def measured(pid: int, run) -> dict:
    before = server_cpu_s(pid)
    figures = run()
    figures["server_cpu_ms_per_request"] = round((server_cpu_s(pid) - before) * 1000 / max(1, figures["requests"]), 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--per-session", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "evals" / "reports")
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1", "POLICY_QA_API_TOKENS": "", "POLICY_QA_AUDIT_ENABLED": "false"}
    print(f"… REST 与 gradio 对比：{args.sessions} 个并发客户端，每个 {args.per_session} 个问题", file=sys.stderr)
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_up(url, time.monotonic() + 600, proc)
        # one pass over every question first: both paths then meet the same warm retrieval cache, so the figures
        # compare the two doors (HTTP + JSON vs gradio's queue and client), not a cold cache against a warm one
        rest_load(url, args.sessions, args.per_session)
        rest = measured(proc.pid, lambda: rest_load(url, args.sessions, args.per_session))
        gradio = measured(proc.pid, lambda: run_load_test(url, sessions=args.sessions, per_session=args.per_session,
                                                          timeout_s=TIMEOUT_S))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    keys = ("requests", "errors", "p50_ms", "p95_ms", "throughput_rps", "server_cpu_ms_per_request")
    result = {"created": datetime.now().isoformat(timespec="seconds"), "cpu_count": os.cpu_count(), "sessions": args.sessions,
              "per_session": args.per_session, "rest_api_v1_ask": rest, "gradio_ask": {k: gradio.get(k) for k in (*keys, "max_ms", "wall_s")}}
    for name, figures in (("REST /api/v1/ask", rest), ("gradio /ask     ", gradio)):
        print(f"  {name}  " + "  ".join(f"{k}={figures.get(k)}" for k in keys))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench-api-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"已保存 {path}", file=sys.stderr)
    if rest["errors"] or gradio.get("errors"):
        sys.exit(1)


if __name__ == "__main__":
    main()
