"""Hybrid retrieval over clause units: jieba BM25 + dense (Chroma), fused (score blend or RRF), answer-typed, optionally reranked.

`get_retriever()` is what the assistant, the CLI and the evals use: one retriever per process,
loaded from the data dir, rebuilt automatically (with a message on stderr) when the index is
missing, stale or corrupt.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from indexing.config import IndexSettings
from indexing.focus import focus
from indexing.fusion import DEFAULT_BM25_WEIGHT, DEFAULT_RRF_K, convex_fusion, reciprocal_rank_fusion
from indexing.lexical import LexicalIndex
from indexing.types import MODES, Embedder, RetrievedClause
from indexing.units import RetrievalUnit

CANDIDATES = 40  # BM25 candidates before fusion
DENSE_CANDIDATES = 1000  # dense candidates: (nearly) all units, so the min-max scale of the cosines is stable
RERANK_CANDIDATES = 20
ANSWER_TYPE_CANDIDATES = 10  # how deep the answer-type bonus reaches into the fused list
ANSWER_TYPE_BONUS = 0.06  # a tie-breaker on the fused score scale (0..1): never more than a near-tie
FUSIONS = ("convex", "rrf")


class Reranker:
    """A sentence-transformers CrossEncoder scoring (question, unit) pairs; any local path or HF name."""

    def __init__(self, model_name_or_path: str):
        if not model_name_or_path:
            raise ValueError("model_name_or_path must not be empty")
        from sentence_transformers import CrossEncoder

        self.name = model_name_or_path
        self._model = CrossEncoder(model_name_or_path, device="cpu")

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        out = self._model.predict([(query, t) for t in texts], show_progress_bar=False)
        return [float(s) for s in np.asarray(out).reshape(len(texts), -1)[:, 0]]


class DenseSearch:
    """Exact cosine search in memory: a few hundred clause vectors take well under 0.1 ms to rank, where a
    Chroma query returning them all (fusion scales cosines over every unit) takes about 3 ms, and is exact
    where Chroma's HNSW is approximate."""

    def __init__(self, ids: Sequence[str], vectors: np.ndarray):
        if len(ids) != len(vectors):
            raise ValueError(f"ids and vectors differ in length: {len(ids)} != {len(vectors)}")
        self.ids = list(ids)
        self.vectors = np.asarray(vectors, dtype=np.float32)

    def search(self, query_vec: Sequence[float], n: int) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the `n` nearest vectors, best first."""
        sims = self.vectors @ np.asarray(query_vec, dtype=np.float32)
        order = np.argsort(-sims, kind="stable")[:n]
        return [(self.ids[i], float(sims[i])) for i in order]


@dataclass
class UnitSet:
    """Units with their BM25 index and a dense search function returning (unit id, cosine similarity) best first."""

    units: list[RetrievalUnit]
    lexical: LexicalIndex
    dense: Callable[[Sequence[float], int], list[tuple[str, float]]]
    close: Callable[[], None] | None = None  # releases the vector store behind `dense`
    body_vectors: np.ndarray | None = None  # one row per unit: its own words, without the heading context

    def __post_init__(self) -> None:
        self.by_id = {u.unit_id: u for u in self.units}
        if len(self.by_id) != len(self.units):
            raise ValueError("unit ids must be unique")
        if self.body_vectors is not None and len(self.body_vectors) != len(self.units):
            raise ValueError(f"body_vectors has {len(self.body_vectors)} rows for {len(self.units)} units")

    def nearest_body(self, query_vec: Sequence[float], dense: list[tuple[str, float]]) -> float | None:
        """Cosine of the query to the closest unit body: how near the question is to anything the compilation
        says (for abstention). Without body vectors, the best dense score."""
        if self.body_vectors is not None:
            return float(np.max(self.body_vectors @ np.asarray(query_vec, dtype=np.float32)))
        return float(dense[0][1]) if dense else None


class HybridRetriever:
    """retrieve(query, top_k, mode): ranked clause citations. Modes: hybrid | bm25 | dense | naive | naive_hybrid."""

    def __init__(self, units: UnitSet, embedder: Embedder, *, tokenize: Callable[[str], list[str]] | None = None,
                 reranker: Reranker | None = None, naive_loader: Callable[[], UnitSet] | None = None,
                 fusion: str = "convex", bm25_weight: float = DEFAULT_BM25_WEIGHT, rrf_k: int = DEFAULT_RRF_K,
                 candidates: int = CANDIDATES, answer_type_bonus: float = ANSWER_TYPE_BONUS):
        if candidates <= 0:
            raise ValueError(f"candidates must be > 0, got {candidates}")
        if rrf_k < 0:
            raise ValueError(f"rrf_k must be >= 0, got {rrf_k}")
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, got {fusion!r}")
        if not 0.0 <= bm25_weight <= 1.0:
            raise ValueError(f"bm25_weight must be within [0, 1], got {bm25_weight}")
        self.units = units
        self.embedder = embedder
        self.reranker = reranker
        self.fusion = fusion
        self.bm25_weight = bm25_weight
        self.rrf_k = rrf_k
        self.candidates = candidates
        if answer_type_bonus < 0:
            raise ValueError(f"answer_type_bonus must be >= 0, got {answer_type_bonus}")
        self.answer_type_bonus = answer_type_bonus
        self._naive_loader = naive_loader
        self._naive: UnitSet | None = None
        self._lock = threading.Lock()
        if tokenize is None:
            from indexing.tokenizer import lexical_tokens

            def tokenize(text: str) -> list[str]:
                return lexical_tokens(text, synonyms=True)
        self._tokenize = tokenize

    def clear_caches(self) -> None:
        """Forget per-query caches (the embedder's query vectors), so a benchmark measures cold queries."""
        clear = getattr(self.embedder, "clear_cache", None)
        if clear is not None:
            clear()

    def close(self) -> None:
        """Release the vector store connection (the retriever must not be used afterwards)."""
        if self.units.close is not None:
            self.units.close()

    @property
    def naive(self) -> UnitSet:
        with self._lock:
            if self._naive is None:
                if self._naive_loader is None:
                    raise ValueError("this retriever has no naive baseline configured")
                self._naive = self._naive_loader()
            return self._naive

    def retrieve(self, query: str, top_k: int = 5, mode: str = "hybrid", *, rerank: bool | None = None) -> list[RetrievedClause]:
        """Best `top_k` citations for `query`. `rerank=None` reranks in hybrid mode when a reranker is configured."""
        if top_k <= 0:
            raise ValueError(f"top_k must be > 0, got {top_k}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        query = " ".join(focus(query).split())  # a long story: what it asks (indexing.focus)
        if not query:
            return []
        unit_set = self.naive if mode.startswith("naive") else self.units
        bm25: list[tuple[str, float]] = []
        dense: list[tuple[str, float]] = []
        similarity: float | None = None
        if mode in ("hybrid", "bm25", "naive_hybrid"):
            tokens = self._tokenize(query)
            bm25 = [(unit_set.units[i].unit_id, s) for i, s in unit_set.lexical.search(tokens, self.candidates)]
        if mode in ("hybrid", "dense", "naive", "naive_hybrid"):
            n = DENSE_CANDIDATES if mode in ("hybrid", "naive_hybrid") else max(top_k, RERANK_CANDIDATES)
            query_vec = self.embedder.embed_query(dense_text(query, self._tokenize, unit_set))
            dense = unit_set.dense(query_vec, n)
            similarity = unit_set.nearest_body(query_vec, dense)
        if self.fusion == "convex" or not (bm25 and dense):
            weight = self.bm25_weight if (bm25 and dense) else (1.0 if bm25 else 0.0)
            fused = convex_fusion(bm25, dense, weight)
        else:
            fused = reciprocal_rank_fusion({"bm25": [i for i, _ in bm25], "dense": [i for i, _ in dense]}, k=self.rrf_k)
        if mode == "hybrid" and self.answer_type_bonus:
            fused = _prefer_answer_type(query, fused, unit_set, self.answer_type_bonus)
        use_reranker = self.reranker is not None and mode == "hybrid" and rerank is not False
        if rerank and self.reranker is None:
            raise ValueError("rerank=True but no reranker is configured (POLICY_QA_RERANKER)")
        if use_reranker:
            head = fused[:RERANK_CANDIDATES]
            scores = self.reranker.scores(query, [unit_set.by_id[f.id].match_text for f in head])
            for entry, score in zip(head, scores, strict=True):
                entry.ranks["rerank_input"] = head.index(entry) + 1
                entry.score = score
            fused = sorted(head, key=lambda f: -f.score) + fused[RERANK_CANDIDATES:]
        similarity = round(similarity, 6) if similarity is not None else None
        out: list[RetrievedClause] = []
        for entry in fused[:top_k]:
            unit = unit_set.by_id[entry.id]
            out.append(RetrievedClause(clause_id=unit.clause_id, label=unit.label, document=unit.document, text=unit.text,
                                       score=round(float(entry.score), 6), rank_sources=dict(entry.ranks),
                                       query_similarity=similarity))
        return out


DENSE_MAX_CHARS = 40  # the embedding costs ~0.7 ms per character on 2 cores; long stories are cut to what asks


def dense_text(query: str, tokenize, unit_set) -> str:
    """The text embedded for dense search: the question itself when short; for a long story, the sentence that asks
    plus the rarest words of the rest (by the lexical index's IDF), up to DENSE_MAX_CHARS. BM25 still reads it all."""
    if len(query) <= DENSE_MAX_CHARS:
        return query
    parts = [p for p in re.split(r"(?<=[？?！!。；;])", query) if p.strip()]
    asking = next((p for p in reversed(parts) if re.search(r"[？?]|吗|多少|几|怎么|能否|是否|哪", p)), parts[-1])
    if len(asking) >= DENSE_MAX_CHARS:
        return asking[-DENSE_MAX_CHARS:]
    rest = query.replace(asking, " ")
    idf = getattr(unit_set.lexical, "idf", None) or {}
    words = [w for w in dict.fromkeys(tokenize(rest)) if len(w) >= 2 and w not in asking and re.fullmatch(r"[\u4e00-\u9fff\w]+", w)]
    words.sort(key=lambda w: -idf.get(w, 0.0))
    out = asking
    for w in words:
        if len(out) + len(w) + 1 > DENSE_MAX_CHARS:
            break
        out = f"{w} {out}"
    return out


def _prefer_answer_type(query: str, fused: list, unit_set, bonus: float) -> list:
    """Add `bonus` to the head candidates that state the kind of fact the question asks for, then re-sort."""
    from indexing.answer_type import asked_types, states

    kinds = asked_types(query)
    if not kinds:
        return fused
    head = fused[:ANSWER_TYPE_CANDIDATES]
    for entry in head:
        if states(unit_set.by_id[entry.id].text, kinds):
            entry.score += bonus
            entry.ranks["answer_type"] = 1
    return sorted(head, key=lambda f: -f.score) + fused[ANSWER_TYPE_CANDIDATES:]


_retrievers: dict[tuple, HybridRetriever] = {}
_retrievers_lock = threading.Lock()


def _settings_key(settings: IndexSettings) -> tuple:
    return (str(settings.data_dir), settings.embedder, settings.chroma_url, settings.reranker, settings.dense_search)


def get_retriever(settings: IndexSettings | None = None, notify: Callable[[str], None] | None = None) -> HybridRetriever:
    """The process-wide retriever for `settings` (default: from the environment); builds the index if needed.

    Raises `corpus.errors.IndexNotBuiltError` only when the index is unusable and cannot be rebuilt.
    """
    from indexing.index import load_or_build

    settings = settings or IndexSettings()
    key = _settings_key(settings)
    with _retrievers_lock:
        if key not in _retrievers:
            _retrievers[key] = load_or_build(settings, notify=notify)
        return _retrievers[key]


def clear_retriever_cache() -> None:
    """Forget (and close) the cached retrievers, e.g. after rebuilding the index in-process."""
    with _retrievers_lock:
        for retriever in _retrievers.values():
            retriever.close()
        _retrievers.clear()
