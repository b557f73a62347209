"""Reciprocal rank fusion (Cormack et al. 2009): robust to the incomparable scales of BM25 and cosine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_RRF_K = 30


@dataclass
class Fused:
    id: str
    score: float
    ranks: dict[str, int] = field(default_factory=dict)  # 1-based rank in each source that found it


def reciprocal_rank_fusion(rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float] | None = None,
                           k: int = DEFAULT_RRF_K) -> list[Fused]:
    """score(d) = sum over sources of weight / (k + rank); ties keep the order of first appearance."""
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    weights = weights or {}
    fused: dict[str, Fused] = {}
    for source, ids in rankings.items():
        weight = weights.get(source, 1.0)
        if weight < 0:
            raise ValueError(f"weight of {source!r} must be >= 0, got {weight}")
        for rank, doc_id in enumerate(ids, start=1):
            if doc_id in fused and source in fused[doc_id].ranks:
                continue  # a source lists each id once; later duplicates are ignored
            entry = fused.setdefault(doc_id, Fused(doc_id, 0.0))
            entry.score += weight / (k + rank)
            entry.ranks[source] = rank
    return sorted(fused.values(), key=lambda f: -f.score)
