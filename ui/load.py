"""Load test against a running UI: N concurrent gradio_client sessions, each asking distinct questions
through the public `/ask` API. Used by tests/ui (integration) and by `policy-qa bench` (evals.bench).

Only gradio_client and the standard library; every wait is bounded.
"""

from __future__ import annotations

import os
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# In-scope questions whose answers cite clauses, across all ten documents.
BASE_QUESTIONS = [
    "技能大赛金奖奖金多少？",
    "全市技能大赛银奖奖金是多少？",
    "硕士研究生首次聘用专业技术岗位可以聘几级？",
    "博士首次岗位聘用可以聘几级？",
    "本科毕业生首次聘用专业技术岗位聘几级？",
    "企业新型学徒制的培训补贴标准是多少？",
    "学徒培养期限一般是多长？",
    "创业孵化基地认定需要什么条件？",
    "市级创业园认定后有哪些扶持？",
    "人力资源服务机构有哪些奖励政策？",
    "人力资源服务产业园有什么支持？",
    "正高级职称评审需要什么条件？",
    "职称评审材料什么时候报送？",
    "技能大赛团体总分怎么计算？",
    "事业单位专业技术岗位分几个等级？",
    "专业技术高级岗位结构比例是多少？",
    "职业技能培训补贴目录包括哪些职业？",
    "技能乌海行动的目标是什么？",
    "企业技能人才自主评价怎么开展？",
    "职业技能提升行动资金可以用于哪些方面？",
]
# Five ways people open a question; with the base questions they give 100 distinct strings.
PHRASINGS = ["{q}", "请问{q}", "我想了解一下，{q}", "麻烦问下{q}", "咨询：{q}"]


def session_questions(session: int, per_session: int, base: Sequence[str] = BASE_QUESTIONS) -> list[str]:
    """Distinct questions for one session (distinct across sessions too while 20×5 fit the pool)."""
    n = len(base)
    out = []
    for j in range(per_session):
        question = base[(session + j * 4) % n]
        phrasing = PHRASINGS[(session // n + j) % len(PHRASINGS)]
        out.append(phrasing.format(q=question))
    return out


def make_client(url: str, tls: ssl.SSLContext | None = None, **kwargs: Any):
    """A gradio_client Client that reuses one TLS context for all its requests.

    gradio_client opens several new httpx connections for every call and, given `ssl_verify=True`, httpx
    builds a fresh SSLContext for each, reading the whole CA bundle (about 15 ms of CPU, even for http://
    URLs). Twenty clients on the server's own 2 cores spent more CPU on that than the server spent
    answering, so latency figures measured the load generator. A shared context verifies certificates
    just the same; staff systems calling `/ask` in a loop should do likewise.
    """
    from gradio_client import Client

    return Client(url, verbose=False, ssl_verify=tls or ssl.create_default_context(), **kwargs)


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def run_load_test(url: str, sessions: int = 20, per_session: int = 5, timeout_s: float = 120.0,
                  questions: Sequence[str] = BASE_QUESTIONS) -> dict:
    """`sessions` concurrent clients each ask `per_session` distinct questions (phrasings of `questions`)
    in turn (multi-turn, one session_id per client). Returns counts and client-side latency figures
    (queue wait included):

    {"sessions", "requests", "errors", "without_citations", "statuses", "p50_ms", "p95_ms", "max_ms",
     "mean_ms", "wall_s", "throughput_rps", "failures": [first few messages]}
    """
    if sessions < 1 or per_session < 1:
        raise ValueError(f"sessions and per_session must be > 0, got {sessions}, {per_session}")
    if not questions:
        raise ValueError("questions must not be empty")
    tls = ssl.create_default_context()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    failures: list[str] = []
    counts = {"errors": 0, "without_citations": 0}
    lock = threading.Lock()
    start_barrier = threading.Barrier(sessions, timeout=timeout_s)

    def one_session(index: int) -> None:
        try:
            client = make_client(url, tls, download_files=False, analytics_enabled=False, max_workers=2)
        except Exception as err:  # a client that cannot connect counts every question as an error
            with lock:
                counts["errors"] += per_session
                failures.append(f"session {index}: connect failed: {err!r}"[:300])
            return
        session_id = f"load-{index}-{uuid.uuid4().hex[:8]}"
        try:
            start_barrier.wait()
        except threading.BrokenBarrierError:
            pass
        for question in session_questions(index, per_session, questions):
            started = time.perf_counter()
            try:
                job = client.submit(question, session_id, None, api_name="/ask")
                answer = job.result(timeout=timeout_s)
                elapsed = (time.perf_counter() - started) * 1000
                ok = isinstance(answer, dict) and answer.get("status") in ("answered", "needs_more_info", "out_of_scope")
                with lock:
                    latencies.append(elapsed)
                    status = answer.get("status", "?") if isinstance(answer, dict) else "?"
                    statuses[status] = statuses.get(status, 0) + 1
                    if not ok:
                        counts["errors"] += 1
                        failures.append(f"{question}: {str(answer)[:200]}")
                    elif not answer.get("citations"):
                        counts["without_citations"] += 1
                        failures.append(f"{question}: no citations ({answer.get('status')})")
            except Exception as err:
                with lock:
                    counts["errors"] += 1
                    failures.append(f"{question}: {err!r}"[:300])
        try:
            client.close()
        except Exception:
            pass

    wall_started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions, thread_name_prefix="load") as pool:
        list(pool.map(one_session, range(sessions)))
    wall = time.perf_counter() - wall_started
    requests = sessions * per_session
    return {
        "sessions": sessions,
        "requests": requests,
        "errors": counts["errors"],
        "without_citations": counts["without_citations"],
        "statuses": statuses,
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1) if latencies else 0.0,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(latencies) / wall, 2) if wall > 0 else 0.0,
        "failures": failures[:10],
    }


# ---------------------------------------------------------------- a server to load (tests and `make bench`)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, deadline: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll `url` until it answers 200, the process dies, or `deadline` (time.monotonic()) passes."""
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {proc.returncode} before it was up:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError as err:
            last = err
        time.sleep(0.5)
    raise TimeoutError(f"{url} not up in time ({last!r})")


@contextmanager
def running_server(log: Path | None = None, startup_timeout_s: float = 600, cwd: Path | None = None,
                   extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """`policy-qa serve` in a child process on a free 127.0.0.1 port; yields its URL and stops it after.

    The first start on a fresh clone builds the retrieval index (about a minute on 2 cores), hence the
    generous startup timeout."""
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    out = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    try:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_up(url, time.monotonic() + startup_timeout_s, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)
    finally:
        if log:
            out.close()
