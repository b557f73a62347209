"""`policy-qa bench`: start-up, latency, index build, memory and UI load figures, each the median of --repeat runs.

Parts whose package does not exist yet are skipped with a note. Servers listen on 127.0.0.1 only,
every wait is bounded, and every process started here is stopped (by its own process group) on exit.
Only click and the standard library at top level.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import inspect
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

PARTS = ("cli", "index", "retrieval", "warm", "long", "ui", "load")
COLD_QUESTION = "技能大赛金奖奖金多少？"
SERVER_START_TIMEOUT_S = 240
REQUEST_TIMEOUT_S = 120
# (part, figure, bound, target) — from issues 3, 5 and 6; printed next to each figure
TARGETS = (
    ("retrieval", "hybrid_p95_ms", "max", 30.0),
    ("retrieval", "rss_mb", "max", 600.0),
    ("index", "scratch_s", "max", 30.0),  # every vector computed: no cache, no bundled seed
    ("index", "cold_s", "max", 30.0),  # a fresh install: empty data dir, bundled seed
    ("index", "unchanged_s", "max", 3.0),
    ("warm", "p95_ms", "max", 100.0),
    ("long", "p95_ms_2000", "max", 1000.0),  # issue 14 #15: a 2,000-character story answers in under 1 s
    ("long", "same_answer_rate", "min", 1.0),
    ("cli", "batch_dev_s", "max", 60.0),
    ("load", "p95_ms", "max", 1500.0),
    ("load", "errors", "max", 0.0),
    ("load", "all_cited", "min", 1.0),
)
ENV = {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
       "ANONYMIZED_TELEMETRY": "False", "PYTHONUNBUFFERED": "1"}


class Skip(Exception):
    """A part that cannot run here (package missing); the message is the note printed instead."""


# --------------------------------------------------------------------------- helpers

def package_available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def pct(values: Sequence[float], q: float) -> float | None:
    from evals.grading import percentile

    return percentile(values, q)


def cli_command() -> list[str]:
    exe = Path(sys.executable).parent / "policy-qa"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant.cli"]


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ENV)
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_run(args: list[str], *, env: dict[str, str] | None = None, timeout: float = 600,
              stdin: str | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env or child_env(), input=stdin,
                          check=False)
    return time.perf_counter() - start, proc


def _rss_mb(pid: int | None = None) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def questions(gold: Path | None, in_scope_only: bool = True) -> list[str]:
    from evals.gold import DEV_SET, load_gold

    items = load_gold(gold or DEV_SET)
    # single questions only: a conversation's follow-up ("那硕士呢？") means nothing asked on its own
    return [i.question for i in items if isinstance(i.question, str) and (not in_scope_only or i.category != "out_of_scope")]


def _summ(samples_ms: list[float]) -> dict[str, float | None]:
    return {"p50_ms": _r(pct(samples_ms, 50)), "p95_ms": _r(pct(samples_ms, 95))}


def _r(value: float | None, nd: int = 1) -> float | None:
    return None if value is None else round(value, nd)


def _median_of_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per figure, the median over runs (numbers only); runs are kept beside it for inspection."""
    keys = {k for r in runs for k, v in r.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    out: dict[str, Any] = {k: _r(median([r[k] for r in runs if r.get(k) is not None]), 3) for k in sorted(keys)}
    out["runs"] = runs
    return out


# --------------------------------------------------------------------------- parts

def bench_cli(repeat: int, gold: Path | None) -> dict[str, Any]:
    """Process start to first answer (`policy-qa ask --json`), `--help`, and the whole dev set in batch mode."""
    if not package_available("assistant.cli_ask"):
        raise Skip("assistant.cli_ask 尚未实现（issue 5），跳过 CLI 冷启动")
    runs = []
    qs = questions(gold, in_scope_only=False)
    batch = "\n".join(json.dumps({"id": f"q{i}", "question": q}, ensure_ascii=False) for i, q in enumerate(qs)) + "\n"
    with tempfile.TemporaryDirectory(prefix="policy-qa-bench-") as tmp:
        batch_file = Path(tmp) / "dev-questions.jsonl"
        batch_file.write_text(batch, encoding="utf-8")
        for _ in range(repeat):
            help_s, _ = timed_run([*cli_command(), "--help"], timeout=120)
            cold_s, proc = timed_run([*cli_command(), "ask", "--json", COLD_QUESTION], timeout=600)
            ok = proc.returncode == 0 and _json_status(proc.stdout.strip().splitlines()[-1:] or [""]) is not None
            batch_s, bproc = timed_run([*cli_command(), "ask", "--json", "--batch", str(batch_file)], timeout=900)
            answered = sum(1 for line in bproc.stdout.splitlines() if _json_status([line]) is not None)
            runs.append({"help_s": round(help_s, 3), "cold_first_answer_s": round(cold_s, 3), "cold_ok": ok,
                         "batch_dev_s": round(batch_s, 3), "batch_answers": answered, "batch_questions": len(qs)})
    return _median_of_runs(runs)


def _json_status(lines: list[str]) -> str | None:
    try:
        return json.loads(lines[0]).get("status")
    except (json.JSONDecodeError, IndexError, AttributeError):
        return None


def bench_index(repeat: int, gold: Path | None = None) -> dict[str, Any]:
    """Cold index build (empty data dir) and rebuild with nothing changed."""
    if package_available("indexing.measure"):
        measure = importlib.import_module("indexing.measure")
        if hasattr(measure, "bench"):
            params = inspect.signature(measure.bench).parameters
            kwargs: dict[str, Any] = {name: repeat for name in ("repeats", "repeat") if name in params}
            if gold is not None and "gold_path" in params:
                kwargs["gold_path"] = gold
            result = dict(measure.bench(**kwargs))
            # the same figure names whichever way it was measured (targets below read cold_s / unchanged_s)
            for alias, key in (("scratch_s", "build_scratch_s"), ("cold_s", "build_cold_s"),
                               ("unchanged_s", "build_unchanged_s")):
                if key in result and alias not in result:
                    result[alias] = result[key]
            return result | {"source": "indexing.measure.bench()"}
    if not package_available("indexing.cli"):
        raise Skip("indexing.cli 尚未实现（issue 3），跳过索引构建计时")
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="policy-qa-index-") as tmp:
            env = child_env(POLICY_QA_DATA_DIR=tmp)
            cold_s, proc = timed_run([*cli_command(), "index", "build", "--force"], env=env, timeout=900)
            if proc.returncode != 0:
                raise RuntimeError(f"policy-qa index build --force 失败（退出码 {proc.returncode}）：{proc.stderr[-500:]}")
            unchanged_s, proc2 = timed_run([*cli_command(), "index", "build"], env=env, timeout=900)
            runs.append({"cold_s": round(cold_s, 3), "unchanged_s": round(unchanged_s, 3), "unchanged_ok": proc2.returncode == 0})
    return _median_of_runs(runs) | {"source": "policy-qa index build（子进程，含 Python 启动）"}


def _clear_caches(component: Any) -> None:
    clear = getattr(component, "clear_caches", None)
    if clear is not None:
        clear()


def bench_retrieval(repeat: int, gold: Path | None) -> dict[str, Any]:
    """Warm in-process retrieval latency per mode over the dev questions, and the process RSS after it."""
    if not package_available("indexing.retriever"):
        raise Skip("indexing.retriever 尚未实现（issue 3），跳过检索延迟")
    from evals.runner import RETRIEVAL_MODES

    module = importlib.import_module("indexing.retriever")
    start = time.perf_counter()
    retriever = module.get_retriever()
    retriever.retrieve(COLD_QUESTION, top_k=5, mode="hybrid")
    load_s = time.perf_counter() - start
    qs = questions(gold, in_scope_only=False)
    runs = []
    for _ in range(repeat):
        run: dict[str, Any] = {}
        for mode in RETRIEVAL_MODES:
            samples = []
            _clear_caches(retriever)  # every repeat embeds its queries again: no cached vectors
            try:
                retriever.retrieve(qs[0], top_k=5, mode=mode)  # first call of a mode may load its model
                for q in qs:
                    t0 = time.perf_counter()
                    retriever.retrieve(q, top_k=5, mode=mode)
                    samples.append((time.perf_counter() - t0) * 1000)
            except Exception as err:  # one unsupported mode must not hide the others
                run[f"{mode}_error"] = f"{type(err).__name__}: {err}"
                continue
            run[f"{mode}_p50_ms"], run[f"{mode}_p95_ms"] = _summ(samples).values()
        runs.append(run)
    out = _median_of_runs(runs)
    out.update({"load_and_first_query_s": round(load_s, 3), "rss_mb": round(_rss_mb(), 1), "questions": len(qs)})
    return out


def bench_warm(repeat: int, gold: Path | None) -> dict[str, Any]:
    """Warm in-process answer latency (wall clock around ask()) and the contract's own elapsed_ms."""
    if not package_available("assistant.service"):
        raise Skip("assistant.service 尚未实现（issue 5），跳过热态回答延迟")
    module = importlib.import_module("assistant.service")
    start = time.perf_counter()
    assistant = module.get_assistant()
    assistant.ask(COLD_QUESTION)
    load_s = time.perf_counter() - start
    qs = questions(gold, in_scope_only=False)
    runs = []
    for _ in range(repeat):
        wall, reported, errors = [], [], 0
        _clear_caches(assistant)  # no answer may come from the previous repeat's retrieval cache
        for q in qs:
            t0 = time.perf_counter()
            answer = assistant.ask(q)
            wall.append((time.perf_counter() - t0) * 1000)
            if answer.get("elapsed_ms") is not None:
                reported.append(float(answer["elapsed_ms"]))
            errors += answer.get("status") == "error"
        s = _summ(wall)
        runs.append({"p50_ms": s["p50_ms"], "p95_ms": s["p95_ms"], "elapsed_ms_p50": _r(pct(reported, 50)),
                     "elapsed_ms_p95": _r(pct(reported, 95)), "errors": errors})
    out = _median_of_runs(runs)
    out.update({"load_and_first_answer_s": round(load_s, 3), "rss_mb": round(_rss_mb(), 1), "questions": len(qs)})
    return out


def bench_long(repeat: int) -> dict[str, Any]:
    """Warm answer latency of long questions (a story, the question at the end: evals.long_questions), p50/p95 per
    length, and whether each keeps the short question's status and first citation."""
    if not package_available("assistant.service"):
        raise Skip("assistant.service 尚未实现（issue 5），跳过长问题延迟")
    from assistant.config import AssistantSettings
    from assistant.service import Assistant, get_assistant
    from evals.long_questions import LENGTHS, QUESTIONS, long_question

    real = get_assistant()
    # the default limit refuses more than 2,000 characters before any work; lifted here to time the pipeline itself
    assistant = Assistant(AssistantSettings(max_question_chars=max(LENGTHS)), retriever=real.retriever)
    first = {q: _first_answer(assistant.ask(q)) for q in QUESTIONS}
    runs = []
    for _ in range(repeat):
        run: dict[str, Any] = {}
        kept = 0
        for length in LENGTHS:
            samples = []
            for q in QUESTIONS:
                _clear_caches(assistant)
                t0 = time.perf_counter()
                answer = assistant.ask(long_question(q, length))
                samples.append((time.perf_counter() - t0) * 1000)
                kept += _first_answer(answer) == first[q]
            run[f"p50_ms_{length}"], run[f"p95_ms_{length}"] = _summ(samples).values()
        run["same_answer_rate"] = round(kept / (len(LENGTHS) * len(QUESTIONS)), 3)
        runs.append(run)
    return _median_of_runs(runs) | {"questions": len(QUESTIONS)}


def _first_answer(answer: dict[str, Any]) -> tuple[str, str | None]:
    citations = answer.get("citations") or []
    return answer.get("status", ""), citations[0]["clause_id"] if citations else None


@contextlib.contextmanager
def ui_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`policy-qa serve` on 127.0.0.1:port in its own process group; stopped (TERM, then KILL) on exit."""
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([*cli_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=child_env(), start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                log.seek(0)
                tail = log.read().decode("utf-8", "replace")[-800:]
                raise RuntimeError(f"policy-qa serve 提前退出（退出码 {proc.returncode}）：{tail}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"policy-qa serve 在 {SERVER_START_TIMEOUT_S} 秒内未就绪") from None
                time.sleep(0.5)
        yield proc
    finally:
        _stop_group(proc)
        log.close()


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)  # the group this function's Popen created (start_new_session)
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


class PeakRSS:
    """Samples the RSS of a process and its children every 0.2 s in a daemon thread; `.peak_mb`."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                proc = psutil.Process(self.pid)
                total = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                self.peak_mb = max(self.peak_mb, total / 2**20)
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _ask_via_client(client: Any, question: str) -> tuple[float, dict[str, Any] | None, str | None]:
    t0 = time.perf_counter()
    try:
        result = client.submit(question, api_name="/ask").result(timeout=REQUEST_TIMEOUT_S)
        data = json.loads(result) if isinstance(result, str) else result
        if isinstance(data, list | tuple):  # a multi-output endpoint: the contract is the dict among them
            data = next((d for d in data if isinstance(d, dict) and "status" in d), None)
        err = None if isinstance(data, dict) else f"返回值不是回答契约：{str(result)[:100]}"
    except Exception as exc:  # every failure of the UI is a counted error, not a crash of the bench
        data, err = None, f"{type(exc).__name__}: {exc}"
    return (time.perf_counter() - t0) * 1000, data if isinstance(data, dict) else None, err


def load_test(url: str, qs: list[str], sessions: int, per_session: int) -> dict[str, Any]:
    """`sessions` concurrent gradio_client sessions, each asking `per_session` distinct phrasings of `qs` in turn."""
    from ui.load import run_load_test

    report = run_load_test(url, sessions=sessions, per_session=per_session, timeout_s=REQUEST_TIMEOUT_S, questions=qs)
    cited = report["requests"] - report["errors"] - report["without_citations"]
    return {"requests": report["requests"], "errors": report["errors"], "all_cited": float(report["without_citations"] == 0),
            "cited_rate": _r(cited / max(1, report["requests"] - report["errors"]), 3), "p50_ms": report["p50_ms"],
            "p95_ms": report["p95_ms"], "max_ms": report["max_ms"], "throughput_rps": report["throughput_rps"],
            "wall_s": report["wall_s"], "first_errors": report["failures"][:3]}


def bench_ui(repeat: int, gold: Path | None, parts: set[str], sessions: int, per_session: int, port: int) -> dict[str, dict[str, Any]]:
    """Peak RSS of the UI process over a few /ask calls (and the load test when selected)."""
    if not package_available("ui.cli"):
        raise Skip("ui.cli 尚未实现（issue 6），跳过界面内存与压测")
    from ui.load import make_client

    qs = questions(gold)
    out: dict[str, dict[str, Any]] = {}
    runs_ui, runs_load = [], []
    for _ in range(repeat):
        port_used = port or free_port()
        started = time.perf_counter()
        with ui_server(port_used) as proc, PeakRSS(proc.pid) as rss:
            ready_s = time.perf_counter() - started
            url = f"http://127.0.0.1:{port_used}/"
            client = make_client(url)
            samples = [_ask_via_client(client, q) for q in qs[:5]]
            run = {"ready_s": round(ready_s, 2), **_summ([ms for ms, _, err in samples if err is None]),
                   "errors": sum(1 for *_, err in samples if err)}
            if "load" in parts:
                runs_load.append(load_test(url, qs, sessions, per_session))
            time.sleep(0.5)
            run["peak_rss_mb"] = round(rss.peak_mb, 1)
        runs_ui.append(run)
    if "ui" in parts:
        out["ui"] = _median_of_runs(runs_ui)
    if runs_load:
        out["load"] = _median_of_runs(runs_load) | {"sessions": sessions, "questions_per_session": per_session,
                                                   "errors_total": sum(r["errors"] for r in runs_load)}
    return out


# --------------------------------------------------------------------------- command

def check_targets(parts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for part, figure, bound, target in TARGETS:
        got = parts.get(part, {}).get(figure)
        if got is None:
            continue
        ok = got <= target if bound == "max" else got >= target
        rows.append({"part": part, "figure": figure, "value": got, "target": f"{'≤' if bound == 'max' else '≥'} {target:g}", "ok": ok})
    return rows


def run_bench(selected: Sequence[str], repeat: int, gold: Path | None, sessions: int, per_session: int, port: int,
              echo: Callable[[str], None]) -> dict[str, Any]:
    parts: dict[str, dict[str, Any]] = {}
    plan: list[tuple[str, Callable[[], Any]]] = [
        ("cli", lambda: bench_cli(repeat, gold)),
        ("index", lambda: bench_index(repeat, gold)),
        ("retrieval", lambda: bench_retrieval(repeat, gold)),
        ("warm", lambda: bench_warm(repeat, gold)),
        ("long", lambda: bench_long(repeat)),
    ]
    for name, fn in plan:
        if name not in selected:
            continue
        echo(f"… {name}")
        parts[name] = _guarded(fn)
    ui_parts = [p for p in ("ui", "load") if p in selected]
    if ui_parts:
        echo("… " + " + ".join(ui_parts))
        result = _guarded(lambda: bench_ui(repeat, gold, set(ui_parts), sessions, per_session, port))
        if "skipped" in result or "error" in result:
            parts.update({p: result for p in ui_parts})
        else:
            parts.update(result)
    return {"created": datetime.now().isoformat(timespec="seconds"), "cpu_count": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform(terse=True), "repeat": repeat,
            "parts": parts, "targets": check_targets(parts)}


def _guarded(fn: Callable[[], Any]) -> dict[str, Any]:
    try:
        return fn()
    except Skip as note:
        return {"skipped": str(note)}
    except Exception as err:  # one broken part is reported; the other figures are still worth having
        return {"error": f"{type(err).__name__}: {err}"}


def format_bench(result: dict[str, Any]) -> str:
    lines = [f"基准测试（CPU 核数 {result['cpu_count']}，每项取 {result['repeat']} 次运行的中位数）"]
    for part, figures in result["parts"].items():
        if "skipped" in figures:
            lines.append(f"  {part:<10} 跳过：{figures['skipped']}")
            continue
        if "error" in figures:
            lines.append(f"  {part:<10} 出错：{figures['error']}")
            continue
        shown = {k: v for k, v in figures.items() if k != "runs" and not isinstance(v, list | dict)}
        lines.append(f"  {part:<10} " + "  ".join(f"{k}={v}" for k, v in shown.items()))
    if result["targets"]:
        lines.append("目标对照：")
        for t in result["targets"]:
            lines.append(f"  {'✓' if t['ok'] else '✗'} {t['part']}.{t['figure']} = {t['value']}（目标 {t['target']}）")
    return "\n".join(lines)


@click.command("bench")
@click.option("--repeat", type=click.IntRange(1, 50), default=3, show_default=True, help="每项运行次数，报告中位数")
@click.option("--only", type=click.Choice(PARTS), multiple=True, help="只运行这些部分（可重复）")
@click.option("--skip", type=click.Choice(PARTS), multiple=True, help="跳过这些部分（可重复）")
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="提问来源（默认 dev 集）")
@click.option("--sessions", type=click.IntRange(1, 200), default=20, show_default=True, help="压测并发会话数")
@click.option("--per-session", type=click.IntRange(1, 50), default=5, show_default=True, help="每个会话的问题数")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="界面端口（默认自动选空闲端口，仅 127.0.0.1）")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="结果目录（默认 evals/reports/）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 打印结果")
def bench_command(repeat: int, only: tuple[str, ...], skip: tuple[str, ...], gold_path: Path | None, sessions: int,
                  per_session: int, port: int, out_dir: Path | None, as_json: bool) -> None:
    """性能基准：CLI 冷启动、热态回答与检索 p50/p95、索引构建、界面内存与并发压测。"""
    from evals.cli import default_out_dir

    selected = [p for p in (only or PARTS) if p not in skip]
    result = run_bench(selected, repeat, gold_path, sessions, per_session, port, echo=lambda m: click.echo(m, err=True))
    out = Path(out_dir or default_out_dir())
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else format_bench(result))
    click.echo(f"已保存 {path}", err=True)
